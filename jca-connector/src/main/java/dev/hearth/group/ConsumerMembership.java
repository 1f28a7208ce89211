package dev.hearth.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;

import dev.hearth.engine.log.LogEngine;

/**
 * An in-process member of a consumer group that speaks Kafka's consumer protocol (protocol type
 * {@code consumer}, assignor {@code range}, subscriptions and assignments in Kafka's own encoding) to the
 * {@link GroupCoordinator}. It therefore shares groups with Kafka consumers: whichever member leads
 * computes the assignment for all, and a partition is owned by one member at a time.
 *
 * <p>Use: call {@link #poll} regularly from one thread. It joins and syncs when needed (blocking until the
 * rebalance completes), heartbeats when due, and returns the owned partitions. When it returns with
 * {@link #rebalancePending()} true, the caller finishes and commits its in-flight work, then polls again
 * to rejoin (the eager protocol: everything is revoked before reassignment).
 *
 * <p>{@link #pollWithin} is the same protocol for a caller that must answer within a deadline (an HTTP
 * long-poll): a join or sync that does not complete in time stays pending and the next call picks it up,
 * so one slow member never blocks a request thread for a whole rebalance.
 *
 * <p>Thread-safety: one driving thread at a time calls {@link #poll} or {@link #pollWithin},
 * {@link #requestRejoin} and {@link #leave}; {@link #commit} and {@link #committedOffset} may be called
 * from delivery threads.
 */
public final class ConsumerMembership {

    public static final String PROTOCOL_TYPE = ConsumerProtocol.PROTOCOL_TYPE;
    private static final String ASSIGNOR = RangeAssignor.RANGE_ASSIGNOR_NAME;

    private final GroupCoordinator coordinator;
    private final LogEngine engine;
    private final String groupId;
    private final String clientId;
    private final Supplier<List<String>> subscribedTopics;
    private final int sessionTimeoutMs;
    private final int rebalanceTimeoutMs;
    private final LongSupplier clock;
    /** Written by the driving thread, read by delivery threads when they commit. */
    private volatile String memberId = "";
    private volatile int generationId = -1;
    private boolean joined;
    private boolean rebalancePending;
    private long nextHeartbeatMs;
    private Set<TopicPartitionKey> owned = Set.of();
    /** {@link #pollWithin}'s join in progress, or null. At most one of it and {@link #pendingSync} is set. */
    private CompletableFuture<JoinResult> pendingJoin;
    /** {@link #pollWithin}'s sync in progress, or null. */
    private CompletableFuture<SyncResult> pendingSync;
    /** JoinGroup requests {@link #pollWithin} sent since it last completed a join. */
    private int joinAttempts;

    public ConsumerMembership(GroupCoordinator coordinator, LogEngine engine, String groupId, String clientId,
                              Supplier<List<String>> subscribedTopics, int sessionTimeoutMs, int rebalanceTimeoutMs,
                              LongSupplier clock) {
        this.coordinator = coordinator;
        this.engine = engine;
        this.groupId = groupId;
        this.clientId = clientId;
        this.subscribedTopics = subscribedTopics;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.clock = clock;
    }

    /** The partitions this member owns now; joins or heartbeats first as needed. */
    public Set<TopicPartitionKey> poll() throws InterruptedException {
        if (!joined) {
            joinAndSync();
            return owned;
        }
        long now = clock.getAsLong();
        if (now >= nextHeartbeatMs) {
            nextHeartbeatMs = now + Math.min(1000, sessionTimeoutMs / 3);
            GroupError error = coordinator.heartbeat(groupId, memberId, generationId);
            if (error != GroupError.NONE) {
                // REBALANCE_IN_PROGRESS, or the member was dropped: revoke everything and rejoin.
                rebalancePending = true;
                joined = false;
                if (error == GroupError.UNKNOWN_MEMBER_ID) {
                    memberId = "";
                }
                owned = Set.of();
            }
        }
        return owned;
    }

    public boolean rebalancePending() {
        return rebalancePending;
    }

    /**
     * As {@link #poll}, but waits at most {@code maxWaitMs} for a join or sync in progress and returns no
     * partitions while one is still pending. After a failed heartbeat it returns with
     * {@link #rebalancePending()} true and starts the rejoin only on the next call, so the caller can commit
     * first.
     */
    public Set<TopicPartitionKey> pollWithin(long maxWaitMs) throws InterruptedException {
        if (joined) {
            return poll();
        }
        long deadlineMs = clock.getAsLong() + Math.max(0, maxWaitMs);
        while (true) {
            if (pendingSync != null) {
                SyncResult sync = awaitUntil(pendingSync, deadlineMs);
                if (sync == null) {
                    return Set.of();
                }
                pendingSync = null;
                if (sync.error() == GroupError.REBALANCE_IN_PROGRESS || sync.error() == GroupError.ILLEGAL_GENERATION) {
                    continue;
                }
                if (sync.error() != GroupError.NONE) {
                    joinAttempts = 0;
                    throw new GroupMembershipException("Syncing with group " + groupId + " failed: " + sync.error());
                }
                acceptAssignment(sync.assignment());
                joinAttempts = 0;
                return owned;
            }
            if (pendingJoin == null) {
                if (joinAttempts++ >= 5) {
                    joinAttempts = 0;
                    throw new GroupMembershipException("Could not join group " + groupId + " after 5 attempts");
                }
                rebalancePending = false;
                owned = Set.of();
                pendingJoin = coordinator.join(joinRequest());
            }
            JoinResult join = awaitUntil(pendingJoin, deadlineMs);
            if (join == null) {
                return Set.of();
            }
            pendingJoin = null;
            if (join.error() == GroupError.MEMBER_ID_REQUIRED) {
                memberId = join.memberId();
                continue;
            }
            if (join.error() == GroupError.UNKNOWN_MEMBER_ID) {
                memberId = "";
                continue;
            }
            if (join.error() != GroupError.NONE) {
                joinAttempts = 0;
                throw new GroupMembershipException("Joining group " + groupId + " failed: " + join.error(), join.error());
            }
            memberId = join.memberId();
            generationId = join.generationId();
            Map<String, byte[]> assignments = join.isLeader() ? assign(join.members()) : Map.of();
            pendingSync = coordinator.sync(new SyncRequest(groupId, memberId, generationId, PROTOCOL_TYPE,
                    join.protocolName(), assignments));
        }
    }

    /** Whether {@link #pollWithin} is between a JoinGroup and the assignment of the generation it joins. */
    public boolean joining() {
        return pendingJoin != null || pendingSync != null;
    }

    /** The future's value, or null if it is not complete by {@code deadlineMs}; failures end the pending step. */
    private <T> T awaitUntil(CompletableFuture<T> future, long deadlineMs) throws InterruptedException {
        try {
            return future.get(Math.max(0, deadlineMs - clock.getAsLong()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            pendingJoin = null;
            pendingSync = null;
            throw new GroupMembershipException("Group " + groupId + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Makes the next {@link #poll} rejoin, e.g. because the subscribed topics changed. */
    public void requestRejoin() {
        rebalancePending = true;
        joined = false;
        owned = Set.of();
    }

    private void joinAndSync() throws InterruptedException {
        rebalancePending = false;
        owned = Set.of();
        for (int attempt = 0; attempt < 5; attempt++) {
            JoinResult join = await(coordinator.join(joinRequest()));
            if (join.error() == GroupError.MEMBER_ID_REQUIRED) {
                memberId = join.memberId();
                continue;
            }
            if (join.error() == GroupError.UNKNOWN_MEMBER_ID) {
                memberId = "";
                continue;
            }
            if (join.error() != GroupError.NONE) {
                throw new GroupMembershipException("Joining group " + groupId + " failed: " + join.error());
            }
            memberId = join.memberId();
            generationId = join.generationId();
            Map<String, byte[]> assignments = join.isLeader() ? assign(join.members()) : Map.of();
            SyncResult sync = await(coordinator.sync(new SyncRequest(groupId, memberId, generationId, PROTOCOL_TYPE,
                    join.protocolName(), assignments)));
            if (sync.error() == GroupError.REBALANCE_IN_PROGRESS || sync.error() == GroupError.ILLEGAL_GENERATION) {
                continue;
            }
            if (sync.error() != GroupError.NONE) {
                throw new GroupMembershipException("Syncing with group " + groupId + " failed: " + sync.error());
            }
            acceptAssignment(sync.assignment());
            return;
        }
        throw new GroupMembershipException("Could not join group " + groupId + " after 5 attempts");
    }

    private JoinRequest joinRequest() {
        ByteBuffer subscription = ConsumerProtocol.serializeSubscription(new Subscription(subscribedTopics.get()));
        return new JoinRequest(groupId, memberId, null, clientId, "hearth-adapter", sessionTimeoutMs,
                rebalanceTimeoutMs, PROTOCOL_TYPE, List.of(new JoinRequest.Protocol(ASSIGNOR, bytes(subscription))), true);
    }

    /** Takes the generation's assignment (Kafka's ConsumerProtocol encoding) as the owned partitions. */
    private void acceptAssignment(byte[] assignment) {
        Set<TopicPartitionKey> assigned = new LinkedHashSet<>();
        if (assignment != null && assignment.length > 0) {
            for (TopicPartition partition : ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions()) {
                assigned.add(new TopicPartitionKey(partition.topic(), partition.partition()));
            }
        }
        owned = Set.copyOf(assigned);
        joined = true;
        nextHeartbeatMs = clock.getAsLong() + Math.min(1000, sessionTimeoutMs / 3);
    }

    /** The leader's duty: Kafka's range assignment over every member's subscription. */
    private Map<String, byte[]> assign(List<JoinResult.Member> members) {
        Map<String, Subscription> subscriptions = new HashMap<>();
        Set<String> topics = new LinkedHashSet<>();
        for (JoinResult.Member member : members) {
            Subscription subscription = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(member.metadata()));
            subscriptions.put(member.memberId(), subscription);
            topics.addAll(subscription.topics());
        }
        Map<String, Integer> partitionsPerTopic = new HashMap<>();
        for (String topic : topics) {
            if (engine.topicExists(topic)) {
                partitionsPerTopic.put(topic, engine.partitionCount(topic));
            }
        }
        Map<String, List<TopicPartition>> assignment = new RangeAssignor().assign(partitionsPerTopic, subscriptions);
        Map<String, byte[]> serialized = new HashMap<>();
        for (JoinResult.Member member : members) {
            List<TopicPartition> partitions = assignment.getOrDefault(member.memberId(), new ArrayList<>());
            serialized.put(member.memberId(), bytes(ConsumerProtocol.serializeAssignment(new Assignment(partitions))));
        }
        return serialized;
    }

    /** Commits {@code offsets} (next offsets to read) as this member of the current generation. */
    public Map<TopicPartitionKey, GroupError> commit(Map<TopicPartitionKey, Long> offsets) {
        Map<TopicPartitionKey, CommittedOffset> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> committed.put(partition, CommittedOffset.of(offset)));
        return coordinator.commitOffsets(groupId, memberId, generationId, committed);
    }

    /** The committed offset of a partition, if any. */
    public Long committedOffset(TopicPartitionKey partition) {
        CommittedOffset offset = coordinator.fetchOffsets(groupId, List.of(partition)).get(partition);
        return offset == null ? null : offset.offset();
    }

    /** Leaves the group so the remaining members rebalance at once rather than after the session timeout. */
    public void leave() {
        if (!memberId.isEmpty()) {
            coordinator.leave(groupId, List.of(memberId));
        }
        joined = false;
        owned = Set.of();
        pendingJoin = null;
        pendingSync = null;
    }

    public String memberId() {
        return memberId;
    }

    public int generationId() {
        return generationId;
    }

    public String groupId() {
        return groupId;
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(rebalanceTimeoutMs + 10_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new GroupMembershipException("Group " + groupId + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new GroupMembershipException("Group " + groupId + " did not answer within the rebalance timeout", e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
