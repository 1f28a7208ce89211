package dev.hearth.connector.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A member of a consumer group, driven by its caller: Kafka's consumer protocol against the same group
 * coordinator as Kafka clients and message-driven beans, so all three can share a group and a partition is
 * read by one member at a time. Obtained from {@link HearthConnection#joinGroup}; it outlives that
 * connection and must be {@link #close closed}, which leaves the group so the others rebalance at once.
 *
 * <p>Liveness: the member heartbeats only while {@link #poll} runs. Not polled for longer than the
 * session timeout, the coordinator removes it and gives its partitions to the other members.
 *
 * <p>Delivery: at least once. {@link #poll} returns records after the member's position in each assigned
 * partition and advances it; a partition newly assigned starts at the group's committed offset (else per
 * {@link GroupSubscription.Reset}). On a rebalance every partition is revoked (eager protocol) and
 * positions fall back to the committed offsets, so records returned but not committed may come again,
 * here or at another member.
 *
 * <p>Thread-safety: safe for use from several threads; calls are serialized per member ({@link #close}
 * interrupts a long poll within half a second).
 */
public interface GroupConsumer extends AutoCloseable {

    String groupId();

    /** The coordinator's id for this member; empty until its first join completes, new after an expiry. */
    String memberId();

    /**
     * Records of the assigned partitions beyond this member's positions: at most {@code maxRecords} and
     * about {@code maxBytes} of keys and values, waiting up to {@code maxWaitMs} for the first one. Joins,
     * rejoins and heartbeats as needed; empty while a rebalance is in progress.
     */
    List<HearthRecord> poll(long maxWaitMs, int maxRecords, int maxBytes);

    /** The partitions assigned in the current generation; empty while joining. */
    Set<TopicPartitionRef> assignment();

    /**
     * Commits the next offsets to read of assigned partitions. COMMIT_FAILED when a partition is not
     * assigned to this member or a rebalance ended its generation (poll, then commit again).
     */
    void commit(Map<TopicPartitionRef, Long> offsets);

    /** Commits the position of every assigned partition (everything {@link #poll} returned); answers them. */
    Map<TopicPartitionRef, Long> commitPositions();

    /** Leaves the group. Idempotent; later calls fail with MEMBER_NOT_FOUND. */
    @Override
    void close();
}
