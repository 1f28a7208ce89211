package dev.hearth.connector.api;

import java.util.List;

/**
 * The broker's counters for monitoring, cumulative since the adapter started. A deleted topic's counters
 * leave the totals with it.
 *
 * @param topics         ordered by name, internal topics included
 * @param flushCount     fsyncs of log files across the topics present
 * @param flushTimeNanos total time spent in those fsyncs
 */
public record BrokerStats(List<TopicStats> topics, long flushCount, long flushTimeNanos) {

    public BrokerStats {
        topics = List.copyOf(topics);
    }

    /**
     * One topic.
     *
     * @param producedRecords records appended by producers (transaction markers excluded)
     * @param producedBytes   bytes of the batches appended by producers
     * @param fetchedBytes    bytes of the batches handed to readers
     * @param partitions      ordered by partition
     */
    public record TopicStats(String topic, long producedRecords, long producedBytes, long fetchedBytes,
                             List<PartitionSize> partitions) {

        public TopicStats {
            partitions = List.copyOf(partitions);
        }
    }

    /** @param sizeInBytes bytes of log on disk, indexes excluded; 0 while the partition is offline */
    public record PartitionSize(int partition, long sizeInBytes) {
    }
}
