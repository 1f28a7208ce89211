package dev.hearth.job.exec;

import java.util.List;

/**
 * A record the runtime consumed, handed to {@link StageTask#process}. Arrays are not copied; the task never
 * mutates them, and may hold on to them only within the call (or in a late-record side output it emits).
 *
 * @param topic       the topic it was read from: one of the stage's input topics
 * @param partition   its partition: always the task's partition (co-partitioned inputs)
 * @param offset      its offset, copied into late-record headers
 * @param timestampMs the Kafka record timestamp (epoch ms), the default event time
 * @param key         key bytes, {@code null} if none
 * @param value       value bytes, {@code null} for a tombstone or a control record
 * @param headers     the record headers, never {@code null}
 */
public record InputRecord(String topic, int partition, long offset, long timestampMs, byte[] key, byte[] value,
                          List<Header> headers) {
}
