package dev.hearth.engine;

/**
 * One partition's activity since its log was opened (counters restart with the engine, as Kafka's do with
 * the broker).
 *
 * @param producedRecords records appended by producers; transaction markers excluded
 * @param producedBytes   bytes of the batches those records came in
 * @param fetchedBytes    bytes of the batches handed to readers (consumers, REST, internal replays)
 * @param sizeInBytes     bytes of log on disk now, indexes excluded; 0 while offline
 * @param flushCount      fsyncs of the partition's log files
 * @param flushTimeNanos  total time spent in those fsyncs
 */
public record PartitionStats(int partition, long producedRecords, long producedBytes, long fetchedBytes,
                             long sizeInBytes, long flushCount, long flushTimeNanos) {
}
