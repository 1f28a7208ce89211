package dev.hearth.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;

/**
 * One consumer group under Kafka's classic group protocol: its members, the rebalance state machine
 * ({@link GroupState}) and, in memory, its committed offsets. It does no I/O and reads no clock: the
 * {@link GroupCoordinator} passes the time in and persists offsets.
 *
 * <p>A rebalance: a join (or a leave, or an expiry) moves the group to {@code PREPARING_REBALANCE}; it
 * completes when every member has rejoined and no handed-out member id is still pending, or at the rebalance
 * timeout (the longest of the members'), dropping members that did not rejoin. The first rebalance of an
 * empty group instead waits {@code initialRebalanceDelayMs}, extended by each new member up to the rebalance
 * timeout. Completion starts generation + 1 in {@code COMPLETING_REBALANCE}; the leader's SyncGroup makes it
 * {@code STABLE}. Members that have not sent SyncGroup a rebalance timeout after completion are removed.
 *
 * <p>Invariants, whenever the monitor is free:
 * <ul>
 * <li>{@code DEAD} only once removed from the coordinator; a dead group has no members.</li>
 * <li>{@code EMPTY} has no members; {@code COMPLETING_REBALANCE} and {@code STABLE} have at least one.</li>
 * <li>{@code leaderId} is a member's id, or null exactly when there are no members.</li>
 * <li>All members share {@code protocolType} and at least one protocol name.</li>
 * <li>A member awaits a join only in {@code PREPARING_REBALANCE}, a sync only in
 *     {@code COMPLETING_REBALANCE}.</li>
 * </ul>
 *
 * <p>Thread-safety: not thread-safe by itself; every method must be called holding the group's monitor
 * ({@code synchronized (group)}). Futures are completed, and messages logged, through an
 * {@link AfterUnlock} the caller runs once it has released the monitor.
 */
final class ClassicGroup {

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final String groupId;
    private final GroupCoordinatorConfig config;
    private GroupState state = GroupState.EMPTY;
    private int generationId;
    /** Shared by all members; set by the first member of an empty group, null if there never was one. */
    private String protocolType;
    /** The current generation's protocol; null when the generation has no members. */
    private String protocolName;
    private String leaderId;
    /** In join order: the first is the leader unless an earlier leader is still present. */
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** Ids handed out with MEMBER_ID_REQUIRED whose owners have not joined with them, to their expiry (ms). */
    private final Map<String, Long> pendingMembers = new LinkedHashMap<>();
    /** Members of the current generation that have not sent SyncGroup yet. */
    private final Set<String> pendingSyncMembers = new HashSet<>();
    /** When members still in {@code pendingSyncMembers} are removed. */
    private long syncDeadlineMs = NO_DEADLINE;
    /** In PREPARING_REBALANCE: when the rebalance completes at the latest (the end of the initial delay). */
    private long joinDeadlineMs = NO_DEADLINE;
    /** In an initial-delay rebalance, how much of the rebalance timeout is left for extensions; else -1. */
    private long initialDelayRemainingMs = -1;
    /** A new member joined during the current initial delay, which therefore is extended once more. */
    private boolean newMemberAdded;
    private final Map<TopicPartitionKey, CommittedOffset> offsets = new HashMap<>();
    /** When the group was created or last became EMPTY (ms). */
    private long emptySinceMs;

    ClassicGroup(String groupId, GroupCoordinatorConfig config, long nowMs) {
        this.groupId = groupId;
        this.config = config;
        this.emptySinceMs = nowMs;
    }

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    int generationId() {
        return generationId;
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    /**
     * An empty group that nobody is about to join, that stores no offsets and has been empty for
     * {@code emptyGroupRetentionMs}: the coordinator may forget it.
     */
    boolean isRemovable(long nowMs) {
        return state == GroupState.EMPTY && offsets.isEmpty() && pendingMembers.isEmpty()
                && nowMs - emptySinceMs >= config.emptyGroupRetentionMs();
    }

    // ---- time ------------------------------------------------------------------------------------------

    /**
     * Applies everything due by {@code nowMs}: expired pending member ids and sessions, members that did not
     * sync in time, and the completion of a rebalance whose timeout or initial delay has passed.
     */
    void advanceTime(long nowMs, AfterUnlock after) {
        pendingMembers.values().removeIf(expiryMs -> expiryMs <= nowMs);
        for (GroupMember member : List.copyOf(members.values())) {
            if (!member.isAlive(nowMs, config.newMemberJoinTimeoutMs())) {
                String why = member.isAwaitingJoin() ? "it waited in a rebalance for longer than "
                        + config.newMemberJoinTimeoutMs() + " ms" : "its session timeout of " + member.sessionTimeoutMs
                        + " ms expired";
                after.log(Level.INFO, () -> "HEARTH-0504 Removing member " + member.memberId + " from group "
                        + groupId + ": " + why);
                removeMember(member, nowMs, after);
            }
        }
        if (nowMs >= syncDeadlineMs && (state == GroupState.COMPLETING_REBALANCE || state == GroupState.STABLE)) {
            syncDeadlineMs = NO_DEADLINE;
            Set<String> unsynced = Set.copyOf(pendingSyncMembers);
            if (!unsynced.isEmpty()) {
                after.log(Level.INFO, () -> "HEARTH-0504 Removing members " + unsynced + " from group " + groupId
                        + ": they did not send SyncGroup for generation " + generationId + " within the rebalance timeout");
                for (String memberId : unsynced) {
                    removeMember(members.get(memberId), nowMs, after);
                }
            }
        }
        maybeCompleteJoin(nowMs, after);
    }

    // ---- JoinGroup -------------------------------------------------------------------------------------

    /** Handles a JoinGroup; the future completes when the rebalance does, or at once on an error. */
    CompletableFuture<JoinResult> join(JoinRequest request, long nowMs, AfterUnlock after) {
        if (!supportsProtocols(request)) {
            return CompletableFuture.completedFuture(
                    JoinResult.failed(GroupError.INCONSISTENT_GROUP_PROTOCOL, request.memberId()));
        }
        CompletableFuture<JoinResult> future = new CompletableFuture<>();
        if (request.isNewMember()) {
            // Static members (group.instance.id) are treated as dynamic ones: a fresh id from the client id.
            String memberId = request.clientId() + "-" + UUID.randomUUID();
            if (request.requireKnownMemberId()) {
                pendingMembers.put(memberId, nowMs + request.sessionTimeoutMs());
                return CompletableFuture.completedFuture(JoinResult.failed(GroupError.MEMBER_ID_REQUIRED, memberId));
            }
            addMemberAndRebalance(request, memberId, future, nowMs, after);
        } else if (pendingMembers.containsKey(request.memberId())) {
            addMemberAndRebalance(request, request.memberId(), future, nowMs, after);
        } else {
            GroupMember member = members.get(request.memberId());
            if (member == null) {
                return CompletableFuture.completedFuture(
                        JoinResult.failed(GroupError.UNKNOWN_MEMBER_ID, request.memberId()));
            }
            member.lastHeartbeatMs = nowMs;
            boolean isLeader = member.memberId.equals(leaderId);
            switch (state) {
                case PREPARING_REBALANCE -> updateMemberAndRebalance(member, request, future, nowMs, after);
                case COMPLETING_REBALANCE -> {
                    if (!member.matches(request.protocols())) {
                        updateMemberAndRebalance(member, request, future, nowMs, after);
                    } else {
                        // It lost the join response; the generation it joined is still the current one.
                        return CompletableFuture.completedFuture(currentGeneration(member, isLeader));
                    }
                }
                case STABLE -> {
                    if (isLeader || !member.matches(request.protocols())) {
                        // A leader's join is how a client asks for a rebalance (for example on new topics).
                        updateMemberAndRebalance(member, request, future, nowMs, after);
                    } else {
                        return CompletableFuture.completedFuture(currentGeneration(member, false));
                    }
                }
                case EMPTY, DEAD -> {
                    return CompletableFuture.completedFuture(
                            JoinResult.failed(GroupError.UNKNOWN_MEMBER_ID, request.memberId()));
                }
            }
        }
        maybeCompleteJoin(nowMs, after);
        return future;
    }

    /**
     * The joining member's protocol type and protocols fit the group: with no other member, any non-empty
     * type and protocol list does; otherwise the type must be the group's and one protocol must be supported
     * by every other member. This keeps the members' common protocols non-empty.
     */
    private boolean supportsProtocols(JoinRequest request) {
        if (request.protocolType().isEmpty() || request.protocols().isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!request.protocolType().equals(protocolType)) {
            return false;
        }
        Set<String> common = null;
        for (GroupMember member : members.values()) {
            if (!member.memberId.equals(request.memberId())) {
                if (common == null) {
                    common = member.protocolNames();
                } else {
                    common.retainAll(member.protocolNames());
                }
            }
        }
        if (common == null) {
            return true;
        }
        for (JoinRequest.Protocol protocol : request.protocols()) {
            if (common.contains(protocol.name())) {
                return true;
            }
        }
        return false;
    }

    private void addMemberAndRebalance(JoinRequest request, String memberId, CompletableFuture<JoinResult> future,
                                       long nowMs, AfterUnlock after) {
        GroupMember member = new GroupMember(request, memberId, nowMs);
        member.awaitingJoin = future;
        if (state == GroupState.PREPARING_REBALANCE && initialDelayRemainingMs >= 0) {
            newMemberAdded = true;
        }
        if (members.isEmpty()) {
            protocolType = request.protocolType();
        }
        members.put(memberId, member);
        if (leaderId == null) {
            leaderId = memberId;
        }
        pendingMembers.remove(memberId);
        after.log(Level.FINE, () -> "Member " + memberId + " (client " + request.clientId() + ") joins group " + groupId);
        maybePrepareRebalance(nowMs, after);
    }

    private void updateMemberAndRebalance(GroupMember member, JoinRequest request, CompletableFuture<JoinResult> future,
                                          long nowMs, AfterUnlock after) {
        if (member.awaitingJoin != null) {
            // The client sent JoinGroup again (it timed out or reconnected): the newer request is the one answered.
            after.complete(member.awaitingJoin, JoinResult.failed(GroupError.REBALANCE_IN_PROGRESS, member.memberId));
        }
        member.update(request);
        member.awaitingJoin = future;
        maybePrepareRebalance(nowMs, after);
    }

    private JoinResult currentGeneration(GroupMember member, boolean withMembers) {
        return new JoinResult(GroupError.NONE, generationId, protocolType, protocolName, leaderId, member.memberId,
                withMembers ? currentMembers() : List.of());
    }

    private List<JoinResult.Member> currentMembers() {
        List<JoinResult.Member> list = new ArrayList<>(members.size());
        for (GroupMember member : members.values()) {
            list.add(new JoinResult.Member(member.memberId, member.groupInstanceId, member.metadata(protocolName)));
        }
        return list;
    }

    // ---- rebalance -------------------------------------------------------------------------------------

    private void maybePrepareRebalance(long nowMs, AfterUnlock after) {
        if (state.canRebalance()) {
            prepareRebalance(nowMs, after);
        }
    }

    private void prepareRebalance(long nowMs, AfterUnlock after) {
        if (state == GroupState.COMPLETING_REBALANCE) {
            // The generation being synced is void: members waiting for an assignment must rejoin.
            for (GroupMember member : members.values()) {
                member.assignment = GroupMember.NO_ASSIGNMENT;
                if (member.awaitingSync != null) {
                    after.complete(member.awaitingSync, SyncResult.failed(GroupError.REBALANCE_IN_PROGRESS));
                    member.awaitingSync = null;
                    // Its session was suspended while it waited; it starts again with the answer.
                    member.lastHeartbeatMs = nowMs;
                }
            }
        }
        pendingSyncMembers.clear();
        syncDeadlineMs = NO_DEADLINE;
        long rebalanceTimeoutMs = rebalanceTimeoutMs();
        if (state == GroupState.EMPTY) {
            long delayMs = config.initialRebalanceDelayMs();
            joinDeadlineMs = nowMs + delayMs;
            initialDelayRemainingMs = Math.max(rebalanceTimeoutMs - delayMs, 0);
            newMemberAdded = false;
        } else {
            joinDeadlineMs = nowMs + rebalanceTimeoutMs;
            initialDelayRemainingMs = -1;
        }
        GroupState previous = state;
        transitionTo(GroupState.PREPARING_REBALANCE);
        after.log(Level.FINE, () -> "Group " + groupId + " prepares a rebalance from " + previous.displayName()
                + " (generation " + generationId + ", " + members.size() + " member(s))");
    }

    /** The longest rebalance timeout of the members: how long a rebalance waits for them to rejoin. */
    private long rebalanceTimeoutMs() {
        long longest = 0;
        for (GroupMember member : members.values()) {
            longest = Math.max(longest, member.rebalanceTimeoutMs);
        }
        return longest;
    }

    private void maybeCompleteJoin(long nowMs, AfterUnlock after) {
        if (state != GroupState.PREPARING_REBALANCE) {
            return;
        }
        if (initialDelayRemainingMs >= 0) {
            if (nowMs < joinDeadlineMs) {
                return;
            }
            if (newMemberAdded && initialDelayRemainingMs > 0) {
                newMemberAdded = false;
                long delayMs = Math.min(config.initialRebalanceDelayMs(), initialDelayRemainingMs);
                initialDelayRemainingMs = Math.max(initialDelayRemainingMs - config.initialRebalanceDelayMs(), 0);
                joinDeadlineMs = nowMs + delayMs;
                return;
            }
        } else if (nowMs < joinDeadlineMs && !allMembersJoined()) {
            return;
        }
        completeJoin(nowMs, after);
    }

    private boolean allMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (GroupMember member : members.values()) {
            if (!member.isAwaitingJoin()) {
                return false;
            }
        }
        return true;
    }

    private void completeJoin(long nowMs, AfterUnlock after) {
        for (GroupMember member : List.copyOf(members.values())) {
            if (!member.isAwaitingJoin()) {
                after.log(Level.INFO, () -> "HEARTH-0504 Removing member " + member.memberId + " from group " + groupId
                        + ": it did not rejoin within the rebalance timeout");
                removeMember(member, nowMs, after);
            }
        }
        generationId++;
        joinDeadlineMs = NO_DEADLINE;
        initialDelayRemainingMs = -1;
        newMemberAdded = false;
        if (members.isEmpty()) {
            protocolName = null;
            transitionTo(GroupState.EMPTY);
            emptySinceMs = nowMs;
            after.log(Level.INFO, () -> "HEARTH-0505 Group " + groupId + " is empty at generation " + generationId);
            return;
        }
        protocolName = selectProtocol();
        transitionTo(GroupState.COMPLETING_REBALANCE);
        pendingSyncMembers.addAll(members.keySet());
        syncDeadlineMs = nowMs + rebalanceTimeoutMs();
        List<JoinResult.Member> everyone = currentMembers();
        for (GroupMember member : members.values()) {
            boolean isLeader = member.memberId.equals(leaderId);
            after.complete(member.awaitingJoin, new JoinResult(GroupError.NONE, generationId, protocolType,
                    protocolName, leaderId, member.memberId, isLeader ? everyone : List.of()));
            member.awaitingJoin = null;
            member.isNew = false;
            member.lastHeartbeatMs = nowMs;
        }
        after.log(Level.INFO, () -> "HEARTH-0505 Group " + groupId + " starts generation " + generationId + " with "
                + members.size() + " member(s), protocol " + protocolName + ", leader " + leaderId);
    }

    /**
     * Kafka's vote: each member votes for its most preferred protocol that every member supports; the most
     * votes win, and a tie goes to the protocol the leader prefers.
     */
    private String selectProtocol() {
        GroupMember leader = members.get(leaderId);
        Set<String> common = new LinkedHashSet<>(leader.protocolNames());
        members.values().forEach(member -> common.retainAll(member.protocolNames()));
        Map<String, Integer> votes = new HashMap<>();
        members.values().forEach(member -> votes.merge(member.preferredAmong(common), 1, Integer::sum));
        String chosen = null;
        int chosenVotes = 0;
        for (String candidate : common) {
            int candidateVotes = votes.getOrDefault(candidate, 0);
            if (candidateVotes > chosenVotes) {
                chosen = candidate;
                chosenVotes = candidateVotes;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("Group " + groupId + " has no protocol that all members support");
        }
        return chosen;
    }

    /**
     * Removes a member: its waiting requests fail with UNKNOWN_MEMBER_ID, a new leader is chosen if needed,
     * and a group that was stable or syncing starts a rebalance.
     */
    private void removeMember(GroupMember member, long nowMs, AfterUnlock after) {
        if (member.awaitingJoin != null) {
            after.complete(member.awaitingJoin, JoinResult.failed(GroupError.UNKNOWN_MEMBER_ID, ""));
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            after.complete(member.awaitingSync, SyncResult.failed(GroupError.UNKNOWN_MEMBER_ID));
            member.awaitingSync = null;
        }
        members.remove(member.memberId);
        pendingSyncMembers.remove(member.memberId);
        if (member.memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        if (state == GroupState.STABLE || state == GroupState.COMPLETING_REBALANCE) {
            prepareRebalance(nowMs, after);
        }
    }

    private void transitionTo(GroupState next) {
        if (!next.canFollow(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot move from " + state + " to " + next);
        }
        state = next;
    }

    // ---- SyncGroup, Heartbeat, LeaveGroup --------------------------------------------------------------

    /** Handles a SyncGroup; a follower's future waits for the leader's assignment. */
    CompletableFuture<SyncResult> sync(SyncRequest request, long nowMs, AfterUnlock after) {
        GroupMember member = members.get(request.memberId());
        if (member == null) {
            return CompletableFuture.completedFuture(SyncResult.failed(GroupError.UNKNOWN_MEMBER_ID));
        }
        if (request.generationId() != generationId) {
            return CompletableFuture.completedFuture(SyncResult.failed(GroupError.ILLEGAL_GENERATION));
        }
        if (differs(request.protocolType(), protocolType) || differs(request.protocolName(), protocolName)) {
            return CompletableFuture.completedFuture(SyncResult.failed(GroupError.INCONSISTENT_GROUP_PROTOCOL));
        }
        member.lastHeartbeatMs = nowMs;
        switch (state) {
            case PREPARING_REBALANCE -> {
                return CompletableFuture.completedFuture(SyncResult.failed(GroupError.REBALANCE_IN_PROGRESS));
            }
            case COMPLETING_REBALANCE -> {
                CompletableFuture<SyncResult> future = new CompletableFuture<>();
                if (member.awaitingSync != null) {
                    after.complete(member.awaitingSync, SyncResult.failed(GroupError.REBALANCE_IN_PROGRESS));
                }
                member.awaitingSync = future;
                pendingSyncMembers.remove(member.memberId);
                if (member.memberId.equals(leaderId)) {
                    applyAssignment(request.assignments(), nowMs, after);
                }
                return future;
            }
            case STABLE -> {
                pendingSyncMembers.remove(member.memberId);
                return CompletableFuture.completedFuture(
                        new SyncResult(GroupError.NONE, protocolType, protocolName, member.assignment));
            }
            default -> {
                return CompletableFuture.completedFuture(SyncResult.failed(GroupError.UNKNOWN_MEMBER_ID));
            }
        }
    }

    private static boolean differs(String requested, String current) {
        return requested != null && current != null && !requested.equals(current);
    }

    /** The leader's assignment: every member gets its part (empty if left out) and the group is stable. */
    private void applyAssignment(Map<String, byte[]> assignments, long nowMs, AfterUnlock after) {
        transitionTo(GroupState.STABLE);
        for (GroupMember member : members.values()) {
            member.assignment = assignments.getOrDefault(member.memberId, GroupMember.NO_ASSIGNMENT);
            if (member.awaitingSync != null) {
                after.complete(member.awaitingSync,
                        new SyncResult(GroupError.NONE, protocolType, protocolName, member.assignment));
                member.awaitingSync = null;
                member.lastHeartbeatMs = nowMs;
            }
        }
        after.log(Level.FINE, () -> "Group " + groupId + " is stable at generation " + generationId);
    }

    /** Handles a Heartbeat: refreshes the session and tells the member whether it must rejoin. */
    GroupError heartbeat(String memberId, int memberGenerationId, long nowMs) {
        GroupMember member = members.get(memberId);
        if (member == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (memberGenerationId != generationId) {
            return GroupError.ILLEGAL_GENERATION;
        }
        return switch (state) {
            case PREPARING_REBALANCE -> {
                member.lastHeartbeatMs = nowMs;
                yield GroupError.REBALANCE_IN_PROGRESS;
            }
            case COMPLETING_REBALANCE, STABLE -> {
                member.lastHeartbeatMs = nowMs;
                yield GroupError.NONE;
            }
            case EMPTY, DEAD -> GroupError.UNKNOWN_MEMBER_ID;
        };
    }

    /** Handles a LeaveGroup of one or more members (pending member ids included); the rest rebalance. */
    Map<String, GroupError> leave(List<String> memberIds, long nowMs, AfterUnlock after) {
        Map<String, GroupError> errors = new LinkedHashMap<>();
        for (String memberId : memberIds) {
            GroupMember member = members.get(memberId);
            if (pendingMembers.remove(memberId) != null) {
                errors.put(memberId, GroupError.NONE);
            } else if (member == null) {
                errors.put(memberId, GroupError.UNKNOWN_MEMBER_ID);
            } else {
                after.log(Level.FINE, () -> "Member " + memberId + " leaves group " + groupId);
                removeMember(member, nowMs, after);
                errors.put(memberId, GroupError.NONE);
            }
        }
        maybeCompleteJoin(nowMs, after);
        return errors;
    }

    // ---- offsets ---------------------------------------------------------------------------------------

    /**
     * Whether a member, or a client outside group management ({@code generationId < 0} and no member id),
     * may commit offsets now. Kafka's rules: outsiders only while the group is empty; members only with the
     * current generation, and not between the end of the join phase and their assignment
     * ({@code REBALANCE_IN_PROGRESS}). Commits during {@code PREPARING_REBALANCE} are accepted: that is when
     * consumers commit the partitions they are about to give up.
     */
    GroupError validateCommit(String memberId, int memberGenerationId, long nowMs) {
        if (memberGenerationId < 0 && state == GroupState.EMPTY) {
            return GroupError.NONE;
        }
        GroupMember member = null;
        if (memberGenerationId >= 0 || !memberId.isEmpty()) {
            member = members.get(memberId);
            if (member == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (memberGenerationId != generationId) {
                return GroupError.ILLEGAL_GENERATION;
            }
        } else if (state != GroupState.EMPTY) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (state == GroupState.COMPLETING_REBALANCE) {
            return GroupError.REBALANCE_IN_PROGRESS;
        }
        if (member != null) {
            member.lastHeartbeatMs = nowMs;
        }
        return GroupError.NONE;
    }

    /** The live map of committed offsets; read and changed only under the monitor. */
    Map<TopicPartitionKey, CommittedOffset> offsets() {
        return offsets;
    }

    /** Applies offset records of this group that are already durable, in log order. */
    void apply(OffsetCommitRecord record) {
        if (record.isTombstone()) {
            offsets.remove(record.partition());
        } else {
            offsets.put(record.partition(), record.offset());
        }
    }

    // ---- views and end of life -------------------------------------------------------------------------

    GroupOverview overview() {
        return new GroupOverview(groupId, protocolType == null ? "" : protocolType, state);
    }

    GroupDescription describe() {
        boolean stable = state == GroupState.STABLE;
        List<GroupDescription.MemberDescription> list = new ArrayList<>(members.size());
        for (GroupMember member : members.values()) {
            list.add(new GroupDescription.MemberDescription(member.memberId, member.groupInstanceId, member.clientId,
                    member.clientHost, stable ? member.metadata(protocolName) : GroupMember.NO_ASSIGNMENT,
                    stable ? member.assignment : GroupMember.NO_ASSIGNMENT));
        }
        return new GroupDescription(groupId, state, protocolType == null ? "" : protocolType,
                stable ? protocolName : "", list);
    }

    /** Fails every waiting join and sync with {@code error}; the members stay. */
    void failWaiting(GroupError error, AfterUnlock after) {
        for (GroupMember member : members.values()) {
            if (member.awaitingJoin != null) {
                after.complete(member.awaitingJoin, JoinResult.failed(error, member.memberId));
                member.awaitingJoin = null;
            }
            if (member.awaitingSync != null) {
                after.complete(member.awaitingSync, SyncResult.failed(error));
                member.awaitingSync = null;
            }
        }
    }

    /**
     * Marks the group dead as it leaves the coordinator: waiting requests fail with {@code error} and the
     * members are dropped.
     */
    void markDead(GroupError error, AfterUnlock after) {
        failWaiting(error, after);
        members.clear();
        pendingMembers.clear();
        pendingSyncMembers.clear();
        leaderId = null;
        transitionTo(GroupState.DEAD);
    }
}
