package dev.hearth.engine;

/**
 * A snapshot of one partition, for admin views.
 *
 * @param sizeInBytes bytes of log on disk, indexes excluded
 */
public record PartitionInfo(int partition, PartitionState state, long logStartOffset, long logEndOffset,
                            long highWatermark, long sizeInBytes, int segmentCount) {
}
