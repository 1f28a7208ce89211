package dev.hearth.group;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.hearth.engine.HearthException;
import dev.hearth.engine.RecordTooLargeException;
import dev.hearth.engine.RetriableHearthException;
import dev.hearth.engine.log.LogEngine;

/**
 * Hearth's group coordinator: consumer-group membership and rebalancing with the semantics of Kafka's classic
 * group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), and committed offsets stored durably in the
 * engine's {@code __consumer_offsets} topic. The Kafka-protocol layer and message-driven-bean activations
 * both call it; its API speaks in this package's records, never in Kafka protocol messages.
 *
 * <p>Time: the coordinator starts no thread. Sessions expire, rebalance timeouts fire and initial delays end
 * in {@link #tick()}, which the host calls every 100 to 500 ms, and also at every call on the group concerned,
 * so a late tick never lets a dead member act. All times come from the clock given at construction.
 *
 * <p>State and durability: committed offsets are durable once {@link #commitOffsets} returns (per the engine's
 * flush policy) and are replayed from the offsets topic by the constructor. Membership is memory only: after a
 * restart members get {@link GroupError#UNKNOWN_MEMBER_ID} and join again, and generations restart at 1.
 *
 * <p>Thread-safety: every method may be called from any thread. Each group is guarded by its own monitor;
 * an offset commit appends to the offsets topic while holding it, so that the log's order of a group's
 * commits is the order applied in memory (other groups are not held up). Join and sync futures complete
 * after the monitor is released, on the thread whose call completed the rebalance (possibly the caller of
 * {@link #tick()}), so continuations must not block.
 *
 * <p>Invariant: a group in the map is never {@link GroupState#DEAD} outside its monitor; a group is marked
 * dead and removed from the map in one step under its monitor, and callers that find a dead group look it
 * up again.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCoordinator.class.getName());

    private final OffsetsTopic offsetsTopic;
    private final LongSupplier clockMs;
    private final GroupCoordinatorConfig config;
    private final ConcurrentHashMap<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A coordinator with {@link GroupCoordinatorConfig#DEFAULTS}. */
    public GroupCoordinator(LogEngine engine, LongSupplier clockMs) {
        this(engine, clockMs, GroupCoordinatorConfig.DEFAULTS);
    }

    /**
     * Opens (creating it if needed) the offsets topic and loads every committed offset from it.
     *
     * @param clockMs wall-clock milliseconds; replaceable so that tests control time
     * @throws HearthException the offsets topic cannot be created or read
     */
    public GroupCoordinator(LogEngine engine, LongSupplier clockMs, GroupCoordinatorConfig config) {
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.config = Objects.requireNonNull(config, "config");
        long started = System.nanoTime();
        this.offsetsTopic = OffsetsTopic.openOrCreate(engine);
        long nowMs = clockMs.getAsLong();
        long records = offsetsTopic.replay(record ->
                groups.computeIfAbsent(record.groupId(), id -> new ClassicGroup(id, config, nowMs)).apply(record));
        groups.values().removeIf(group -> group.offsets().isEmpty());
        int offsetCount = groups.values().stream().mapToInt(group -> group.offsets().size()).sum();
        LOG.info(() -> "HEARTH-0500 Group coordinator loaded " + offsetCount + " committed offset(s) of "
                + groups.size() + " group(s) from " + records + " record(s) of " + OffsetsTopic.NAME + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    // ---- membership ------------------------------------------------------------------------------------

    /**
     * Handles a JoinGroup. The future completes when the rebalance completes (possibly within this call), or
     * at once with an error: {@link GroupError#MEMBER_ID_REQUIRED} (rejoin with the result's member id),
     * {@link GroupError#UNKNOWN_MEMBER_ID}, {@link GroupError#INCONSISTENT_GROUP_PROTOCOL},
     * {@link GroupError#INVALID_SESSION_TIMEOUT}, {@link GroupError#INVALID_GROUP_ID},
     * {@link GroupError#COORDINATOR_NOT_AVAILABLE} (closed). A member removed while waiting gets
     * {@link GroupError#UNKNOWN_MEMBER_ID}.
     */
    public CompletableFuture<JoinResult> join(JoinRequest request) {
        GroupError invalid = validateJoin(request);
        if (invalid != GroupError.NONE) {
            return CompletableFuture.completedFuture(JoinResult.failed(invalid, request.memberId()));
        }
        return onGroup(request.groupId(), request.isNewMember(),
                CompletableFuture.completedFuture(JoinResult.failed(GroupError.UNKNOWN_MEMBER_ID, request.memberId())),
                (group, nowMs, after) -> closed // checked again under the monitor: close() fails what it finds parked
                        ? CompletableFuture.completedFuture(JoinResult.failed(GroupError.COORDINATOR_NOT_AVAILABLE,
                                request.memberId()))
                        : group.join(request, nowMs, after));
    }

    private GroupError validateJoin(JoinRequest request) {
        if (closed) {
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        }
        if (isBlank(request.groupId())) {
            return GroupError.INVALID_GROUP_ID;
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return GroupError.INVALID_SESSION_TIMEOUT;
        }
        return GroupError.NONE;
    }

    /**
     * Handles a SyncGroup. A follower's future completes when the leader's sync supplies the assignment; the
     * leader's completes within this call. Errors: {@link GroupError#UNKNOWN_MEMBER_ID},
     * {@link GroupError#ILLEGAL_GENERATION}, {@link GroupError#REBALANCE_IN_PROGRESS} (rejoin),
     * {@link GroupError#INCONSISTENT_GROUP_PROTOCOL}, {@link GroupError#INVALID_GROUP_ID},
     * {@link GroupError#COORDINATOR_NOT_AVAILABLE}.
     */
    public CompletableFuture<SyncResult> sync(SyncRequest request) {
        if (closed || isBlank(request.groupId())) {
            return CompletableFuture.completedFuture(SyncResult.failed(
                    closed ? GroupError.COORDINATOR_NOT_AVAILABLE : GroupError.INVALID_GROUP_ID));
        }
        return onGroup(request.groupId(), false,
                CompletableFuture.completedFuture(SyncResult.failed(GroupError.UNKNOWN_MEMBER_ID)),
                (group, nowMs, after) -> closed // checked again under the monitor: close() fails what it finds parked
                        ? CompletableFuture.completedFuture(SyncResult.failed(GroupError.COORDINATOR_NOT_AVAILABLE))
                        : group.sync(request, nowMs, after));
    }

    /**
     * Handles a Heartbeat: keeps the member's session alive. {@link GroupError#REBALANCE_IN_PROGRESS} tells
     * it to rejoin; {@link GroupError#ILLEGAL_GENERATION} and {@link GroupError#UNKNOWN_MEMBER_ID} that it
     * is no longer part of the generation.
     */
    public GroupError heartbeat(String groupId, String memberId, int generationId) {
        if (closed) {
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        }
        if (isBlank(groupId)) {
            return GroupError.INVALID_GROUP_ID;
        }
        return onGroup(groupId, false, GroupError.UNKNOWN_MEMBER_ID,
                (group, nowMs, after) -> group.heartbeat(memberId, generationId, nowMs));
    }

    /**
     * Handles a LeaveGroup: removes the members (and member ids handed out but not yet used), failing their
     * waiting requests with {@link GroupError#UNKNOWN_MEMBER_ID}; the rest of the group rebalances.
     *
     * @return per member id, in request order: {@link GroupError#NONE} or {@link GroupError#UNKNOWN_MEMBER_ID}
     */
    public Map<String, GroupError> leave(String groupId, List<String> memberIds) {
        GroupError invalid = closed ? GroupError.COORDINATOR_NOT_AVAILABLE
                : isBlank(groupId) ? GroupError.INVALID_GROUP_ID : GroupError.NONE;
        if (invalid != GroupError.NONE) {
            return sameError(memberIds, invalid);
        }
        return onGroup(groupId, false, sameError(memberIds, GroupError.UNKNOWN_MEMBER_ID),
                (group, nowMs, after) -> group.leave(memberIds, nowMs, after));
    }

    // ---- offsets ---------------------------------------------------------------------------------------

    /**
     * Commits offsets, durably, as one batch of the offsets topic; they are readable through
     * {@link #fetchOffsets} as soon as this returns. A group member commits with its id and generation; a
     * client outside group management (a standalone consumer, an admin tool) with generation -1 and an empty
     * member id, which is accepted only while the group has no members. The commit timestamp is the
     * coordinator's clock; the {@link CommittedOffset#commitTimestampMs()} given is ignored.
     *
     * @return per partition: {@link GroupError#NONE}, or why that partition (or the whole commit) was
     *         refused: {@link GroupError#ILLEGAL_GENERATION}, {@link GroupError#UNKNOWN_MEMBER_ID},
     *         {@link GroupError#REBALANCE_IN_PROGRESS}, {@link GroupError#OFFSET_METADATA_TOO_LARGE},
     *         {@link GroupError#INVALID_COMMIT_OFFSET_SIZE}, {@link GroupError#COORDINATOR_NOT_AVAILABLE} (the
     *         append failed or the coordinator is closed), {@link GroupError#INVALID_GROUP_ID} (null group)
     */
    public Map<TopicPartitionKey, GroupError> commitOffsets(String groupId, String memberId, int generationId,
                                                            Map<TopicPartitionKey, CommittedOffset> offsets) {
        if (closed || groupId == null) {
            return sameError(offsets.keySet(), closed ? GroupError.COORDINATOR_NOT_AVAILABLE : GroupError.INVALID_GROUP_ID);
        }
        if (offsets.isEmpty()) {
            return Map.of();
        }
        String member = memberId == null ? "" : memberId;
        // A group that does not exist can only be committed to from outside group management; it is created then.
        return onGroup(groupId, generationId < 0, sameError(offsets.keySet(), GroupError.ILLEGAL_GENERATION),
                (group, nowMs, after) -> {
                    GroupError refused = group.validateCommit(member, generationId, nowMs);
                    if (refused != GroupError.NONE) {
                        return sameError(offsets.keySet(), refused);
                    }
                    Map<TopicPartitionKey, GroupError> errors = new LinkedHashMap<>();
                    List<OffsetCommitRecord> records = new ArrayList<>(offsets.size());
                    offsets.forEach((partition, offset) -> {
                        if (offset.metadata().getBytes(StandardCharsets.UTF_8).length > config.maxOffsetMetadataBytes()) {
                            errors.put(partition, GroupError.OFFSET_METADATA_TOO_LARGE);
                        } else {
                            errors.put(partition, GroupError.NONE);
                            records.add(OffsetCommitRecord.commit(groupId, partition, offset.stampedAt(nowMs)));
                        }
                    });
                    GroupError appended = persist(group, records, nowMs, "commit");
                    records.forEach(record -> errors.put(record.partition(), appended));
                    return errors;
                });
    }

    /**
     * The group's committed offsets, as of the last commit that returned.
     *
     * @param partitions the partitions wanted, or null for every partition the group has an offset for
     * @return the committed offsets; a partition without one is absent (Kafka answers offset -1 for it)
     */
    public Map<TopicPartitionKey, CommittedOffset> fetchOffsets(String groupId, List<TopicPartitionKey> partitions) {
        Objects.requireNonNull(groupId, "groupId");
        return onGroup(groupId, false, Map.of(), (group, nowMs, after) -> {
            Map<TopicPartitionKey, CommittedOffset> committed = group.offsets();
            if (partitions == null) {
                return Map.copyOf(committed);
            }
            Map<TopicPartitionKey, CommittedOffset> found = new HashMap<>();
            for (TopicPartitionKey partition : partitions) {
                CommittedOffset offset = committed.get(partition);
                if (offset != null) {
                    found.put(partition, offset);
                }
            }
            return Map.copyOf(found);
        });
    }

    /**
     * Replaces committed offsets of a group that has no members, as {@code kafka-consumer-groups
     * --reset-offsets} does.
     *
     * @param offsets the new offset per partition; a null value deletes the partition's committed offset.
     *                Partitions not mentioned keep theirs.
     * @return {@link GroupError#NONE}; {@link GroupError#NON_EMPTY_GROUP} while the group has members;
     *         {@link GroupError#COORDINATOR_NOT_AVAILABLE} or {@link GroupError#INVALID_COMMIT_OFFSET_SIZE} if
     *         the append failed; {@link GroupError#INVALID_GROUP_ID}
     */
    /**
     * Makes offsets committed inside a transaction visible, when that transaction commits. They were
     * validated against the group's membership when the transaction sent them, so they are not checked
     * again here (the group may have rebalanced since, as in Kafka).
     */
    public Map<TopicPartitionKey, GroupError> commitTransactionalOffsets(String groupId,
                                                                         Map<TopicPartitionKey, CommittedOffset> offsets) {
        if (closed || groupId == null) {
            return sameError(offsets.keySet(), closed ? GroupError.COORDINATOR_NOT_AVAILABLE : GroupError.INVALID_GROUP_ID);
        }
        if (offsets.isEmpty()) {
            return Map.of();
        }
        return onGroup(groupId, true, sameError(offsets.keySet(), GroupError.COORDINATOR_NOT_AVAILABLE),
                (group, nowMs, after) -> {
                    List<OffsetCommitRecord> records = new ArrayList<>(offsets.size());
                    offsets.forEach((partition, offset) ->
                            records.add(OffsetCommitRecord.commit(groupId, partition, offset.stampedAt(nowMs))));
                    GroupError appended = persist(group, records, nowMs, "transactional commit");
                    Map<TopicPartitionKey, GroupError> errors = new LinkedHashMap<>();
                    records.forEach(record -> errors.put(record.partition(), appended));
                    return errors;
                });
    }

    public GroupError resetOffsets(String groupId, Map<TopicPartitionKey, Long> offsets) {
        if (closed) {
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        }
        if (groupId == null) {
            return GroupError.INVALID_GROUP_ID;
        }
        if (offsets.isEmpty()) {
            return GroupError.NONE;
        }
        return onGroup(groupId, true, GroupError.NONE, (group, nowMs, after) -> {
            if (group.hasMembers()) {
                return GroupError.NON_EMPTY_GROUP;
            }
            List<OffsetCommitRecord> records = new ArrayList<>(offsets.size());
            offsets.forEach((partition, offset) -> records.add(offset == null
                    ? OffsetCommitRecord.tombstone(groupId, partition)
                    : OffsetCommitRecord.commit(groupId, partition,
                            new CommittedOffset(offset, CommittedOffset.NO_LEADER_EPOCH, "", nowMs))));
            return persist(group, records, nowMs, "offset reset");
        });
    }

    /**
     * Appends the records to the offsets topic and, once they are durable, applies them to the group.
     * Called holding the group's monitor.
     */
    private GroupError persist(ClassicGroup group, List<OffsetCommitRecord> records, long nowMs, String what) {
        if (records.isEmpty()) {
            return GroupError.NONE;
        }
        try {
            offsetsTopic.append(group.groupId(), records, nowMs);
        } catch (RecordTooLargeException e) {
            LOG.warning(() -> "HEARTH-0506 The " + what + " of " + records.size() + " offset(s) for group "
                    + group.groupId() + " was refused: " + e.getMessage());
            return GroupError.INVALID_COMMIT_OFFSET_SIZE;
        } catch (RetriableHearthException e) {
            LOG.log(Level.WARNING, "HEARTH-0506 The " + what + " of " + records.size() + " offset(s) for group "
                    + group.groupId() + " failed; clients will retry", e);
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        } catch (HearthException e) {
            LOG.log(Level.SEVERE, "HEARTH-0506 The " + what + " of " + records.size() + " offset(s) for group "
                    + group.groupId() + " failed", e);
            return GroupError.UNKNOWN_SERVER_ERROR;
        }
        records.forEach(group::apply);
        return GroupError.NONE;
    }

    // ---- administration --------------------------------------------------------------------------------

    /** Every group, ordered by id: those with members and those that only store offsets (as EMPTY). */
    public List<GroupOverview> listGroups() {
        List<GroupOverview> overviews = new ArrayList<>();
        for (String groupId : groups.keySet()) {
            onGroup(groupId, false, null, (group, nowMs, after) -> overviews.add(group.overview()));
        }
        overviews.sort(Comparator.comparing(GroupOverview::groupId));
        return overviews;
    }

    /** The group as DescribeGroups shows it; {@link GroupState#DEAD} and empty for an unknown group. */
    public GroupDescription describe(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        return onGroup(groupId, false, GroupDescription.dead(groupId), (group, nowMs, after) -> group.describe());
    }

    /**
     * Kafka's OffsetDelete ({@code kafka-consumer-groups --delete-offsets}): removes the group's committed offsets
     * of {@code partitions}, durably (tombstones in the offsets topic). An empty group loses them all; a group with
     * members of the {@code consumer} protocol keeps those of topics a member is subscribed to
     * ({@link GroupError#GROUP_SUBSCRIBED_TO_TOPIC}); a group with members of another protocol is refused whole.
     *
     * @param subscribedTopics the topics the group's members are subscribed to, from its description; called under
     *                         the group's monitor, so the membership cannot change in between
     * @return the group-level error ({@link GroupError#GROUP_ID_NOT_FOUND}, {@link GroupError#NON_EMPTY_GROUP},
     *         {@link GroupError#INVALID_GROUP_ID}, {@link GroupError#COORDINATOR_NOT_AVAILABLE}) in
     *         {@code groupError}, and per partition {@link GroupError#NONE} (deleted, or had none),
     *         {@link GroupError#GROUP_SUBSCRIBED_TO_TOPIC} or the append's error
     */
    public OffsetDeletion deleteOffsets(String groupId, List<TopicPartitionKey> partitions,
                                        java.util.function.Function<GroupDescription, java.util.Set<String>> subscribedTopics) {
        if (closed || isBlank(groupId)) {
            return new OffsetDeletion(closed ? GroupError.COORDINATOR_NOT_AVAILABLE : GroupError.INVALID_GROUP_ID,
                    Map.of());
        }
        return onGroup(groupId, false, new OffsetDeletion(GroupError.GROUP_ID_NOT_FOUND, Map.of()),
                (group, nowMs, after) -> {
                    java.util.Set<String> kept = java.util.Set.of();
                    if (group.hasMembers()) {
                        GroupDescription description = group.describe();
                        if (!"consumer".equals(description.protocolType())) {
                            return new OffsetDeletion(GroupError.NON_EMPTY_GROUP, Map.of());
                        }
                        kept = subscribedTopics.apply(description);
                    }
                    Map<TopicPartitionKey, GroupError> errors = new LinkedHashMap<>();
                    List<OffsetCommitRecord> tombstones = new ArrayList<>();
                    for (TopicPartitionKey partition : partitions) {
                        if (kept.contains(partition.topic())) {
                            errors.put(partition, GroupError.GROUP_SUBSCRIBED_TO_TOPIC);
                        } else {
                            errors.put(partition, GroupError.NONE);
                            if (group.offsets().containsKey(partition)) {
                                tombstones.add(OffsetCommitRecord.tombstone(groupId, partition));
                            }
                        }
                    }
                    GroupError appended = persist(group, tombstones, nowMs, "offset deletion");
                    tombstones.forEach(tombstone -> errors.put(tombstone.partition(), appended));
                    return new OffsetDeletion(GroupError.NONE, errors);
                });
    }

    /** The outcome of {@link #deleteOffsets}: a group-level error, else one per partition. */
    public record OffsetDeletion(GroupError groupError, Map<TopicPartitionKey, GroupError> partitionErrors) {
    }

    /**
     * Deletes groups that have no members, with their committed offsets (durably: tombstones are appended to
     * the offsets topic).
     *
     * @return per group id: {@link GroupError#NONE}, {@link GroupError#NON_EMPTY_GROUP},
     *         {@link GroupError#GROUP_ID_NOT_FOUND}, {@link GroupError#INVALID_GROUP_ID}, or the append's error
     */
    public Map<String, GroupError> deleteGroups(List<String> groupIds) {
        Map<String, GroupError> errors = new LinkedHashMap<>();
        for (String groupId : groupIds) {
            if (closed || groupId == null) {
                errors.put(groupId, closed ? GroupError.COORDINATOR_NOT_AVAILABLE : GroupError.INVALID_GROUP_ID);
                continue;
            }
            errors.put(groupId, onGroup(groupId, false, GroupError.GROUP_ID_NOT_FOUND, (group, nowMs, after) -> {
                if (group.state() != GroupState.EMPTY) {
                    return GroupError.NON_EMPTY_GROUP;
                }
                List<OffsetCommitRecord> tombstones = group.offsets().keySet().stream()
                        .sorted()
                        .map(partition -> OffsetCommitRecord.tombstone(groupId, partition))
                        .toList();
                GroupError deleted = persist(group, tombstones, nowMs, "deletion");
                if (deleted == GroupError.NONE) {
                    remove(group, GroupError.GROUP_ID_NOT_FOUND, after);
                    after.log(Level.INFO, () -> "HEARTH-0507 Deleted group " + groupId + " and its "
                            + tombstones.size() + " committed offset(s)");
                }
                return deleted;
            }));
        }
        return errors;
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /**
     * Applies the passage of time to every group: expires sessions and member ids handed out but never used,
     * completes rebalances whose timeout or initial delay has passed, removes members that did not sync, and
     * forgets groups that have had neither members nor offsets for
     * {@link GroupCoordinatorConfig#emptyGroupRetentionMs()}.
     */
    public void tick() {
        if (closed) {
            return;
        }
        for (String groupId : groups.keySet()) {
            onGroup(groupId, false, null, (group, nowMs, after) -> {
                if (group.isRemovable(nowMs)) {
                    remove(group, GroupError.COORDINATOR_NOT_AVAILABLE, after);
                }
                return null;
            });
        }
    }

    /**
     * Stops answering: waiting joins and syncs complete with {@link GroupError#COORDINATOR_NOT_AVAILABLE}, as
     * do all later membership, commit, reset and delete calls; {@link #tick()} does nothing. Reads
     * ({@link #fetchOffsets}, {@link #describe}, {@link #listGroups}) keep answering from the state frozen at
     * close. Does not close the engine. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (String groupId : groups.keySet()) {
            onGroup(groupId, false, null, (group, nowMs, after) -> {
                group.failWaiting(GroupError.COORDINATOR_NOT_AVAILABLE, after);
                return null;
            });
        }
        LOG.fine("Group coordinator closed");
    }

    // ---- plumbing --------------------------------------------------------------------------------------

    /** Work on one group, done under its monitor at coordinator time {@code nowMs}. */
    @FunctionalInterface
    private interface GroupAction<T> {
        T apply(ClassicGroup group, long nowMs, AfterUnlock after);
    }

    /**
     * Runs {@code action} on the live group under its monitor, after applying the time that has passed (not
     * once closed: the state stays as close left it), then completes the futures and writes the log lines it
     * left behind.
     *
     * @param create   create an empty group if there is none
     * @param ifAbsent the answer when there is no group and {@code create} is false
     */
    private <T> T onGroup(String groupId, boolean create, T ifAbsent, GroupAction<T> action) {
        while (true) {
            ClassicGroup group = create
                    ? groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, config, clockMs.getAsLong()))
                    : groups.get(groupId);
            if (group == null) {
                return ifAbsent;
            }
            AfterUnlock after = new AfterUnlock();
            try {
                synchronized (group) {
                    if (group.state() == GroupState.DEAD) {
                        continue;   // removed meanwhile: look it up (or create it) again
                    }
                    long nowMs = clockMs.getAsLong();
                    if (!closed) {
                        group.advanceTime(nowMs, after);
                    }
                    return action.apply(group, nowMs, after);
                }
            } finally {
                after.run();
            }
        }
    }

    /** Marks the group dead and takes it out of the map; called holding its monitor. */
    private void remove(ClassicGroup group, GroupError errorForWaiting, AfterUnlock after) {
        group.markDead(errorForWaiting, after);
        groups.remove(group.groupId(), group);
    }

    private static boolean isBlank(String groupId) {
        return groupId == null || groupId.isEmpty();
    }

    private static <K> Map<K, GroupError> sameError(Iterable<K> keys, GroupError error) {
        Map<K, GroupError> errors = new LinkedHashMap<>();
        keys.forEach(key -> errors.put(key, error));
        return errors;
    }
}
