package dev.hearth.connector.outbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.hearth.connector.client.AppendSignal;
import dev.hearth.connector.api.GroupConsumer;
import dev.hearth.connector.api.GroupSubscription;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.connector.client.OffsetReset;
import dev.hearth.connector.client.PartitionPositions;
import dev.hearth.connector.client.EngineServices;
import dev.hearth.group.ConsumerMembership;
import dev.hearth.group.GroupError;
import dev.hearth.group.GroupMembershipException;
import dev.hearth.group.TopicPartitionKey;

/**
 * A {@link GroupConsumer} over a {@link ConsumerMembership} driven by its callers' polls (HTTP members).
 * Keeps a position per assigned partition ({@link PartitionPositions}): the next offset {@link #poll} returns,
 * starting at the committed offset or per the subscription's reset. Positions are dropped whenever the generation
 * changes (the eager protocol revokes everything), so they never outlive the assignment they were read under.
 *
 * <p>Thread-safety: every operation holds this object's monitor; a long poll waits for appends in slices
 * of at most {@value #WAIT_SLICE_MS} ms and heartbeats between them, and {@link #close} sets a volatile flag
 * first, so it gets the monitor within a slice.
 */
public final class MembershipConsumer implements GroupConsumer {

    /** Longest uninterrupted wait for appends: bounds heartbeat gaps and how long close waits for a poll. */
    private static final long WAIT_SLICE_MS = 500;

    private final GroupSubscription subscription;
    private final EngineServices services;
    private final AppendSignal appends;
    private final ConsumerMembership membership;
    /** Next offset to return per assigned partition; only partitions of {@link #generation}'s assignment. */
    private final PartitionPositions positions;
    private int generation = -1;
    /** Where the next poll starts reading, so that no partition starves the others. */
    private int nextPartitionIndex;
    private volatile boolean closed;
    /** Where a poll without partitions waits out a slice; {@link #close} wakes it. */
    private final Object idle = new Object();

    private MembershipConsumer(GroupSubscription subscription, EngineServices services, AppendSignal appends) {
        this.subscription = subscription;
        this.services = services;
        this.appends = appends;
        this.membership = new ConsumerMembership(services.groups(), services.engine(), subscription.groupId(),
                subscription.clientId(), subscription::topics, subscription.sessionTimeoutMs(),
                subscription.sessionTimeoutMs(), System::currentTimeMillis);
        this.positions = new PartitionPositions(services.engine(), services.groups(), subscription.groupId(),
                subscription.reset() == GroupSubscription.Reset.EARLIEST ? OffsetReset.EARLIEST : OffsetReset.LATEST,
                subscription::topics);
    }

    /**
     * Validates the subscription and sends the first JoinGroup, so the group starts rebalancing now; the
     * join completes in later polls. UNKNOWN_TOPIC_OR_PARTITION for a missing topic, INVALID_CONFIG for a
     * session timeout outside the coordinator's bounds.
     */
    public static MembershipConsumer join(GroupSubscription subscription, EngineServices services) {
        if (subscription.groupId().isBlank()) {
            throw new HearthConnectionException(HearthError.GROUP_NOT_FOUND, "A group id must not be blank", Map.of());
        }
        if (subscription.topics().isEmpty()) {
            throw new HearthConnectionException(HearthError.INVALID_TOPIC, "Subscribe to at least one topic", Map.of());
        }
        for (String topic : subscription.topics()) {
            if (!services.engine().topicExists(topic)) {
                throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION,
                        "Topic '" + topic + "' does not exist", Map.of("topic", topic));
            }
        }
        MembershipConsumer consumer = new MembershipConsumer(subscription, services, services.appends());
        synchronized (consumer) {
            consumer.positions.rememberPartitionCounts();
            try {
                consumer.step(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                consumer.close();
                throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "Interrupted while joining group "
                        + subscription.groupId(), Map.of("group", subscription.groupId()));
            } catch (RuntimeException e) {
                consumer.close();
                throw e;
            }
        }
        return consumer;
    }

    @Override
    public String groupId() {
        return subscription.groupId();
    }

    @Override
    public String memberId() {
        return membership.memberId();
    }

    @Override
    public synchronized List<HearthRecord> poll(long maxWaitMs, int maxRecords, int maxBytes) {
        requireOpen();
        long deadlineNanos = System.nanoTime() + Math.max(0, maxWaitMs) * 1_000_000L;
        try {
            while (true) {
                long remainingMs = Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000L);
                Set<TopicPartitionKey> owned = step(Math.min(remainingMs, WAIT_SLICE_MS));
                long seen = appends.sequence();
                List<HearthRecord> records = owned.isEmpty() ? List.of() : read(owned, maxRecords, maxBytes);
                remainingMs = Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000L);
                if (!records.isEmpty() || remainingMs == 0 || closed) {
                    return records;
                }
                if (owned.isEmpty() && !membership.joining()) {
                    // Joined without partitions (more members than partitions): only a rebalance changes that.
                    synchronized (idle) {
                        idle.wait(Math.min(remainingMs, WAIT_SLICE_MS));
                    }
                } else if (!owned.isEmpty()) {
                    appends.awaitAppendAfter(seen, Math.min(remainingMs, WAIT_SLICE_MS));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "Interrupted while polling group "
                    + groupId(), Map.of("group", groupId()));
        }
    }

    /** One round of the group protocol: heartbeat, or (re)join for at most {@code maxWaitMs}; the owned partitions. */
    private Set<TopicPartitionKey> step(long maxWaitMs) throws InterruptedException {
        Set<TopicPartitionKey> owned;
        try {
            owned = membership.pollWithin(maxWaitMs);
            if (membership.rebalancePending()) {
                positions.clear();
                owned = membership.pollWithin(maxWaitMs);
            }
        } catch (GroupMembershipException e) {
            throw translated(e);
        }
        if (membership.generationId() != generation) {
            generation = membership.generationId();
            positions.clear();
        }
        if (!owned.isEmpty()) {
            if (positions.partitionCountsChanged()) {
                // A subscribed topic grew: rejoin so the leader assigns the new partitions too.
                membership.requestRejoin();
                positions.clear();
                return Set.of();
            }
        }
        return owned;
    }

    private List<HearthRecord> read(Set<TopicPartitionKey> owned, int maxRecords, int maxBytes) {
        List<TopicPartitionKey> partitions = new ArrayList<>(owned);
        List<HearthRecord> result = new ArrayList<>();
        int bytesLeft = maxBytes;
        int start = Math.floorMod(nextPartitionIndex++, partitions.size());
        for (int i = 0; i < partitions.size() && result.size() < maxRecords && bytesLeft > 0; i++) {
            TopicPartitionKey partition = partitions.get((start + i) % partitions.size());
            long position = positions.position(partition);
            List<HearthRecord> records;
            try {
                records = services.client().read(partition.topic(), partition.partition(), position,
                        maxRecords - result.size(), bytesLeft);
            } catch (HearthConnectionException e) {
                if (e.error() != HearthError.OFFSET_OUT_OF_RANGE) {
                    throw e;
                }
                // Retention removed the records at the position: continue at the oldest one still there.
                positions.seekToLogStart(partition);
                continue;
            }
            for (HearthRecord record : records) {
                result.add(record);
                bytesLeft -= length(record.key()) + length(record.value());
                positions.advance(partition, record.offset() + 1);
            }
        }
        return result;
    }

    @Override
    public synchronized Set<TopicPartitionRef> assignment() {
        requireOpen();
        Set<TopicPartitionRef> assigned = new TreeSet<>();
        if (!membership.joining() && !membership.rebalancePending()) {
            for (TopicPartitionKey partition : ownedNow()) {
                assigned.add(new TopicPartitionRef(partition.topic(), partition.partition()));
            }
        }
        return assigned;
    }

    /** The current assignment without protocol traffic (a heartbeat only when due, as every poll). */
    private Set<TopicPartitionKey> ownedNow() {
        try {
            return membership.joining() ? Set.of() : membership.pollWithin(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } catch (GroupMembershipException e) {
            throw translated(e);
        }
    }

    @Override
    public synchronized void commit(Map<TopicPartitionRef, Long> offsets) {
        requireOpen();
        Set<TopicPartitionKey> owned = ownedNow();
        Map<TopicPartitionKey, Long> keyed = new LinkedHashMap<>();
        for (Map.Entry<TopicPartitionRef, Long> entry : offsets.entrySet()) {
            TopicPartitionKey partition = new TopicPartitionKey(entry.getKey().topic(), entry.getKey().partition());
            if (!owned.contains(partition)) {
                throw new HearthConnectionException(HearthError.COMMIT_FAILED, "Partition " + entry.getKey()
                        + " is not assigned to member " + memberId() + " of group " + groupId()
                        + (owned.isEmpty() ? " (a rebalance is in progress: poll, then commit again)" : ""),
                        Map.of("group", groupId(), "topic", entry.getKey().topic(), "partition", entry.getKey().partition()));
            }
            if (entry.getValue() == null || entry.getValue() < 0) {
                throw new HearthConnectionException(HearthError.INVALID_RECORD, "The offset to commit for "
                        + entry.getKey() + " must be 0 or more, not " + entry.getValue(), Map.of("group", groupId()));
            }
            keyed.put(partition, entry.getValue());
        }
        commitOwned(keyed);
    }

    @Override
    public synchronized Map<TopicPartitionRef, Long> commitPositions() {
        requireOpen();
        Set<TopicPartitionKey> owned = ownedNow();
        Map<TopicPartitionKey, Long> keyed = positions.positionsIn(owned);
        commitOwned(keyed);
        Map<TopicPartitionRef, Long> committed = new java.util.TreeMap<>();
        keyed.forEach((partition, offset) -> committed.put(new TopicPartitionRef(partition.topic(), partition.partition()), offset));
        return committed;
    }

    private void commitOwned(Map<TopicPartitionKey, Long> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        for (Map.Entry<TopicPartitionKey, GroupError> result : membership.commit(offsets).entrySet()) {
            if (result.getValue() != GroupError.NONE) {
                TopicPartitionKey partition = result.getKey();
                throw new HearthConnectionException(HearthError.COMMIT_FAILED, "The group coordinator refused the "
                        + "commit of " + partition.topic() + "-" + partition.partition() + " by member " + memberId()
                        + " of group " + groupId() + ": " + result.getValue() + "; poll, then commit again",
                        Map.of("group", groupId(), "topic", partition.topic(), "partition", partition.partition()));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.notifyAll();
        }
        synchronized (this) {
            membership.leave();
            positions.clear();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new HearthConnectionException(HearthError.MEMBER_NOT_FOUND, "This member of group " + groupId()
                    + " has left it", Map.of("group", groupId()));
        }
    }

    private HearthConnectionException translated(GroupMembershipException e) {
        if (e.error() == GroupError.INVALID_SESSION_TIMEOUT) {
            return new HearthConnectionException(HearthError.INVALID_CONFIG, "The group coordinator refused session "
                    + "timeout " + subscription.sessionTimeoutMs() + " ms: it must be between 6000 and 1800000 ms",
                    Map.of("group", groupId(), "sessionTimeoutMs", subscription.sessionTimeoutMs()));
        }
        if (e.error() == GroupError.INCONSISTENT_GROUP_PROTOCOL) {
            return new HearthConnectionException(HearthError.INVALID_CONFIG, "Group " + groupId() + " has members "
                    + "of another protocol type; only consumer groups can be joined", Map.of("group", groupId()));
        }
        return new HearthConnectionException(HearthError.NOT_AVAILABLE, e.getMessage(), Map.of("group", groupId()));
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
