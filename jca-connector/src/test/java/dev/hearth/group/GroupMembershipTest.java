package dev.hearth.group;

import static dev.hearth.group.GroupTestSupport.CONSUMER;
import static dev.hearth.group.GroupTestSupport.GROUP;
import static dev.hearth.group.GroupTestSupport.REBALANCE_TIMEOUT_MS;
import static dev.hearth.group.GroupTestSupport.SESSION_TIMEOUT_MS;
import static dev.hearth.group.GroupTestSupport.assertPending;
import static dev.hearth.group.GroupTestSupport.done;
import static dev.hearth.group.GroupTestSupport.joinRequest;
import static dev.hearth.group.GroupTestSupport.protocol;
import static dev.hearth.group.GroupTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JoinGroup, SyncGroup, Heartbeat and LeaveGroup, and the rebalances they drive, with Kafka's semantics. */
class GroupMembershipTest {

    @TempDir
    Path dataDir;

    private GroupTestSupport groups;
    private GroupCoordinator coordinator;

    @BeforeEach
    void open() {
        groups = new GroupTestSupport(dataDir);
        coordinator = groups.coordinator;
    }

    @AfterEach
    void close() {
        groups.close();
    }

    @Test
    void aSingleMemberJoinsAfterTheMemberIdRoundAndSyncsItsOwnAssignment() {
        JoinResult required = done(coordinator.join(joinRequest("", "app-1")), "the first join is answered at once");
        assertAll(
                () -> assertEquals(GroupError.MEMBER_ID_REQUIRED, required.error(), "a new member must rejoin with an id"),
                () -> assertEquals(79, required.error().code(), "MEMBER_ID_REQUIRED is Kafka error 79"),
                () -> assertTrue(required.memberId().matches("app-1-[0-9a-f-]{36}"),
                        "the member id is the client id, a dash and a UUID: " + required.memberId()),
                () -> assertEquals(GroupState.EMPTY, groups.state(), "a pending member id does not start a rebalance"));

        JoinResult joined = done(coordinator.join(joinRequest(required.memberId(), "app-1")),
                "a lone member's rejoin completes the rebalance at once (no initial delay by default)");
        assertAll(
                () -> assertEquals(GroupError.NONE, joined.error(), "the member joins"),
                () -> assertEquals(1, joined.generationId(), "the first generation is 1"),
                () -> assertEquals(required.memberId(), joined.memberId(), "it keeps the id it was given"),
                () -> assertEquals(joined.memberId(), joined.leaderId(), "the only member leads"),
                () -> assertEquals(CONSUMER, joined.protocolType(), "the group's protocol type"),
                () -> assertEquals("range", joined.protocolName(), "the only protocol offered is chosen"),
                () -> assertEquals(List.of(joined.memberId()), joined.members().stream().map(JoinResult.Member::memberId).toList(),
                        "the leader sees itself as the one member"),
                () -> assertEquals("sub-app-1", text(joined.members().get(0).metadata()),
                        "with its metadata for the chosen protocol"),
                () -> assertEquals(GroupState.COMPLETING_REBALANCE, groups.state(), "waiting for the leader's sync"));

        SyncResult synced = done(groups.syncAsLeader(joined), "the leader's sync is answered at once");
        assertAll(
                () -> assertEquals(GroupError.NONE, synced.error(), "the leader syncs"),
                () -> assertEquals("assigned-to-" + joined.memberId(), text(synced.assignment()), "its own assignment"),
                () -> assertEquals("range", synced.protocolName(), "the sync names the protocol"),
                () -> assertEquals(GroupState.STABLE, groups.state(), "the group is stable once the leader synced"),
                () -> assertEquals(GroupError.NONE, groups.heartbeat(joined), "a stable member's heartbeat is fine"));
    }

    @Test
    void aNewMemberThatDoesNotRequireAKnownIdIsAdmittedAtOnce() {
        JoinRequest request = new JoinRequest(GROUP, "", null, "old-client", "/10.0.0.1", SESSION_TIMEOUT_MS,
                REBALANCE_TIMEOUT_MS, CONSUMER, List.of(protocol("range", "m")), false);

        JoinResult joined = done(coordinator.join(request), "the join completes at once");

        assertEquals(GroupError.NONE, joined.error(), "JoinGroup below v4 needs no member-id round");
        assertTrue(joined.memberId().startsWith("old-client-"), "the coordinator still chooses the id");
        assertEquals(1, joined.generationId(), "first generation");
    }

    @Test
    void twoMembersShareAGenerationTheLeaderSeesBothAndSyncDistributesAssignments() {
        JoinResult a = groups.stableSingleMember("app-a");

        CompletableFuture<JoinResult> bJoin = groups.joinNew("app-b");
        assertPending(bJoin, "b waits until every known member has rejoined");
        assertEquals(GroupState.PREPARING_REBALANCE, groups.state(), "b's join starts a rebalance");
        assertEquals(GroupError.REBALANCE_IN_PROGRESS, groups.heartbeat(a), "a learns of the rebalance by heartbeat");

        JoinResult a2 = done(groups.rejoin(a), "a's rejoin completes the rebalance");
        JoinResult b2 = done(bJoin, "b's join completes together with a's");
        assertAll(
                () -> assertEquals(2, a2.generationId(), "a new generation"),
                () -> assertEquals(a2.generationId(), b2.generationId(), "both members are in the same generation"),
                () -> assertEquals(a.memberId(), a2.leaderId(), "the existing leader keeps leading"),
                () -> assertEquals(a2.leaderId(), b2.leaderId(), "both know the leader"),
                () -> assertEquals(Set.of(a2.memberId(), b2.memberId()),
                        a2.members().stream().map(JoinResult.Member::memberId).collect(Collectors.toSet()),
                        "the leader gets both members"),
                () -> assertEquals(Set.of("sub-app-a", "sub-app-b"),
                        a2.members().stream().map(member -> text(member.metadata())).collect(Collectors.toSet()),
                        "with their metadata"),
                () -> assertEquals(List.of(), b2.members(), "a follower gets no member list"));

        CompletableFuture<SyncResult> bSync = groups.syncAsFollower(b2);
        assertPending(bSync, "a follower's sync waits for the leader's assignment");
        assertEquals(GroupError.NONE, groups.heartbeat(b2), "heartbeats are fine while the assignment is pending");

        SyncResult aSynced = done(groups.syncAsLeader(a2), "the leader's sync is answered at once");
        SyncResult bSynced = done(bSync, "the leader's sync releases the follower");
        assertAll(
                () -> assertEquals("assigned-to-" + a2.memberId(), text(aSynced.assignment()), "the leader's part"),
                () -> assertEquals("assigned-to-" + b2.memberId(), text(bSynced.assignment()), "the follower's part"),
                () -> assertEquals(GroupState.STABLE, groups.state(), "stable after the leader's sync"));

        SyncResult late = done(groups.syncAsFollower(b2), "a sync in a stable group is answered at once");
        assertEquals("assigned-to-" + b2.memberId(), text(late.assignment()), "a repeated sync returns the same assignment");
    }

    @Test
    void aThirdMemberMakesTheOthersRejoinIntoANewGeneration() {
        JoinResult[] pair = groups.stablePair("app-a", "app-b");

        CompletableFuture<JoinResult> cJoin = groups.joinNew("app-c");
        assertAll(
                () -> assertEquals(GroupError.REBALANCE_IN_PROGRESS, groups.heartbeat(pair[0]), "a must rejoin"),
                () -> assertEquals(GroupError.REBALANCE_IN_PROGRESS, groups.heartbeat(pair[1]), "b must rejoin"));
        CompletableFuture<JoinResult> aJoin = groups.rejoin(pair[0]);
        assertPending(aJoin, "the rebalance waits for b too");
        assertPending(cJoin, "and so does c");
        JoinResult b3 = done(groups.rejoin(pair[1]), "the last rejoin completes the rebalance");

        JoinResult a3 = done(aJoin, "a's join completes");
        JoinResult c3 = done(cJoin, "c's join completes");
        assertAll(
                () -> assertEquals(3, a3.generationId(), "generation 3"),
                () -> assertEquals(3, b3.generationId(), "b is in it"),
                () -> assertEquals(3, c3.generationId(), "c is in it"),
                () -> assertEquals(3, a3.members().size(), "the leader sees three members"),
                () -> assertEquals(GroupError.ILLEGAL_GENERATION, groups.heartbeat(pair[0]),
                        "the old generation is no longer valid"));
    }

    @Test
    void aMemberWhoseSessionExpiresIsRemovedByTickAndTheRestRebalance() {
        JoinResult[] pair = groups.stablePair("app-a", "app-b");
        JoinResult a = pair[0];
        JoinResult b = pair[1];

        groups.advance(SESSION_TIMEOUT_MS / 2);
        assertEquals(GroupError.NONE, groups.heartbeat(a), "a keeps its session alive; b stays silent");
        groups.advance(SESSION_TIMEOUT_MS / 2 - 1);
        assertEquals(GroupState.STABLE, groups.state(), "b's session has 1 ms left");
        groups.advance(1);

        assertAll(
                () -> assertEquals(GroupState.PREPARING_REBALANCE, groups.state(), "b's expiry starts a rebalance"),
                () -> assertEquals(List.of(a.memberId(), b.memberId()).stream().filter(id -> !id.equals(b.memberId())).toList(),
                        coordinator.describe(GROUP).members().stream().map(GroupDescription.MemberDescription::memberId).toList(),
                        "b is no longer a member"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID, groups.heartbeat(b), "b must join again from scratch"),
                () -> assertEquals(GroupError.REBALANCE_IN_PROGRESS, groups.heartbeat(a), "a must rejoin"));

        JoinResult a3 = done(groups.rejoin(a), "a, the only member left, completes the rebalance");
        assertEquals(3, a3.generationId(), "a new generation without b");
        assertEquals(1, a3.members().size(), "a alone");

        groups.advance(SESSION_TIMEOUT_MS);
        assertEquals(GroupState.EMPTY, groups.state(), "once the last member expires the group is empty");
    }

    @Test
    void leavingTriggersARebalanceAndTheLastToLeaveEmptiesTheGroup() {
        JoinResult[] pair = groups.stablePair("app-a", "app-b");

        assertEquals(Map.of(pair[1].memberId(), GroupError.NONE, "nobody", GroupError.UNKNOWN_MEMBER_ID),
                coordinator.leave(GROUP, List.of(pair[1].memberId(), "nobody")), "b leaves; an unknown id is refused");
        assertEquals(GroupError.REBALANCE_IN_PROGRESS, groups.heartbeat(pair[0]), "a learns of the rebalance");
        JoinResult a3 = done(groups.rejoin(pair[0]), "a alone completes the rebalance");
        assertEquals(List.of(pair[0].memberId()), a3.members().stream().map(JoinResult.Member::memberId).toList(),
                "only a is left");
        done(groups.syncAsLeader(a3), "a syncs");

        assertEquals(Map.of(a3.memberId(), GroupError.NONE), coordinator.leave(GROUP, List.of(a3.memberId())), "a leaves");
        assertEquals(GroupState.EMPTY, groups.state(), "no member left: empty");
        assertEquals(GroupError.UNKNOWN_MEMBER_ID, groups.heartbeat(a3), "a is gone");
    }

    @Test
    void aRebalanceTimeoutDropsAMemberThatNeverRejoins() {
        JoinResult[] pair = groups.stablePair("app-a", "app-b");
        CompletableFuture<JoinResult> cJoin = groups.joinNew("app-c");
        CompletableFuture<JoinResult> aJoin = groups.rejoin(pair[0]);

        // b keeps heartbeating (its session is alive) but never rejoins, like a consumer stuck in processing.
        for (int i = 0; i < 5; i++) {
            groups.advance(5_000);
            assertEquals(GroupError.REBALANCE_IN_PROGRESS, groups.heartbeat(pair[1]), "b is told to rejoin");
        }
        groups.advance(REBALANCE_TIMEOUT_MS - 25_000 - 1);
        assertPending(aJoin, "1 ms before the rebalance timeout the rebalance still waits for b");
        groups.advance(1);

        JoinResult a3 = done(aJoin, "the rebalance timeout completes the join without b");
        done(cJoin, "c's join completes too");
        assertAll(
                () -> assertEquals(3, a3.generationId(), "a new generation"),
                () -> assertEquals(2, a3.members().size(), "of a and c"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID, groups.heartbeat(pair[1]), "b was removed"));
    }

    @Test
    void wrongGenerationsAndUnknownMembersAreRefused() {
        JoinResult a = groups.stableSingleMember("app-a");
        JoinResult stale = new JoinResult(GroupError.NONE, a.generationId() - 1, CONSUMER, "range", a.leaderId(),
                a.memberId(), List.of());
        JoinResult stranger = new JoinResult(GroupError.NONE, a.generationId(), CONSUMER, "range", a.leaderId(),
                "stranger", List.of());

        assertAll(
                () -> assertEquals(GroupError.ILLEGAL_GENERATION, groups.heartbeat(stale), "heartbeat, old generation"),
                () -> assertEquals(22, GroupError.ILLEGAL_GENERATION.code(), "ILLEGAL_GENERATION is Kafka error 22"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID, groups.heartbeat(stranger), "heartbeat, unknown member"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID,
                        coordinator.heartbeat("no-such-group", a.memberId(), 1), "heartbeat, unknown group"),
                () -> assertEquals(GroupError.ILLEGAL_GENERATION, done(groups.syncAsFollower(stale), "sync").error(),
                        "sync, old generation"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID, done(groups.syncAsFollower(stranger), "sync").error(),
                        "sync, unknown member"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID,
                        done(coordinator.join(joinRequest("stranger", "app-x")), "join").error(),
                        "join with an id the group never gave"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID, done(coordinator.join(new JoinRequest("no-such-group",
                        "stranger", null, "x", "", SESSION_TIMEOUT_MS, REBALANCE_TIMEOUT_MS, CONSUMER,
                        List.of(protocol("range", "")), true)), "join").error(), "join of an unknown group with a member id"),
                () -> assertEquals(GroupError.INVALID_GROUP_ID, coordinator.heartbeat("", a.memberId(), 1), "empty group id"),
                () -> assertEquals(GroupError.INVALID_SESSION_TIMEOUT, done(coordinator.join(new JoinRequest(GROUP, "", null,
                        "x", "", 10, REBALANCE_TIMEOUT_MS, CONSUMER, List.of(protocol("range", "")), true)), "join").error(),
                        "a session timeout below group.min.session.timeout.ms"),
                () -> assertEquals(GroupError.INCONSISTENT_GROUP_PROTOCOL, done(coordinator.sync(new SyncRequest(GROUP,
                        a.memberId(), a.generationId(), CONSUMER, "roundrobin", Map.of())), "sync").error(),
                        "sync naming another protocol"));
    }

    @Test
    void syncDuringARebalanceAsksTheMemberToRejoin() {
        JoinResult a = groups.stableSingleMember("app-a");
        groups.joinNew("app-b");

        assertEquals(GroupError.REBALANCE_IN_PROGRESS, done(groups.syncAsLeader(a), "sync").error(),
                "no assignment while the group is preparing a rebalance");
    }

    @Test
    void aMemberMustShareTheProtocolTypeAndAProtocolWithTheGroup() {
        groups.stableSingleMember("app-a");

        JoinRequest otherType = new JoinRequest(GROUP, "", null, "connect", "", SESSION_TIMEOUT_MS,
                REBALANCE_TIMEOUT_MS, "connect", List.of(protocol("range", "")), true);
        JoinRequest noCommonProtocol = joinRequest("", "app-b", REBALANCE_TIMEOUT_MS, List.of(protocol("sticky", "")));
        JoinRequest noProtocol = joinRequest("", "app-c", REBALANCE_TIMEOUT_MS, List.of());
        assertAll(
                () -> assertEquals(GroupError.INCONSISTENT_GROUP_PROTOCOL, done(coordinator.join(otherType), "join").error(),
                        "another protocol type"),
                () -> assertEquals(23, GroupError.INCONSISTENT_GROUP_PROTOCOL.code(), "Kafka error 23"),
                () -> assertEquals(GroupError.INCONSISTENT_GROUP_PROTOCOL, done(coordinator.join(noCommonProtocol), "join").error(),
                        "no protocol in common with the members"),
                () -> assertEquals(GroupError.INCONSISTENT_GROUP_PROTOCOL, done(coordinator.join(noProtocol), "join").error(),
                        "no protocol at all"),
                () -> assertEquals(GroupState.STABLE, groups.state(), "refused joins do not disturb the group"));
    }

    @Test
    void theProtocolMostMembersPreferWinsAndTiesGoToTheLeadersPreference() {
        JoinResult a = done(groups.joinNew(joinRequest("", "app-a", REBALANCE_TIMEOUT_MS,
                List.of(protocol("range", "a-range"), protocol("roundrobin", "a-rr")))), "a joins");
        assertEquals("range", a.protocolName(), "alone, a's first choice wins");
        done(groups.syncAsLeader(a), "a syncs");

        CompletableFuture<JoinResult> bJoin = groups.joinNew(joinRequest("", "app-b", REBALANCE_TIMEOUT_MS,
                List.of(protocol("roundrobin", "b-rr"), protocol("range", "b-range"))));
        JoinResult a2 = done(coordinator.join(joinRequest(a.memberId(), "app-a", REBALANCE_TIMEOUT_MS,
                List.of(protocol("range", "a-range"), protocol("roundrobin", "a-rr")))), "a rejoins");
        assertEquals("range", a2.protocolName(), "one vote each: the leader's preference decides");
        done(bJoin, "b joined");
        done(groups.syncAsLeader(a2), "a syncs");

        CompletableFuture<JoinResult> cJoin = groups.joinNew(joinRequest("", "app-c", REBALANCE_TIMEOUT_MS,
                List.of(protocol("roundrobin", "c-rr"), protocol("range", "c-range"))));
        CompletableFuture<JoinResult> aJoin = coordinator.join(joinRequest(a.memberId(), "app-a", REBALANCE_TIMEOUT_MS,
                List.of(protocol("range", "a-range"), protocol("roundrobin", "a-rr"))));
        JoinResult b3 = done(coordinator.join(joinRequest(done(bJoin, "b").memberId(), "app-b", REBALANCE_TIMEOUT_MS,
                List.of(protocol("roundrobin", "b-rr"), protocol("range", "b-range")))), "b rejoins last");
        JoinResult a3 = done(aJoin, "a's join completes");
        done(cJoin, "c's join completes");
        assertEquals("roundrobin", b3.protocolName(), "two votes against one");
        assertEquals(Set.of("a-rr", "b-rr", "c-rr"),
                a3.members().stream().map(member -> text(member.metadata())).collect(Collectors.toSet()),
                "the leader gets each member's metadata for the chosen protocol");
    }

    @Test
    void aFollowerWithUnchangedMetadataRejoiningAStableGroupGetsTheCurrentGenerationButTheLeaderRebalances() {
        JoinResult[] pair = groups.stablePair("app-a", "app-b");
        JoinResult leader = pair[0].isLeader() ? pair[0] : pair[1];
        JoinResult follower = pair[0].isLeader() ? pair[1] : pair[0];

        JoinResult again = done(groups.rejoin(follower), "an unchanged follower is answered at once");
        assertEquals(follower.generationId(), again.generationId(), "same generation, no rebalance");
        assertEquals(GroupState.STABLE, groups.state(), "still stable");

        assertPending(groups.rejoin(leader), "a leader's rejoin starts a rebalance (how clients ask for one)");
        assertEquals(GroupState.PREPARING_REBALANCE, groups.state(), "rebalancing");
    }

    @Test
    void waitingRequestsOfARemovedMemberFailWithUnknownMemberId() {
        JoinResult a = groups.stableSingleMember("app-a");
        CompletableFuture<JoinResult> bJoin = groups.joinNew("app-b");
        String bId = coordinator.describe(GROUP).members().stream().map(GroupDescription.MemberDescription::memberId)
                .filter(id -> !id.equals(a.memberId())).findFirst().orElseThrow();

        coordinator.leave(GROUP, List.of(bId));

        assertEquals(GroupError.UNKNOWN_MEMBER_ID, done(bJoin, "b's parked join is answered").error(),
                "a member removed while waiting in a rebalance learns it is unknown");
    }

    @Test
    void aNewRebalanceCancelsPendingSyncsAndMembersThatNeverSyncAreDropped() {
        JoinResult a = groups.stableSingleMember("app-a");
        CompletableFuture<JoinResult> bJoin = groups.joinNew("app-b");
        JoinResult a2 = done(groups.rejoin(a), "a rejoins");
        JoinResult b2 = done(bJoin, "generation 2 of a and b");

        CompletableFuture<SyncResult> bSync = groups.syncAsFollower(b2);
        CompletableFuture<JoinResult> cJoin = groups.joinNew("app-c");
        assertEquals(GroupError.REBALANCE_IN_PROGRESS, done(bSync, "b's sync is cancelled").error(),
                "a join during CompletingRebalance voids the generation being synced");

        CompletableFuture<JoinResult> aJoin = groups.rejoin(a2);
        JoinResult b3 = done(groups.rejoin(b2), "everyone rejoined");
        JoinResult c3 = done(cJoin, "c joined");
        JoinResult a3 = done(aJoin, "a joined");
        assertTrue(a3.isLeader(), "a still leads");

        // b syncs; the leader a and c heartbeat but never sync: both are removed after the rebalance timeout.
        CompletableFuture<SyncResult> bSync3 = groups.syncAsFollower(b3);
        for (int i = 0; i < 5; i++) {
            groups.advance(5_000);
            assertEquals(GroupError.NONE, groups.heartbeat(a3), "a heartbeats while the group completes the rebalance");
            assertEquals(GroupError.NONE, groups.heartbeat(c3), "c heartbeats too");
        }
        assertPending(bSync3, "b waits for the leader's assignment");
        groups.advance(REBALANCE_TIMEOUT_MS - 25_000);
        assertAll(
                () -> assertEquals(GroupError.REBALANCE_IN_PROGRESS, done(bSync3, "b's sync is answered").error(),
                        "the members that never synced are removed, which voids the generation"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID, groups.heartbeat(a3), "the leader that never synced is gone"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID, groups.heartbeat(c3), "c is gone"),
                () -> assertEquals(GroupState.PREPARING_REBALANCE, groups.state(), "b alone must rejoin"));
        JoinResult b4 = done(groups.rejoin(b3), "b alone completes the rebalance");
        assertTrue(b4.isLeader(), "b leads now");
    }

    @Test
    void theInitialRebalanceDelayGathersMembersThatJoinTogetherIntoTheFirstGeneration() {
        groups.close();
        groups = new GroupTestSupport(dataDir, GroupCoordinatorConfig.DEFAULTS.withInitialRebalanceDelayMs(3_000));
        coordinator = groups.coordinator;

        CompletableFuture<JoinResult> aJoin = groups.joinNew("app-a");
        groups.advance(2_000);
        CompletableFuture<JoinResult> bJoin = groups.joinNew("app-b");
        groups.advance(1_000);
        assertPending(aJoin, "a member joined during the delay, so it is extended");
        groups.advance(2_999);
        assertPending(aJoin, "the extension is another full delay");
        groups.advance(1);

        JoinResult a = done(aJoin, "the delay is over");
        JoinResult b = done(bJoin, "b too");
        assertEquals(1, a.generationId(), "both are in the first generation");
        assertEquals(1, b.generationId(), "both are in the first generation");
        assertEquals(2, a.members().size(), "the leader sees both");
    }

    @Test
    void aHandedOutMemberIdKeepsAnEmptyGroupUntilItExpires() {
        groups.close();
        groups = new GroupTestSupport(dataDir, new GroupCoordinatorConfig(0, 6_000, 1_800_000, 300_000, 4096, 0));
        coordinator = groups.coordinator;

        done(coordinator.join(joinRequest("", "app-a")), "MEMBER_ID_REQUIRED");
        groups.advance(SESSION_TIMEOUT_MS - 1);
        assertEquals(List.of(new GroupOverview(GROUP, "", GroupState.EMPTY)), coordinator.listGroups(),
                "without retention an empty group is still kept while a member id handed out is pending");

        groups.advance(1);

        assertEquals(List.of(), coordinator.listGroups(), "once the pending id expired, the empty group is forgotten");
        assertEquals(GroupState.DEAD, groups.state(), "an unknown group describes as Dead");
    }

    @Test
    void aGroupWhoseLastMemberLeftIsListedAsEmptyUntilTheRetentionPasses() {
        JoinResult a = groups.stableSingleMember("app-a");
        coordinator.leave(GROUP, List.of(a.memberId()));
        long retentionMs = GroupCoordinatorConfig.DEFAULTS.emptyGroupRetentionMs();

        groups.advance(retentionMs - 1);
        assertEquals(List.of(new GroupOverview(GROUP, CONSUMER, GroupState.EMPTY)), coordinator.listGroups(),
                "an empty group stays listed, with its protocol type, for the retention");
        groups.advance(1);
        assertEquals(List.of(), coordinator.listGroups(), "then it is forgotten");
    }

    @Test
    void describeAndListShowMembersAssignmentsAndKafkaStateNames() {
        JoinResult a = groups.stableSingleMember("app-a");

        GroupDescription description = coordinator.describe(GROUP);
        GroupDescription.MemberDescription member = description.members().get(0);
        assertAll(
                () -> assertEquals(GroupState.STABLE, description.state(), "stable"),
                () -> assertEquals("Stable", description.state().displayName(), "Kafka's name of the state"),
                () -> assertEquals("range", description.protocolName(), "protocol of a stable group"),
                () -> assertEquals(a.memberId(), member.memberId(), "the member"),
                () -> assertEquals("app-a", member.clientId(), "its client id"),
                () -> assertEquals("/127.0.0.1", member.clientHost(), "its host"),
                () -> assertEquals("sub-app-a", text(member.metadata()), "its metadata"),
                () -> assertEquals("assigned-to-" + a.memberId(), text(member.assignment()), "its assignment"),
                () -> assertEquals(List.of(new GroupOverview(GROUP, CONSUMER, GroupState.STABLE)), coordinator.listGroups(),
                        "the group is listed"));
    }

    @Test
    void closingFailsWaitingRequestsAndRefusesNewOnes() {
        JoinResult a = groups.stableSingleMember("app-a");
        CompletableFuture<JoinResult> bJoin = groups.joinNew("app-b");

        coordinator.close();

        assertAll(
                () -> assertEquals(GroupError.COORDINATOR_NOT_AVAILABLE, done(bJoin, "b's join").error(),
                        "a parked join is answered on close"),
                () -> assertEquals(GroupError.COORDINATOR_NOT_AVAILABLE, groups.heartbeat(a), "no more heartbeats"),
                () -> assertTrue(GroupError.COORDINATOR_NOT_AVAILABLE.isRetriable(), "clients retry elsewhere"));
    }
}
