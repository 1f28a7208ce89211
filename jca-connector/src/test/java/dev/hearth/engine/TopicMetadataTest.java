package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

/**
 * Topic lifecycle: create, describe, add partitions, alter configs, delete; that all of it is durable; that it
 * works for names of Kafka's full length; and that a creation that fails leaves nothing behind.
 */
class TopicMetadataTest {

    private static final String TOPIC = "orders";
    /** 249 characters (Kafka's maximum) drawn from every class Kafka allows: letters, digits, '.', '_', '-'. */
    private static final String LONGEST =
            ("Ab9._-" + "x".repeat(TopicNames.MAX_LENGTH)).substring(0, TopicNames.MAX_LENGTH);

    @TempDir
    Path dataDir;

    private LogEngine engine;

    @BeforeEach
    void open() {
        engine = LogEngine.open(config(dataDir));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private void reopen() {
        engine.close();
        engine = LogEngine.open(config(dataDir));
    }

    private Path topicDir(String name) {
        return dataDir.resolve("topics").resolve(name);
    }

    @Test
    void createdTopicIsDescribedWithItsPartitionsConfigAndId() {
        TopicInfo created = engine.createTopic(TOPIC, 3, Map.of(TopicConfig.RETENTION_MS, "1000",
                TopicConfig.CLEANUP_POLICY, "compact"));

        assertEquals(TOPIC, created.name(), "the description names the topic");
        assertEquals(3, created.partitions().size(), "three partitions were asked for");
        assertEquals(List.of(0, 1, 2), created.partitions().stream().map(PartitionInfo::partition).toList(),
                "partitions are numbered from 0");
        created.partitions().forEach(p -> assertEquals(PartitionState.ONLINE, p.state(), "a new partition is online"));
        assertEquals(1000, created.config().retentionMs(), "the retention.ms override applies");
        assertEquals(CleanupPolicy.COMPACT, created.config().cleanupPolicy(), "the cleanup.policy override applies");
        assertEquals(TopicConfig.DEFAULTS.segmentBytes(), created.config().segmentBytes(),
                "keys not overridden take the engine defaults");
        assertNotEquals(Uuid.ZERO_UUID, Uuid.fromString(created.topicId()),
                "the topic id is a real Kafka Uuid in its base64 form");
        assertTrue(engine.topicExists(TOPIC), "the topic exists once created");
        assertEquals(List.of(TOPIC), engine.listTopics().stream().map(TopicInfo::name).toList(), "it is listed");
    }

    @Test
    void metadataSurvivesARestart() {
        TopicInfo created = engine.createTopic(TOPIC, 3, Map.of(TopicConfig.RETENTION_MS, "1000",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        engine.append(TOPIC, 2, batch(T0, "kept"));

        reopen();

        TopicInfo reopened = engine.describeTopic(TOPIC);
        assertEquals(created.topicId(), reopened.topicId(), "the topic id never changes, restarts included");
        assertEquals(3, reopened.partitions().size(), "the partition count is durable");
        assertEquals(created.config(), reopened.config(), "the effective config is durable");
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "1000", TopicConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"),
                engine.configOverrides(TOPIC), "only the overrides are stored, and they come back as given");
        assertEquals(1, engine.describePartition(TOPIC, 2).logEndOffset(), "the partition's data is durable too");
    }

    @Test
    void createRefusesDuplicatesUnknownConfigsBadValuesAndBadNames() {
        engine.createTopic(TOPIC, 1, Map.of());

        assertEquals("Topic '" + TOPIC + "' already exists.",
                assertThrows(TopicExistsException.class, () -> engine.createTopic(TOPIC, 2, Map.of()),
                        "a second topic of the same name is refused").getMessage(),
                "Apache Kafka's words, which kafka-topics prints");
        assertEquals(1, engine.partitionCount(TOPIC), "the existing topic is untouched by the refused create");

        InvalidConfigException unknown = assertThrows(InvalidConfigException.class,
                () -> engine.createTopic("other", 1, Map.of("retention.msec", "5")),
                "a config key Kafka does not define is refused rather than ignored");
        assertTrue(unknown.getMessage().contains("retention.msec"), "the message names the unknown key");
        assertThrows(InvalidConfigException.class,
                () -> engine.createTopic("other", 1, Map.of(TopicConfig.SEGMENT_BYTES, "100")),
                "segment.bytes below 1024 is refused");
        assertThrows(InvalidConfigException.class,
                () -> engine.createTopic("other", 1, Map.of(TopicConfig.RETENTION_MS, "soon")),
                "a non-numeric retention.ms is refused");
        assertThrows(InvalidPartitionsException.class, () -> engine.createTopic("other", 0, Map.of()),
                "a topic needs at least one partition");
        assertThrows(InvalidPartitionsException.class,
                () -> engine.createTopic("other", LogEngine.MAX_PARTITIONS_PER_TOPIC + 1, Map.of()),
                "a partition count above the maximum is refused before any directory is made");
        assertThrows(InvalidTopicException.class, () -> engine.createTopic("bad/name", 1, Map.of()),
                "an illegal name is refused before it touches the disk");
        assertFalse(engine.topicExists("other"), "no refused create leaves a topic behind");
        assertFalse(Files.exists(topicDir("other")), "no refused create leaves a directory behind");
    }

    @Test
    void addPartitionsGrowsTheTopicDurably() {
        engine.createTopic(TOPIC, 2, Map.of());
        engine.append(TOPIC, 0, batch(T0, "old"));

        TopicInfo grown = engine.addPartitions(TOPIC, 5);
        assertEquals(5, grown.partitions().size(), "the topic now has five partitions");
        assertEquals(0, engine.append(TOPIC, 4, batch(T0, "new")).baseOffset(), "a new partition starts at offset 0");

        assertEquals("The topic " + TOPIC + " currently has 5 partition(s); 4 would not be an increase.",
                assertThrows(InvalidPartitionsException.class, () -> engine.addPartitions(TOPIC, 4),
                        "a topic cannot shrink").getMessage(), "Apache Kafka's words, which kafka-topics prints");
        assertEquals("Topic already has 5 partition(s).",
                assertThrows(InvalidPartitionsException.class, () -> engine.addPartitions(TOPIC, 5),
                        "the new count must be larger than the current one").getMessage(),
                "Apache Kafka's words, which kafka-topics prints");
        assertThrows(InvalidPartitionsException.class, () -> engine.addPartitions(TOPIC, Integer.MAX_VALUE),
                "a topic cannot grow beyond the maximum partition count");
        assertThrows(UnknownTopicOrPartitionException.class, () -> engine.addPartitions("missing", 3),
                "an unknown topic cannot grow");

        reopen();
        assertEquals(5, engine.partitionCount(TOPIC), "the added partitions survive a restart");
        assertEquals(List.of("new"), readAll(engine, TOPIC, 4).stream().map(EngineTestSupport::valueOf).toList(),
                "data in an added partition survives a restart");
        assertEquals(List.of("old"), readAll(engine, TOPIC, 0).stream().map(EngineTestSupport::valueOf).toList(),
                "data in an original partition survives a restart");
    }

    @Test
    void alterConfigMergesChangesRemovesNullsAndIsDurable() {
        engine.createTopic(TOPIC, 1, Map.of(TopicConfig.RETENTION_MS, "1000", TopicConfig.CLEANUP_POLICY, "compact"));

        Map<String, String> changes = new HashMap<>();
        changes.put(TopicConfig.RETENTION_BYTES, "5000");
        changes.put(TopicConfig.CLEANUP_POLICY, null);
        TopicInfo altered = engine.alterConfig(TOPIC, changes);

        assertEquals(5000, altered.config().retentionBytes(), "a new override applies");
        assertEquals(1000, altered.config().retentionMs(), "an override not mentioned is kept");
        assertEquals(CleanupPolicy.DELETE, altered.config().cleanupPolicy(),
                "a null value removes the override, so the default applies again");
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "1000", TopicConfig.RETENTION_BYTES, "5000"),
                engine.configOverrides(TOPIC), "the stored overrides reflect the merge");

        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> engine.alterConfig(TOPIC, Map.of("no.such.key", "1")), "an unknown key is refused");
        assertTrue(e.getMessage().contains("no.such.key"), "the message names the unknown key");
        assertEquals(5000, engine.describeTopic(TOPIC).config().retentionBytes(), "a refused alter changes nothing");

        reopen();
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "1000", TopicConfig.RETENTION_BYTES, "5000"),
                engine.configOverrides(TOPIC), "altered overrides survive a restart");
        assertEquals(CleanupPolicy.DELETE, engine.describeTopic(TOPIC).config().cleanupPolicy(),
                "a removed override stays removed after a restart");
    }

    @Test
    void deleteTopicRemovesItsDirectoryAndTheNameCanBeReused() {
        TopicInfo first = engine.createTopic(TOPIC, 2, Map.of());
        engine.append(TOPIC, 0, batch(T0, "gone"));
        assertTrue(Files.isDirectory(topicDir(TOPIC)), "precondition: the topic has a directory");

        engine.deleteTopic(TOPIC);

        assertFalse(engine.topicExists(TOPIC), "a deleted topic no longer exists");
        assertFalse(Files.exists(topicDir(TOPIC)), "a deleted topic's directory is removed");
        assertThrows(UnknownTopicOrPartitionException.class, () -> engine.describeTopic(TOPIC),
                "a deleted topic cannot be described");
        assertThrows(UnknownTopicOrPartitionException.class, () -> engine.append(TOPIC, 0, batch(T0, "x")),
                "a deleted topic cannot be appended to");
        assertThrows(UnknownTopicOrPartitionException.class, () -> engine.deleteTopic(TOPIC),
                "a deleted topic cannot be deleted twice");

        TopicInfo second = engine.createTopic(TOPIC, 1, Map.of());
        assertNotEquals(first.topicId(), second.topicId(), "a recreated topic is a new topic with a new id");
        assertEquals(0, engine.describePartition(TOPIC, 0).logEndOffset(), "a recreated topic starts empty");

        reopen();
        assertEquals(1, engine.partitionCount(TOPIC), "after a restart only the recreated topic is there");
        assertEquals(second.topicId(), engine.describeTopic(TOPIC).topicId(), "with its own id");
    }

    @Test
    void unknownTopicsAreReported() {
        assertThrows(UnknownTopicOrPartitionException.class, () -> engine.describeTopic("missing"),
                "describing an unknown topic fails");
        assertThrows(UnknownTopicOrPartitionException.class, () -> engine.read("missing", 0, 0, 1),
                "reading an unknown topic fails");
        assertThrows(UnknownTopicOrPartitionException.class, () -> engine.alterConfig("missing", Map.of()),
                "altering an unknown topic fails");
    }

    @Test
    void topicWithTheLongestLegalNameLivesThroughItsWholeLifecycle() throws IOException {
        assertEquals(249, LONGEST.length(), "the test name has Kafka's maximum length");

        engine.createTopic(LONGEST, 2, Map.of());
        engine.append(LONGEST, 1, batch(T0, "first", "second"));
        assertEquals(List.of("first", "second"), values(LONGEST, 1),
                "records appended to a 249-character topic are read back");
        assertTrue(Files.isDirectory(topicDir(LONGEST).resolve("1")), "the topic's directory is named after it");

        reopen();
        assertTrue(engine.topicExists(LONGEST), "the topic is found again after a restart");
        assertEquals(List.of("first", "second"), values(LONGEST, 1), "its records survive the restart");
        engine.append(LONGEST, 1, batch(T0, "third"));
        assertEquals(3, engine.describePartition(LONGEST, 1).logEndOffset(), "appends continue after the restart");

        engine.deleteTopic(LONGEST);
        assertFalse(engine.topicExists(LONGEST), "the deleted topic is gone");
        assertFalse(Files.exists(topicDir(LONGEST)), "its directory is removed");
        assertEquals(List.of(), entries(dataDir.resolve("deleted")), "nothing is left in deleted/");

        reopen();
        assertFalse(engine.topicExists(LONGEST), "the deletion survives a restart");
        engine.createTopic(LONGEST, 1, Map.of());
        assertEquals(0, engine.describePartition(LONGEST, 0).logEndOffset(), "a re-created topic starts empty");
    }

    @Test
    void failedCreationLeavesNothingBehind() throws IOException {
        // A plain file where the topic's directory must go: the final rename fails after staging was written.
        Path blocker = Files.writeString(topicDir(LONGEST), "not a directory");

        assertThrows(StorageException.class, () -> engine.createTopic(LONGEST, 3, Map.of()),
                "the topic cannot be moved into place over a file");

        assertFalse(engine.topicExists(LONGEST), "a failed creation registers no topic");
        assertEquals(List.of(), entries(dataDir.resolve("staging")), "the staged directory is removed again");
        assertEquals("not a directory", Files.readString(blocker), "what was in the way is untouched");

        Files.delete(blocker);
        engine.createTopic(LONGEST, 3, Map.of());
        assertEquals(3, engine.partitionCount(LONGEST), "the same name can be created once the way is clear");
    }

    private List<String> values(String topic, int partition) {
        return readAll(engine, topic, partition).stream().map(EngineTestSupport::valueOf).toList();
    }

    /** The names in {@code dir}, or none when it does not exist. */
    private static List<String> entries(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }
}
