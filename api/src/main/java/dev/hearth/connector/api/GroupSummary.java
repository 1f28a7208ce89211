package dev.hearth.connector.api;

/**
 * One consumer group as a listing shows it.
 *
 * @param state        Kafka's name of the group state: {@code Empty}, {@code PreparingRebalance},
 *                     {@code CompletingRebalance} or {@code Stable}
 * @param protocolType {@code consumer} for kafka-clients consumers; {@code ""} for a group that only stores offsets
 * @param memberCount  current members
 * @param totalLag     sum over the group's committed partitions of {@code logEndOffset - committedOffset}
 */
public record GroupSummary(String groupId, String state, String protocolType, int memberCount, long totalLag) {
}
