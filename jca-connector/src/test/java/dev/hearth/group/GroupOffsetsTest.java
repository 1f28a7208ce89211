package dev.hearth.group;

import static dev.hearth.group.GroupTestSupport.GROUP;
import static dev.hearth.group.GroupTestSupport.done;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.CleanupPolicy;
import dev.hearth.engine.EngineTestSupport;
import dev.hearth.engine.TopicInfo;

/** Committing, fetching, resetting and deleting offsets, and their durability in the offsets topic. */
class GroupOffsetsTest {

    private static final TopicPartitionKey ORDERS_0 = new TopicPartitionKey("orders", 0);
    private static final TopicPartitionKey ORDERS_1 = new TopicPartitionKey("orders", 1);
    private static final TopicPartitionKey PAYMENTS_0 = new TopicPartitionKey("payments", 0);

    @TempDir
    Path dataDir;

    private GroupTestSupport groups;

    @BeforeEach
    void open() {
        groups = new GroupTestSupport(dataDir);
    }

    @AfterEach
    void close() {
        groups.close();
    }

    private GroupCoordinator coordinator() {
        return groups.coordinator;
    }

    private Map<TopicPartitionKey, GroupError> commit(JoinResult member, Map<TopicPartitionKey, CommittedOffset> offsets) {
        return coordinator().commitOffsets(GROUP, member.memberId(), member.generationId(), offsets);
    }

    /** A commit from outside group management: generation -1 and no member id. */
    private Map<TopicPartitionKey, GroupError> simpleCommit(String groupId, Map<TopicPartitionKey, CommittedOffset> offsets) {
        return coordinator().commitOffsets(groupId, "", -1, offsets);
    }

    private static Map<TopicPartitionKey, GroupError> allNone(Map<TopicPartitionKey, ?> offsets) {
        Map<TopicPartitionKey, GroupError> none = new HashMap<>();
        offsets.keySet().forEach(partition -> none.put(partition, GroupError.NONE));
        return none;
    }

    @Test
    void aMemberCommitsAndTheOffsetsAreReadableAtOnce() {
        JoinResult member = groups.stableSingleMember("app-a");
        Map<TopicPartitionKey, CommittedOffset> offsets = Map.of(
                ORDERS_0, CommittedOffset.of(42, 7, "checkpoint-a"),
                ORDERS_1, CommittedOffset.of(17));

        assertEquals(allNone(offsets), commit(member, offsets), "a stable member's commit is accepted");

        long now = groups.clock.getAsLong();
        assertAll(
                () -> assertEquals(Map.of(ORDERS_0, new CommittedOffset(42, 7, "checkpoint-a", now),
                                ORDERS_1, new CommittedOffset(17, -1, "", now)),
                        coordinator().fetchOffsets(GROUP, null), "all offsets, stamped with the coordinator's clock"),
                () -> assertEquals(Map.of(ORDERS_1, new CommittedOffset(17, -1, "", now)),
                        coordinator().fetchOffsets(GROUP, List.of(ORDERS_1, PAYMENTS_0)),
                        "the partitions asked for; one without a committed offset is absent"),
                () -> assertEquals(Map.of(), coordinator().fetchOffsets("no-such-group", null), "an unknown group has none"));

        groups.clock.advance(1_000);
        commit(member, Map.of(ORDERS_0, CommittedOffset.of(50)));
        assertEquals(50, coordinator().fetchOffsets(GROUP, List.of(ORDERS_0)).get(ORDERS_0).offset(),
                "a later commit replaces the offset");
        assertEquals(17, coordinator().fetchOffsets(GROUP, List.of(ORDERS_1)).get(ORDERS_1).offset(),
                "and leaves other partitions alone");
    }

    @Test
    void commitsAreCheckedAgainstMembershipAndGenerationAsKafkaDoes() {
        JoinResult a = groups.stableSingleMember("app-a");
        Map<TopicPartitionKey, CommittedOffset> offsets = Map.of(ORDERS_0, CommittedOffset.of(1));

        assertAll(
                () -> assertEquals(Map.of(ORDERS_0, GroupError.ILLEGAL_GENERATION),
                        coordinator().commitOffsets(GROUP, a.memberId(), a.generationId() + 1, offsets), "wrong generation"),
                () -> assertEquals(Map.of(ORDERS_0, GroupError.UNKNOWN_MEMBER_ID),
                        coordinator().commitOffsets(GROUP, "stranger", a.generationId(), offsets), "unknown member"),
                () -> assertEquals(Map.of(ORDERS_0, GroupError.UNKNOWN_MEMBER_ID), simpleCommit(GROUP, offsets),
                        "a commit from outside the group while it has members"),
                () -> assertEquals(Map.of(ORDERS_0, GroupError.ILLEGAL_GENERATION),
                        coordinator().commitOffsets("no-such-group", "m", 1, offsets),
                        "a member commit to a group that does not exist"),
                () -> assertEquals(Map.of(), coordinator().fetchOffsets(GROUP, null), "nothing was committed"));

        groups.joinNew("app-b");
        assertEquals(GroupState.PREPARING_REBALANCE, groups.state(), "b's join starts a rebalance");
        assertEquals(allNone(offsets), commit(a, offsets),
                "while preparing a rebalance the current generation may still commit (revoked partitions)");

        JoinResult a2 = done(groups.rejoin(a), "a rejoins; the rebalance completes");
        assertEquals(GroupState.COMPLETING_REBALANCE, groups.state(), "waiting for the leader's sync");
        assertEquals(Map.of(ORDERS_0, GroupError.REBALANCE_IN_PROGRESS), commit(a2, offsets),
                "between the join and the assignment the new generation may not commit yet");
        assertEquals(Map.of(ORDERS_0, GroupError.ILLEGAL_GENERATION), commit(a, offsets),
                "the previous generation may no longer commit");
        assertEquals(27, GroupError.REBALANCE_IN_PROGRESS.code(), "REBALANCE_IN_PROGRESS is Kafka error 27");
    }

    @Test
    void tooLongMetadataRefusesOnlyThatPartition() {
        String tooLong = "x".repeat(GroupCoordinatorConfig.DEFAULTS.maxOffsetMetadataBytes() + 1);

        Map<TopicPartitionKey, GroupError> errors = simpleCommit(GROUP, Map.of(
                ORDERS_0, CommittedOffset.of(5, -1, tooLong), ORDERS_1, CommittedOffset.of(6)));

        assertEquals(Map.of(ORDERS_0, GroupError.OFFSET_METADATA_TOO_LARGE, ORDERS_1, GroupError.NONE), errors,
                "metadata over offset.metadata.max.bytes");
        assertEquals(List.of(ORDERS_1), List.copyOf(coordinator().fetchOffsets(GROUP, null).keySet()),
                "the other partition is committed");
    }

    @Test
    void aStandaloneConsumerCommitsToAnEmptyGroupWhichIsListedAsEmpty() {
        assertEquals(allNone(Map.of(ORDERS_0, 1)), simpleCommit("standalone", Map.of(ORDERS_0, CommittedOffset.of(9))),
                "generation -1 without member id is accepted for a group without members");

        assertEquals(List.of(new GroupOverview("standalone", "", GroupState.EMPTY)), coordinator().listGroups(),
                "a group that only stores offsets is listed, empty, without protocol type");
        groups.advance(GroupCoordinatorConfig.DEFAULTS.emptyGroupRetentionMs());
        assertEquals(1, coordinator().listGroups().size(), "a group with offsets is never forgotten");
    }

    @Test
    void offsetsSurviveARestartOfEngineAndCoordinator() {
        JoinResult member = groups.stableSingleMember("app-a");
        commit(member, Map.of(ORDERS_0, CommittedOffset.of(10, 3, "first"), ORDERS_1, CommittedOffset.of(20)));
        groups.clock.advance(5);
        commit(member, Map.of(ORDERS_0, CommittedOffset.of(11, 4, "second")));
        simpleCommit("other-group", Map.of(PAYMENTS_0, CommittedOffset.of(99)));
        Map<TopicPartitionKey, CommittedOffset> before = coordinator().fetchOffsets(GROUP, null);

        groups.restart();

        assertAll(
                () -> assertEquals(before, coordinator().fetchOffsets(GROUP, null),
                        "the last commit of each partition is replayed, with metadata, epoch and timestamp"),
                () -> assertEquals(11, coordinator().fetchOffsets(GROUP, null).get(ORDERS_0).offset(), "the later commit won"),
                () -> assertEquals(99, coordinator().fetchOffsets("other-group", null).get(PAYMENTS_0).offset(),
                        "other groups are replayed too"),
                () -> assertEquals(List.of(new GroupOverview(GROUP, "", GroupState.EMPTY),
                                new GroupOverview("other-group", "", GroupState.EMPTY)),
                        coordinator().listGroups(),
                        "membership is not persisted: both groups come back empty"),
                () -> assertEquals(GroupError.UNKNOWN_MEMBER_ID, groups.heartbeat(member),
                        "members of before the restart must join again"));
    }

    @Test
    void theOffsetsTopicIsCreatedCompactedWithOnePartitionAndKeptForever() {
        TopicInfo topic = groups.engine.describeTopic(OffsetsTopic.NAME);

        assertAll(
                () -> assertEquals(1, topic.partitions().size(), "one partition"),
                () -> assertEquals(CleanupPolicy.COMPACT, topic.config().cleanupPolicy(), "cleanup.policy=compact"),
                () -> assertEquals(-1, topic.config().retentionMs(), "retention.ms=-1"));
    }

    @Test
    void groupsWithMembersCannotBeDeletedEmptyOnesLoseTheirOffsetsDurably() {
        JoinResult member = groups.stableSingleMember("app-a");
        commit(member, Map.of(ORDERS_0, CommittedOffset.of(10)));
        simpleCommit("idle", Map.of(ORDERS_0, CommittedOffset.of(3), ORDERS_1, CommittedOffset.of(4)));

        assertEquals(Map.of(GROUP, GroupError.NON_EMPTY_GROUP, "idle", GroupError.NONE, "never-was", GroupError.GROUP_ID_NOT_FOUND),
                coordinator().deleteGroups(List.of(GROUP, "idle", "never-was")),
                "only an empty group is deleted");
        assertEquals(68, GroupError.NON_EMPTY_GROUP.code(), "NON_EMPTY_GROUP is Kafka error 68");
        assertEquals(Map.of(), coordinator().fetchOffsets("idle", null), "the deleted group's offsets are gone");
        assertEquals(List.of(GROUP), coordinator().listGroups().stream().map(GroupOverview::groupId).toList(),
                "and so is the group");

        groups.restart();

        assertEquals(Map.of(), coordinator().fetchOffsets("idle", null), "the deletion survives a restart (tombstones)");
        assertEquals(10, coordinator().fetchOffsets(GROUP, null).get(ORDERS_0).offset(), "the other group keeps its offsets");
        assertEquals(Map.of(GROUP, GroupError.NONE), coordinator().deleteGroups(List.of(GROUP)),
                "after the restart the group has no members and can be deleted");
    }

    @Test
    void offsetsAreResetOnlyWhileTheGroupHasNoMembers() {
        JoinResult member = groups.stableSingleMember("app-a");
        commit(member, Map.of(ORDERS_0, CommittedOffset.of(100), ORDERS_1, CommittedOffset.of(200)));

        assertEquals(GroupError.NON_EMPTY_GROUP, coordinator().resetOffsets(GROUP, Map.of(ORDERS_0, 0L)),
                "a group with members keeps its offsets");
        assertEquals(100, coordinator().fetchOffsets(GROUP, null).get(ORDERS_0).offset(), "unchanged");

        coordinator().leave(GROUP, List.of(member.memberId()));
        Map<TopicPartitionKey, Long> reset = new HashMap<>();
        reset.put(ORDERS_0, 0L);
        reset.put(ORDERS_1, null);
        reset.put(PAYMENTS_0, 5L);
        assertEquals(GroupError.NONE, coordinator().resetOffsets(GROUP, reset), "the empty group's offsets are reset");

        Map<TopicPartitionKey, CommittedOffset> after = coordinator().fetchOffsets(GROUP, null);
        assertEquals(Map.of(ORDERS_0, 0L, PAYMENTS_0, 5L), offsetsOnly(after), "new offsets; a null deletes one");

        groups.restart();
        assertEquals(Map.of(ORDERS_0, 0L, PAYMENTS_0, 5L), offsetsOnly(coordinator().fetchOffsets(GROUP, null)),
                "the reset is durable");
    }

    private static Map<TopicPartitionKey, Long> offsetsOnly(Map<TopicPartitionKey, CommittedOffset> offsets) {
        Map<TopicPartitionKey, Long> plain = new HashMap<>();
        offsets.forEach((partition, offset) -> plain.put(partition, offset.offset()));
        return plain;
    }

    @Test
    void aCommitTornByACrashIsLostButEveryEarlierOneSurvives() throws IOException {
        simpleCommit(GROUP, Map.of(ORDERS_0, CommittedOffset.of(1)));
        simpleCommit(GROUP, Map.of(ORDERS_0, CommittedOffset.of(2), ORDERS_1, CommittedOffset.of(3)));
        Path log = EngineTestSupport.logFiles(EngineTestSupport.partitionDir(dataDir, OffsetsTopic.NAME, 0)).get(0);
        long sizeBeforeLast = Files.size(log);
        simpleCommit(GROUP, Map.of(ORDERS_0, CommittedOffset.of(4)));
        long lastBatchBytes = Files.size(log) - sizeBeforeLast;
        groups.close();

        // A crash in the middle of the last append: no clean-shutdown marker, no checkpoint, half a batch.
        Files.delete(dataDir.resolve(".clean-shutdown"));
        Files.delete(dataDir.resolve("recovery-point-offset-checkpoint"));
        EngineTestSupport.truncate(log, sizeBeforeLast + lastBatchBytes / 2);
        groups = new GroupTestSupport(dataDir);

        assertEquals(Map.of(ORDERS_0, 2L, ORDERS_1, 3L), offsetsOnly(coordinator().fetchOffsets(GROUP, null)),
                "recovery drops the torn commit; the ones before it are intact");
        assertEquals(allNone(Map.of(ORDERS_0, 1)), simpleCommit(GROUP, Map.of(ORDERS_0, CommittedOffset.of(5))),
                "commits continue after recovery");
        groups.restart();
        assertEquals(5, coordinator().fetchOffsets(GROUP, null).get(ORDERS_0).offset(), "and are replayed");
    }

    @Test
    void aClosedCoordinatorRefusesCommitsButStillAnswersReads() {
        simpleCommit(GROUP, Map.of(ORDERS_0, CommittedOffset.of(1)));
        coordinator().close();

        assertEquals(Map.of(ORDERS_0, GroupError.COORDINATOR_NOT_AVAILABLE), simpleCommit(GROUP, Map.of(ORDERS_0,
                CommittedOffset.of(2))), "no commit after close");
        assertTrue(coordinator().fetchOffsets(GROUP, null).containsKey(ORDERS_0), "reads still answer");
    }
}
