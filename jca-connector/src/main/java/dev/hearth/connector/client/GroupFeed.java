package dev.hearth.connector.client;

import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;

import dev.hearth.group.TopicPartitionKey;

/**
 * One consumer-group member's records, for message delivery: which partitions it owns, the next records of each from
 * its position, and the group offsets it commits. Message-driven-bean delivery ({@code RecordDispatcher}) is written
 * once against this interface; {@link EngineFeed} implements it on the embedded engine's group coordinator, and
 * {@code ClusterFeed} with a Kafka consumer on a cluster.
 *
 * <p>Contract: a partition's position starts at the group's committed offset (else where the {@link OffsetReset}
 * points); {@link #read} never moves it, {@link #advance} does once the records below were handled; a rebalance
 * first calls the {@code quiesce} callback given to {@link #poll}, which returns only when no delivery is in flight
 * and every one of them has committed, and then drops the positions of the partitions given up.
 *
 * <p>Thread-safety: {@link #poll}, {@link #read} and {@link #close} belong to the one thread that drives the member;
 * {@link #advance}, {@link #commit}, {@link #rewind}, {@link #forget} and {@link #claimFirstDelivery} may be called
 * from delivery threads, for partitions the driving thread handed out and no other delivery holds.
 */
public interface GroupFeed {

    /**
     * The partitions this member owns now; joins, heartbeats and rebalances first as needed. Returns an empty set while
     * a rebalance is in progress; the caller polls again soon.
     *
     * @param quiesce waits until no delivery is in flight (and so every one has committed or given up)
     */
    Set<TopicPartitionKey> poll(Runnable quiesce) throws InterruptedException;

    /**
     * The next records of an owned partition from its position, at most {@code maxRecords} and about
     * {@code maxBytes}; the batch's {@code nextOffset} is past skipped markers and aborted or compacted batches.
     * Empty at the log end. A position retention removed moves to the log start (logged). An empty batch whose
     * {@code nextOffset} is beyond the {@link #position} stepped over batches without records for the caller: it
     * then advances the position there.
     */
    LogClient.ReadBatch read(TopicPartitionKey partition, int maxRecords, int maxBytes);

    /** The next offset to read from an owned partition (its position). */
    long position(TopicPartitionKey partition);

    /** The records below {@code nextOffset} were handled (or skipped): the next read starts there. */
    void advance(TopicPartitionKey partition, long nextOffset);

    /**
     * Commits {@code nextOffset} as the group's offset of the partition.
     *
     * @return false if the group refused because the partition moved to another member; the member then rejoins on
     *         its next poll and the partition's new owner continues from the last committed offset
     */
    boolean commit(TopicPartitionKey partition, long nextOffset);

    /**
     * Commits an offset outside the member's generation, as an XA offset commit would (the records below were
     * dead-lettered by a transacted delivery).
     */
    void commitHandled(TopicPartitionKey partition, long nextOffset);

    /** Sends the group's offset back to {@code offset} (an application's offset table is behind) and reads from there. */
    void rewind(TopicPartitionKey partition, long offset);

    /** Drops the position: the next read starts at the committed offset again (after a failed delivery). */
    void forget(TopicPartitionKey partition);

    /**
     * True exactly once per partition between its assignment and its revocation (or {@link #forget}): the caller is
     * making the first delivery since the assignment, the one that checks an application's offset table.
     */
    boolean claimFirstDelivery(TopicPartitionKey partition);

    /** Leaves the group. */
    void close();

    /**
     * What a member is.
     *
     * @param groupId          the consumer group
     * @param clientId         shown in the group's description
     * @param topics           the topics to subscribe to now (re-read: topics appear, ACLs change)
     * @param sessionTimeoutMs the group session time-out
     * @param reset            where a partition without a committed offset starts
     * @param name             the activation's name, for log messages
     */
    record Spec(String groupId, String clientId, Supplier<? extends Collection<String>> topics, int sessionTimeoutMs,
                OffsetReset reset, String name) {
    }

    /** Opens members' feeds on a running backend. */
    @FunctionalInterface
    interface Opener {
        GroupFeed open(Spec spec);
    }
}
