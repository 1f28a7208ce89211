package dev.hearth.engine;

/** A record found by a time lookup: its timestamp (epoch millis) and offset. */
public record TimestampAndOffset(long timestamp, long offset) {
}
