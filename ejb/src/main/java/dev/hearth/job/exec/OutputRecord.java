package dev.hearth.job.exec;

import java.util.List;

/**
 * A record a task emits: to a sink topic, a repartition topic (data or a watermark control record), a late-record
 * side output, or a changelog topic.
 *
 * @param topic       destination topic
 * @param partition   destination partition, or {@link #PARTITION_BY_KEY}: the runtime's default partitioner on
 *                    the key bytes (it must be the same for every writer of a topic, murmur2 as in Kafka, so
 *                    that a repartition topic is co-partitioned with a table topic)
 * @param key         key bytes, may be {@code null}
 * @param value       value bytes; {@code null} is a tombstone (changelog delete) or a control record
 * @param timestampMs record timestamp: the event time of the record; a tumbling or hopping window result carries
 *                    its window's end - 1, a session result its session's end
 * @param headers     never {@code null}
 */
public record OutputRecord(String topic, int partition, byte[] key, byte[] value, long timestampMs,
                           List<Header> headers) {

    /** Let the runtime's partitioner pick the partition from the key. */
    public static final int PARTITION_BY_KEY = -1;
}
