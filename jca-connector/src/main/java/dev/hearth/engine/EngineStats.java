package dev.hearth.engine;

import java.util.List;

/**
 * A snapshot of the engine's counters for monitoring. Cumulative since the engine opened; a deleted topic's
 * counters leave the totals with it. Built from independent reads, so totals are approximate under load.
 *
 * @param topics         ordered by name
 * @param flushCount     fsyncs of log files across the topics present
 * @param flushTimeNanos total time spent in those fsyncs
 */
public record EngineStats(List<TopicStats> topics, long flushCount, long flushTimeNanos) {

    public EngineStats {
        topics = List.copyOf(topics);
    }

    /** One topic: sums over its partitions, and each partition's own figures ordered by partition. */
    public record TopicStats(String topic, long producedRecords, long producedBytes, long fetchedBytes,
                             List<PartitionStats> partitions) {

        public TopicStats {
            partitions = List.copyOf(partitions);
        }
    }
}
