package dev.hearth.engine;

/**
 * A snapshot of one partition, for admin views.
 *
 * @param lastStableOffset offset below which every transaction is decided (= high watermark when none is open)
 * @param sizeInBytes bytes of log on disk, indexes excluded
 */
public record PartitionInfo(int partition, PartitionState state, long logStartOffset, long logEndOffset,
                            long highWatermark, long lastStableOffset, long sizeInBytes, int segmentCount) {
}
