package dev.hearth.group;

import dev.hearth.engine.InvalidConfigException;

/**
 * Settings of a {@link GroupCoordinator}, named after Kafka's broker configs.
 *
 * @param initialRebalanceDelayMs  {@code group.initial.rebalance.delay.ms}: how long the first rebalance of an
 *                                 empty group waits for more members (extended by each new member, up to the
 *                                 rebalance timeout). Kafka's default is 3000; ours is 0 so that a single
 *                                 consumer, and a test, does not wait.
 * @param minSessionTimeoutMs      {@code group.min.session.timeout.ms}: shorter session timeouts are refused
 * @param maxSessionTimeoutMs      {@code group.max.session.timeout.ms}: longer session timeouts are refused
 * @param newMemberJoinTimeoutMs   how long a new member may wait in a rebalance before it is dropped (its
 *                                 session timeout cannot apply: it has no id to heartbeat with yet)
 * @param maxOffsetMetadataBytes   {@code offset.metadata.max.bytes}: longest metadata (UTF-8) accepted with a
 *                                 committed offset
 * @param emptyGroupRetentionMs    how long a group without members and without committed offsets stays listed
 *                                 (as Empty) before it is forgotten; Kafka forgets such groups at its next
 *                                 offsets cleanup, at most {@code offsets.retention.check.interval.ms} (10
 *                                 minutes) later
 */
public record GroupCoordinatorConfig(long initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                     long newMemberJoinTimeoutMs, int maxOffsetMetadataBytes,
                                     long emptyGroupRetentionMs) {

    /** Kafka's defaults, except for the initial rebalance delay (0 instead of 3000 ms). */
    public static final GroupCoordinatorConfig DEFAULTS =
            new GroupCoordinatorConfig(0, 6_000, 1_800_000, 300_000, 4096, 600_000);

    public GroupCoordinatorConfig {
        if (initialRebalanceDelayMs < 0 || newMemberJoinTimeoutMs < 1 || emptyGroupRetentionMs < 0) {
            throw new InvalidConfigException("initial rebalance delay and empty group retention must be >= 0, "
                    + "new member join timeout > 0");
        }
        if (minSessionTimeoutMs < 1 || maxSessionTimeoutMs < minSessionTimeoutMs) {
            throw new InvalidConfigException("session timeout range [" + minSessionTimeoutMs + ", "
                    + maxSessionTimeoutMs + "] is empty or not positive");
        }
        if (maxOffsetMetadataBytes < 0 || maxOffsetMetadataBytes > OffsetCommitRecord.MAX_STRING_BYTES) {
            throw new InvalidConfigException("offset metadata limit must be within [0, "
                    + OffsetCommitRecord.MAX_STRING_BYTES + "], not " + maxOffsetMetadataBytes);
        }
    }

    public GroupCoordinatorConfig withInitialRebalanceDelayMs(long delayMs) {
        return new GroupCoordinatorConfig(delayMs, minSessionTimeoutMs, maxSessionTimeoutMs, newMemberJoinTimeoutMs,
                maxOffsetMetadataBytes, emptyGroupRetentionMs);
    }
}
