package dev.hearth.connector.api;

import java.util.Map;

/** A record read from the log. Key and value may be null; headers keep their order of insertion. */
public record HearthRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                           Map<String, byte[]> headers) {
}
