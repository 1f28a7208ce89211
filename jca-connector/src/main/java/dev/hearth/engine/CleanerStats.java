package dev.hearth.engine;

/**
 * The log cleaner's work in one partition since it was opened (compacted topics only; zeros otherwise).
 *
 * @param firstDirtyOffset offset from which records have not yet been compacted
 * @param passes           cleaning passes that rewrote at least one segment
 * @param bytesCleaned     bytes of segments read by those passes
 * @param bytesRemoved     bytes those passes removed (superseded records, expired tombstones, aborted data)
 * @param lastCleanMs      wall-clock millis of the last such pass; -1 if none
 */
public record CleanerStats(long firstDirtyOffset, long passes, long bytesCleaned, long bytesRemoved,
                           long lastCleanMs) {
}
