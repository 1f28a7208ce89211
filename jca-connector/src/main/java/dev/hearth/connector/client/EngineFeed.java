package dev.hearth.connector.client;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.CommittedOffset;
import dev.hearth.group.ConsumerMembership;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.group.GroupError;
import dev.hearth.group.TopicPartitionKey;

/**
 * {@link GroupFeed} on the embedded engine: a {@link ConsumerMembership} in the engine's group coordinator (shared
 * with Kafka consumers of the same group), {@link PartitionPositions}, and reads straight from the log.
 *
 * <p>Rebalances follow the eager protocol: a failed heartbeat, a subscribed topic that appeared or grew, or a commit
 * the coordinator refused makes {@link #poll} quiesce the deliveries, drop every position and rejoin.
 *
 * <p>Thread-safety: as {@link GroupFeed}; the refused-commit flag is the one field delivery threads write.
 */
public final class EngineFeed implements GroupFeed {

    private static final Logger LOG = Logger.getLogger(EngineFeed.class.getName());
    /** How often the subscribed topics' partition counts are compared (ms). */
    private static final long TOPIC_RECHECK_MS = 2_000;

    private final Spec spec;
    private final EngineClient client;
    private final GroupCoordinator groups;
    private final ConsumerMembership membership;
    private final PartitionPositions positions;
    /** Driving thread only: when the partition counts are compared next (epoch ms). */
    private long nextTopicCheck;
    /** Set by a delivery thread whose offset commit the coordinator refused; the next poll then rejoins. */
    private volatile boolean commitRefused;

    EngineFeed(Spec spec, LogEngine engine, GroupCoordinator groups, EngineClient client) {
        this.spec = spec;
        this.client = client;
        this.groups = groups;
        this.membership = new ConsumerMembership(groups, engine, spec.groupId(), spec.clientId(),
                () -> List.copyOf(spec.topics().get()), spec.sessionTimeoutMs(),
                Math.max(spec.sessionTimeoutMs(), 30_000), System::currentTimeMillis);
        this.positions = new PartitionPositions(engine, groups, spec.groupId(), spec.reset(), spec.topics());
        positions.rememberPartitionCounts();
        nextTopicCheck = System.currentTimeMillis() + TOPIC_RECHECK_MS;
    }

    @Override
    public Set<TopicPartitionKey> poll(Runnable quiesce) throws InterruptedException {
        Set<TopicPartitionKey> owned = membership.poll();
        if (membership.rebalancePending()) {
            quiesce.run();
            positions.clear();
            return Set.of();
        }
        positions.retainAssigned(owned);
        long now = System.currentTimeMillis();
        if (now >= nextTopicCheck) {
            nextTopicCheck = now + TOPIC_RECHECK_MS;
            // A subscribed topic appeared (or grew): rejoin, so the leader assigns its partitions.
            if (positions.partitionCountsChanged()) {
                quiesce.run();
                membership.requestRejoin();
                return Set.of();
            }
        }
        if (commitRefused) {
            // A partition moved away (the coordinator refused a commit): rejoin now rather than deliver the same
            // records again until the next heartbeat reveals the rebalance.
            commitRefused = false;
            quiesce.run();
            membership.requestRejoin();
            return Set.of();
        }
        return owned;
    }

    @Override
    public LogClient.ReadBatch read(TopicPartitionKey partition, int maxRecords, int maxBytes) {
        long position = positions.position(partition);
        try {
            return client.readBatch(partition.topic(), partition.partition(), position, maxRecords, maxBytes);
        } catch (HearthConnectionException e) {
            if (e.error() == HearthError.OFFSET_OUT_OF_RANGE) {
                long start = positions.seekToLogStart(partition);
                LOG.warning(() -> "HEARTH-0721 Activation " + spec.name() + ": offset " + position + " of " + partition
                        + " is no longer in the log; continuing at the log start offset " + start);
                return new LogClient.ReadBatch(List.of(), position);
            }
            throw e;
        }
    }

    @Override
    public long position(TopicPartitionKey partition) {
        return positions.position(partition);
    }

    @Override
    public void advance(TopicPartitionKey partition, long nextOffset) {
        positions.advance(partition, nextOffset);
    }

    @Override
    public boolean commit(TopicPartitionKey partition, long nextOffset) {
        GroupError error = membership.commit(Map.of(partition, nextOffset)).get(partition);
        if (error != GroupError.NONE) {
            positions.forget(partition);
            commitRefused = true;
            return false;
        }
        return true;
    }

    @Override
    public void commitHandled(TopicPartitionKey partition, long nextOffset) {
        groups.commitTransactionalOffsets(spec.groupId(), Map.of(partition, CommittedOffset.of(nextOffset)));
    }

    @Override
    public void rewind(TopicPartitionKey partition, long offset) {
        membership.commit(Map.of(partition, offset));
        positions.seek(partition, offset);
    }

    @Override
    public void forget(TopicPartitionKey partition) {
        positions.forget(partition);
    }

    @Override
    public boolean claimFirstDelivery(TopicPartitionKey partition) {
        return positions.claimFirstDelivery(partition);
    }

    @Override
    public void close() {
        membership.leave();
    }
}
