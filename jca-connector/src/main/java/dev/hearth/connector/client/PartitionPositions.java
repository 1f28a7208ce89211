package dev.hearth.connector.client;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.CommittedOffset;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.group.TopicPartitionKey;

/**
 * The read positions of one in-process member of a consumer group: for each partition of its assignment, the next
 * offset to read. This is the one place where an in-process consumer (a message-driven bean's
 * {@code RecordDispatcher}, an HTTP member's {@code MembershipConsumer}) decides where it reads:
 * <ul>
 *   <li>a partition read for the first time since its assignment starts at the group's committed offset, or, without
 *       one, where the {@link OffsetReset} points;</li>
 *   <li>a position that retention removed from the log ({@code OFFSET_OUT_OF_RANGE}) moves to the log start offset
 *       ({@link #seekToLogStart});</li>
 *   <li>a rebalance revokes every position ({@link #clear}, the eager protocol), and positions outside the current
 *       assignment are dropped ({@link #retainAssigned}), so a position never outlives the assignment it was read
 *       under;</li>
 *   <li>a change in the partition counts of the subscribed topics is reported once
 *       ({@link #partitionCountsChanged}), so that the member rejoins and the leader assigns the new partitions.</li>
 * </ul>
 *
 * <p>Invariant: {@link #claimFirstDelivery}'s claims are a subset of the partitions that have a position; forgetting or
 * dropping a position drops its claim.
 *
 * <p>Thread-safety: {@link #position}, {@link #advance}, {@link #seek}, {@link #forget}, {@link #seekToLogStart} and
 * {@link #claimFirstDelivery} may be called from any thread (message-driven beans deliver partitions on several
 * threads); {@link #retainAssigned}, {@link #clear}, {@link #rememberPartitionCounts} and
 * {@link #partitionCountsChanged} belong to the one thread that drives the group membership.
 */
public final class PartitionPositions {

    private final LogEngine engine;
    private final GroupCoordinator groups;
    private final String groupId;
    private final OffsetReset reset;
    /** The topics the member subscribes to now (a pattern subscription changes with the topics that exist). */
    private final Supplier<? extends Collection<String>> subscribedTopics;
    /** Next offset to read per partition of the current assignment. */
    private final Map<TopicPartitionKey, Long> positions = new ConcurrentHashMap<>();
    /** Partitions whose first delivery since their assignment has been claimed. */
    private final Set<TopicPartitionKey> firstDeliveryClaimed = ConcurrentHashMap.newKeySet();
    /** Partition count per existing subscribed topic when last remembered; driving thread only. */
    private Map<String, Integer> knownPartitionCounts = Map.of();

    public PartitionPositions(LogEngine engine, GroupCoordinator groups, String groupId, OffsetReset reset,
                              Supplier<? extends Collection<String>> subscribedTopics) {
        this.engine = engine;
        this.groups = groups;
        this.groupId = groupId;
        this.reset = reset;
        this.subscribedTopics = subscribedTopics;
    }

    /** The next offset to read from {@code partition}: its position, else the committed offset, else the reset's. */
    public long position(TopicPartitionKey partition) {
        return positions.computeIfAbsent(partition, this::startOffset);
    }

    private long startOffset(TopicPartitionKey partition) {
        CommittedOffset committed = groups.fetchOffsets(groupId, java.util.List.of(partition)).get(partition);
        return committed != null ? committed.offset() : reset.startOffset(engine, partition);
    }

    /** Records were read (or skipped) up to {@code nextOffset}, exclusive. */
    public void advance(TopicPartitionKey partition, long nextOffset) {
        positions.put(partition, nextOffset);
    }

    /** Reads {@code partition} from {@code offset} next, e.g. back to where an application's offset table is. */
    public void seek(TopicPartitionKey partition, long offset) {
        positions.put(partition, offset);
    }

    /** Retention removed the records at the position: continues at the oldest record still there, and returns it. */
    public long seekToLogStart(TopicPartitionKey partition) {
        long logStartOffset = engine.describePartition(partition.topic(), partition.partition()).logStartOffset();
        positions.put(partition, logStartOffset);
        return logStartOffset;
    }

    /** Drops the position: the next read starts at the committed offset again (after a failed or refused commit). */
    public void forget(TopicPartitionKey partition) {
        positions.remove(partition);
        firstDeliveryClaimed.remove(partition);
    }

    /** Keeps only the positions of partitions still assigned. */
    public void retainAssigned(Set<TopicPartitionKey> assigned) {
        positions.keySet().retainAll(assigned);
        firstDeliveryClaimed.retainAll(positions.keySet());
    }

    /** A rebalance revoked the assignment: every position goes. */
    public void clear() {
        positions.clear();
        firstDeliveryClaimed.clear();
    }

    /**
     * True exactly once per partition between its assignment and its revocation (or {@link #forget}): the caller is
     * making the first delivery since the assignment, e.g. the one that checks an application's offset table.
     */
    public boolean claimFirstDelivery(TopicPartitionKey partition) {
        return firstDeliveryClaimed.add(partition);
    }

    /** The positions of the partitions in {@code assigned} that have one, e.g. to commit them. */
    public Map<TopicPartitionKey, Long> positionsIn(Set<TopicPartitionKey> assigned) {
        Map<TopicPartitionKey, Long> result = new LinkedHashMap<>();
        positions.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                result.put(partition, offset);
            }
        });
        return result;
    }

    /** Takes the subscribed topics' partition counts now as the ones the current assignment was computed from. */
    public void rememberPartitionCounts() {
        knownPartitionCounts = partitionCounts();
    }

    /**
     * Whether a subscribed topic appeared or grew since the counts were last remembered; if so, remembers the new
     * counts, and the caller rejoins the group so that the leader assigns the new partitions.
     */
    public boolean partitionCountsChanged() {
        Map<String, Integer> counts = partitionCounts();
        if (counts.equals(knownPartitionCounts)) {
            return false;
        }
        knownPartitionCounts = counts;
        return true;
    }

    /** Partition counts of the subscribed topics that exist now. */
    private Map<String, Integer> partitionCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (String topic : subscribedTopics.get()) {
            if (engine.topicExists(topic)) {
                counts.put(topic, engine.partitionCount(topic));
            }
        }
        return counts;
    }
}
