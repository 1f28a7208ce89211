package dev.hearth.connector.api;

/** One partition: its offsets, its size in bytes on disk and its number of segments; {@code online} is false after a storage failure. */
public record PartitionDescription(int partition, boolean online, long logStartOffset, long logEndOffset,
                                   long highWatermark, long sizeInBytes, int segmentCount) {
}
