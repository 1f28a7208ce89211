package dev.hearth.group;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a {@link ClassicGroup}: what it joined with, its liveness and the requests it is waiting on.
 *
 * <p>Invariants: {@code protocols} is not empty; at most one join and one sync request wait at a time (a
 * repeated request supersedes the earlier one).
 *
 * <p>Thread-safety: none of its own; guarded by the monitor of the group that holds it.
 */
final class GroupMember {

    static final byte[] NO_ASSIGNMENT = new byte[0];

    final String memberId;
    final String groupInstanceId;
    final String clientId;
    final String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    /** Supported protocols, most preferred first. */
    List<JoinRequest.Protocol> protocols;
    /** What the leader assigned this member in the current generation. */
    byte[] assignment = NO_ASSIGNMENT;
    /** Coordinator time (ms) of the member's last sign of life: join, sync, heartbeat or commit. */
    long lastHeartbeatMs;
    /** Joined in the current rebalance and not yet part of a generation. */
    boolean isNew = true;
    /** The member's pending JoinGroup, completed when the rebalance completes; null when not rejoining. */
    CompletableFuture<JoinResult> awaitingJoin;
    /** The member's pending SyncGroup, completed with the leader's assignment; null when not waiting. */
    CompletableFuture<SyncResult> awaitingSync;

    GroupMember(JoinRequest request, String memberId, long nowMs) {
        this.memberId = memberId;
        this.groupInstanceId = request.groupInstanceId();
        this.clientId = request.clientId();
        this.clientHost = request.clientHost();
        update(request);
        this.lastHeartbeatMs = nowMs;
    }

    /** Takes the timeouts and protocols of a rejoin. */
    void update(JoinRequest request) {
        this.sessionTimeoutMs = request.sessionTimeoutMs();
        this.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        this.protocols = request.protocols();
    }

    /** The same protocols, in the same order, with the same metadata: a rejoin that changes nothing. */
    boolean matches(List<JoinRequest.Protocol> others) {
        if (others.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < others.size(); i++) {
            JoinRequest.Protocol mine = protocols.get(i);
            JoinRequest.Protocol theirs = others.get(i);
            if (!mine.name().equals(theirs.name()) || !Arrays.equals(mine.metadata(), theirs.metadata())) {
                return false;
            }
        }
        return true;
    }

    Set<String> protocolNames() {
        Set<String> names = new LinkedHashSet<>();
        protocols.forEach(protocol -> names.add(protocol.name()));
        return names;
    }

    /** The member's first choice among {@code candidates}, or null if it supports none of them. */
    String preferredAmong(Set<String> candidates) {
        for (JoinRequest.Protocol protocol : protocols) {
            if (candidates.contains(protocol.name())) {
                return protocol.name();
            }
        }
        return null;
    }

    byte[] metadata(String protocolName) {
        for (JoinRequest.Protocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return protocol.metadata();
            }
        }
        throw new IllegalStateException("Member " + memberId + " does not support protocol " + protocolName);
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    /**
     * Whether the member is still alive at {@code nowMs}. A member waiting in a rebalance is kept (it cannot
     * heartbeat while its JoinGroup is parked), except a new one that has waited longer than
     * {@code newMemberJoinTimeoutMs}; one waiting for its assignment is kept (the pending-sync timeout
     * covers it); any other must have shown life within its session timeout.
     */
    boolean isAlive(long nowMs, long newMemberJoinTimeoutMs) {
        if (awaitingJoin != null) {
            return !isNew || nowMs - lastHeartbeatMs < newMemberJoinTimeoutMs;
        }
        if (awaitingSync != null) {
            return true;
        }
        return nowMs - lastHeartbeatMs < sessionTimeoutMs;
    }
}
