package dev.hearth.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.hearth.engine.EngineTestSupport;
import dev.hearth.engine.EngineTestSupport.ManualClock;
import dev.hearth.engine.log.LogEngine;

/**
 * Fixtures for the group coordinator's tests: an engine and coordinator on a clock the test moves, and
 * requests as a Kafka consumer sends them. Nothing sleeps: time passes only through {@link #advance}, and
 * time-based transitions run in {@link GroupCoordinator#tick()}.
 *
 * <p>Thread-safety: a fixture belongs to one test thread.
 */
final class GroupTestSupport implements AutoCloseable {

    static final String GROUP = "billing";
    static final String CONSUMER = "consumer";
    static final int SESSION_TIMEOUT_MS = 10_000;
    static final int REBALANCE_TIMEOUT_MS = 30_000;

    final Path dataDir;
    final ManualClock clock = new ManualClock(EngineTestSupport.T0);
    final GroupCoordinatorConfig config;
    LogEngine engine;
    GroupCoordinator coordinator;

    GroupTestSupport(Path dataDir) {
        this(dataDir, GroupCoordinatorConfig.DEFAULTS);
    }

    GroupTestSupport(Path dataDir, GroupCoordinatorConfig config) {
        this.dataDir = dataDir;
        this.config = config;
        open();
    }

    private void open() {
        engine = LogEngine.open(EngineTestSupport.config(dataDir), clock);
        coordinator = new GroupCoordinator(engine, clock, config);
    }

    /** Closes coordinator and engine cleanly and opens both again on the same data directory. */
    void restart() {
        close();
        open();
    }

    @Override
    public void close() {
        coordinator.close();
        engine.close();
    }

    /** Moves the clock and lets the coordinator act on it, as the host's periodic tick would. */
    void advance(long ms) {
        clock.advance(ms);
        coordinator.tick();
    }

    static JoinRequest.Protocol protocol(String name, String metadata) {
        return new JoinRequest.Protocol(name, bytes(metadata));
    }

    static JoinRequest joinRequest(String memberId, String clientId, int rebalanceTimeoutMs,
                                   List<JoinRequest.Protocol> protocols) {
        return new JoinRequest(GROUP, memberId, null, clientId, "/127.0.0.1", SESSION_TIMEOUT_MS, rebalanceTimeoutMs,
                CONSUMER, protocols, true);
    }

    /** A JoinGroup of a consumer supporting only "range", with its client id as metadata. */
    static JoinRequest joinRequest(String memberId, String clientId) {
        return joinRequest(memberId, clientId, REBALANCE_TIMEOUT_MS, List.of(protocol("range", "sub-" + clientId)));
    }

    /**
     * A new member's first JoinGroup and, after the expected MEMBER_ID_REQUIRED, its second one: the returned
     * future is the second, pending until the rebalance completes.
     */
    CompletableFuture<JoinResult> joinNew(JoinRequest request) {
        JoinResult first = done(coordinator.join(request), "a new member's first join is answered at once");
        assertEquals(GroupError.MEMBER_ID_REQUIRED, first.error(), "a new member must first be given a member id");
        assertTrue(first.memberId().startsWith(request.clientId() + "-"),
                "the member id is the client id, a dash and a UUID: " + first.memberId());
        return coordinator.join(request.withMemberId(first.memberId()));
    }

    CompletableFuture<JoinResult> joinNew(String clientId) {
        return joinNew(joinRequest("", clientId));
    }

    CompletableFuture<JoinResult> rejoin(JoinResult previous) {
        return coordinator.join(joinRequest(previous.memberId(), clientIdOf(previous)));
    }

    /** The leader's SyncGroup giving each member the assignment "assigned-to-<member id>". */
    CompletableFuture<SyncResult> syncAsLeader(JoinResult leader) {
        assertTrue(leader.isLeader(), "only the leader sends the assignment");
        Map<String, byte[]> assignments = new HashMap<>();
        leader.members().forEach(member -> assignments.put(member.memberId(), bytes("assigned-to-" + member.memberId())));
        return coordinator.sync(new SyncRequest(GROUP, leader.memberId(), leader.generationId(), CONSUMER,
                leader.protocolName(), assignments));
    }

    CompletableFuture<SyncResult> syncAsFollower(JoinResult follower) {
        return coordinator.sync(new SyncRequest(GROUP, follower.memberId(), follower.generationId(), CONSUMER,
                follower.protocolName(), Map.of()));
    }

    GroupError heartbeat(JoinResult member) {
        return coordinator.heartbeat(GROUP, member.memberId(), member.generationId());
    }

    GroupState state() {
        return coordinator.describe(GROUP).state();
    }

    /** One member taken from nothing to STABLE: join with the member-id round, sync. */
    JoinResult stableSingleMember(String clientId) {
        JoinResult joined = done(joinNew(clientId), "a lone member's join completes the rebalance at once");
        assertEquals(GroupError.NONE, joined.error(), "the lone member joins");
        SyncResult synced = done(syncAsLeader(joined), "the leader's sync is answered at once");
        assertEquals(GroupError.NONE, synced.error(), "the lone leader syncs");
        return joined;
    }

    /** Two members STABLE in one generation: a joins alone, b joins, a rejoins, both sync. */
    JoinResult[] stablePair(String clientA, String clientB) {
        JoinResult a = stableSingleMember(clientA);
        CompletableFuture<JoinResult> bJoin = joinNew(clientB);
        assertEquals(GroupError.REBALANCE_IN_PROGRESS, heartbeat(a), "a learns of the rebalance by heartbeat");
        JoinResult a2 = done(rejoin(a), "the rebalance completes once a rejoins");
        JoinResult b2 = done(bJoin, "b's join completes with a's rejoin");
        JoinResult leader = a2.isLeader() ? a2 : b2;
        JoinResult follower = a2.isLeader() ? b2 : a2;
        CompletableFuture<SyncResult> followerSync = syncAsFollower(follower);
        done(syncAsLeader(leader), "the leader's sync is answered at once");
        done(followerSync, "the follower's sync completes with the leader's");
        assertEquals(GroupState.STABLE, state(), "both synced: stable");
        return new JoinResult[] {a2, b2};
    }

    static String clientIdOf(JoinResult result) {
        String memberId = result.memberId();
        return memberId.substring(0, memberId.length() - 37);   // "-" and a 36-character UUID
    }

    static <T> T done(CompletableFuture<T> future, String expectation) {
        assertTrue(future.isDone(), expectation + " (the future is still pending)");
        return future.join();
    }

    static void assertPending(CompletableFuture<?> future, String expectation) {
        assertFalse(future.isDone(), expectation + " (but it completed with " + (future.isDone() ? future.join() : "") + ")");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
