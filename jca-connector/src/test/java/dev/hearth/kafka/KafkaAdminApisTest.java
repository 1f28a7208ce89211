package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin APIs behind Kafka's operator tools (kafka-delete-records, kafka-consumer-groups --delete-offsets,
 * kafka-log-dirs, kafka-transactions, kafka-get-offsets --time -3, kafka-configs for brokers, kafka-features,
 * kafka-consumer-groups --list --state), driven through an unmodified kafka-clients {@link Admin}; changes they
 * make land in the audit topic.
 */
class KafkaAdminApisTest {

    @TempDir
    Path dataDir;

    private KafkaBroker broker;

    @BeforeEach
    void start() throws InterruptedException {
        broker = new KafkaBroker(dataDir);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void deleteRecordsMovesTheLogStartOffsetDurablyAndConsumersNoLongerSeeTheRecords() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("events", 1, (short) 1)
                    .configs(Map.of("segment.bytes", "1024")))).all().get();
            produce("events", 0, 100);
            TopicPartition tp = new TopicPartition("events", 0);
            long lowWatermark = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(60)))
                    .lowWatermarks().get(tp).get().lowWatermark();
            assertEquals(60, lowWatermark, "the low watermark is the offset records were deleted before");
            assertEquals(60, admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset(),
                    "the earliest offset moved");
            assertTrue(broker.engine.describePartition("events", 0).segmentCount() < 10,
                    "closed segments wholly below the new start are deleted at once");
            ExecutionException beyondEnd = assertThrows(ExecutionException.class, () -> admin.deleteRecords(
                    Map.of(tp, RecordsToDelete.beforeOffset(101))).lowWatermarks().get(tp).get());
            assertInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class, beyondEnd.getCause(),
                    "an offset beyond the high watermark is OFFSET_OUT_OF_RANGE, as in Kafka");
        }
        assertEquals(List.of("v60", "v61"), firstValues("events", 2), "a consumer from the beginning starts at 60");
        broker.close();
        broker = new KafkaBroker(dataDir);
        assertEquals(60, broker.engine.describePartition("events", 0).logStartOffset(),
                "the new log start offset survives a restart");
        assertTrue(auditRecords().stream().anyMatch(r -> r.contains("\"action\":\"DELETE_RECORDS\"")
                && r.contains("\"resourceName\":\"events\"")), "the deletion is in the audit trail");
    }

    @Test
    void deleteConsumerGroupOffsetsRemovesThemUnlessAMemberSubscribes() throws Exception {
        produce("clicks", 0, 3);
        produce("views", 0, 3);
        try (Admin admin = broker.admin()) {
            admin.alterConsumerGroupOffsets("reporting", Map.of(new TopicPartition("clicks", 0), new OffsetAndMetadata(2),
                    new TopicPartition("views", 0), new OffsetAndMetadata(1))).all().get();
            admin.deleteConsumerGroupOffsets("reporting", Set.of(new TopicPartition("clicks", 0))).all().get();
            Map<TopicPartition, OffsetAndMetadata> left = admin.listConsumerGroupOffsets("reporting")
                    .partitionsToOffsetAndMetadata().get();
            assertEquals(Set.of(new TopicPartition("views", 0)), left.keySet(), "only the deleted offset is gone");

            try (KafkaConsumer<String, String> member = broker.consumer("reporting", Map.of())) {
                member.subscribe(List.of("views"));
                awaitStable(admin, "reporting", member);
                ExecutionException subscribed = assertThrows(ExecutionException.class, () -> admin
                        .deleteConsumerGroupOffsets("reporting", Set.of(new TopicPartition("views", 0))).all().get());
                assertInstanceOf(GroupSubscribedToTopicException.class, subscribed.getCause(),
                        "an offset of a topic an active member subscribes to stays");
            }
        }
        assertTrue(auditRecords().stream().anyMatch(r -> r.contains("\"action\":\"DELETE_OFFSETS\"")
                && r.contains("clicks-0")), "the offset deletion is in the audit trail");
    }

    @Test
    void describeLogDirsShowsTheDataDirectoryWithEveryPartition() throws Exception {
        produce("sized", 0, 10);
        try (Admin admin = broker.admin()) {
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(0)).allDescriptions().get().get(0);
            assertEquals(1, dirs.size(), "one log directory: " + dirs.keySet());
            LogDirDescription dir = dirs.values().iterator().next();
            assertEquals(dataDir.toAbsolutePath().toString(), dirs.keySet().iterator().next(), "the data directory");
            assertTrue(dir.replicaInfos().get(new TopicPartition("sized", 0)).size() > 0, "the partition's bytes");
            assertTrue(dir.totalBytes().orElse(0) > 0 && dir.usableBytes().isPresent(), "the file system's space");
        }
    }

    @Test
    void aHangingTransactionIsFoundAndAbortedAndReadCommittedConsumersProceed() throws Exception {
        TopicPartition tp = new TopicPartition("payments", 0);
        produce("payments", 0, 2);
        // A transactional batch no coordinator knows of: what a lost AddPartitionsToTxn or a bug leaves behind.
        long producerId = 777_000;
        broker.engine.append("payments", 0, MemoryRecords.withTransactionalRecords(Compression.NONE, producerId,
                (short) 3, 0, new SimpleRecord("hanging".getBytes(StandardCharsets.UTF_8))));
        produce("payments", 0, 2);
        assertEquals(2, broker.engine.describePartition("payments", 0).lastStableOffset(),
                "the hanging transaction holds the last stable offset back");
        try (Admin admin = broker.admin()) {
            List<ProducerState> producers = admin.describeProducers(List.of(tp)).partitionResult(tp).get()
                    .activeProducers();
            ProducerState hanging = producers.stream().filter(p -> p.producerId() == producerId).findFirst()
                    .orElseThrow(() -> new AssertionError("the hanging producer is described: " + producers));
            assertEquals(2, hanging.currentTransactionStartOffset().orElse(-1), "its transaction starts at offset 2");
            assertEquals(3, hanging.producerEpoch(), "with its epoch");
            assertTrue(admin.listTransactions().all().get().stream().noneMatch(t -> t.producerId() == producerId),
                    "the coordinator does not know it: that is what makes it hanging");

            admin.abortTransaction(new AbortTransactionSpec(tp, producerId, (short) 3, 0)).all().get();
        }
        assertEquals(List.of("v0", "v1", "v0", "v1"), committedValues("payments", 4),
                "a read_committed consumer proceeds past the aborted transaction, without its record");
        assertTrue(auditRecords().stream().anyMatch(r -> r.contains("\"action\":\"ABORT_TRANSACTION\"")),
                "the abort is in the audit trail");
    }

    @Test
    void anOpenTransactionIsListedDescribedAndAbortedWhole() throws Exception {
        TopicPartition tp = new TopicPartition("orders", 0);
        produce("orders", 0, 1);
        try (KafkaProducer<String, String> producer = broker.producer(Map.of("transactional.id", "stuck-tx"));
             Admin admin = broker.admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 0, "k", "pending")).get();

            Collection<TransactionListing> ongoing = admin.listTransactions(
                    new org.apache.kafka.clients.admin.ListTransactionsOptions()
                            .filterStates(List.of(org.apache.kafka.clients.admin.TransactionState.ONGOING))).all().get();
            assertEquals(List.of("stuck-tx"), ongoing.stream().map(TransactionListing::transactionalId).toList(),
                    "the open transaction is listed with the Ongoing filter");
            TransactionDescription described = admin.describeTransactions(List.of("stuck-tx")).description("stuck-tx").get();
            assertEquals(org.apache.kafka.clients.admin.TransactionState.ONGOING, described.state(), "its state");
            assertEquals(Set.of(tp), described.topicPartitions(), "its partitions");
            assertTrue(described.transactionStartTimeMs().isPresent(), "its start time");

            ProducerState state = admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers()
                    .stream().filter(p -> p.producerId() == described.producerId()).findFirst().orElseThrow();
            admin.abortTransaction(new AbortTransactionSpec(tp, state.producerId(), (short) state.producerEpoch(), 0))
                    .all().get();
            assertEquals(org.apache.kafka.clients.admin.TransactionState.COMPLETE_ABORT,
                    admin.describeTransactions(List.of("stuck-tx")).description("stuck-tx").get().state(),
                    "the coordinator aborted its own transaction whole");
        }
        assertEquals(List.of("v0"), committedValues("orders", 1), "nothing of the aborted transaction is visible");
    }

    /**
     * MirrorMaker 2's topic config sync from an Apache Kafka source: one IncrementalAlterConfigs per topic that SETs
     * the configs the source overrides and DELETEs every other one it reports (compression.type, preallocate...).
     * Kafka validates only the resulting set, so a DELETE of a config that is not set succeeds; Hearth agrees for the
     * configs it does not implement (they cannot be set), and still refuses to SET one.
     */
    @Test
    void deletingATopicConfigHearthDoesNotImplementIsANoOpAsOnKafka() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("synced", 1, (short) 1))).all().get();
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "synced");
            admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "86400000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("compression.type", null), AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("preallocate", null), AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", null), AlterConfigOp.OpType.DELETE))))
                    .all().get();
            Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertEquals("86400000", config.get("retention.ms").value(), "the SET in the same request applied");
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("max.message.bytes").source(),
                    "a DELETE of an implemented config resets it");

            ExecutionException set = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(
                    Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry("compression.type", "lz4"),
                            AlterConfigOp.OpType.SET)))).all().get(), "a config Hearth does not implement is not SET");
            assertInstanceOf(InvalidConfigurationException.class, set.getCause(), set.toString());
        }
    }

    /** {@code kafka-configs --describe} of a topic prints each config's synonyms as Kafka lists them. */
    @Test
    void topicConfigsCarrySynonymsAsKafkasDo() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("synonyms", 1, (short) 1)
                    .configs(Map.of("retention.ms", "86400000")))).all().get();
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "synonyms");
            Config config = admin.describeConfigs(List.of(topic), new DescribeConfigsOptions().includeSynonyms(true))
                    .all().get().get(topic);
            assertEquals(List.of("DYNAMIC_TOPIC_CONFIG:retention.ms=86400000"), synonyms(config.get("retention.ms")),
                    "the override; no log.retention.hours=168, as on Kafka (its primary log.retention.ms has no default)");
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, config.get("retention.ms").source());
            assertEquals(List.of("DEFAULT_CONFIG:log.cleanup.policy=delete"), synonyms(config.get("cleanup.policy")),
                    "Kafka's default under the broker's name");
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("cleanup.policy").source());
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("cleanup.policy").source());
            assertEquals(List.of(), synonyms(admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get("retention.ms")), "synonyms only when asked for");
        }
    }

    private static List<String> synonyms(ConfigEntry entry) {
        return entry.synonyms().stream().map(s -> s.source() + ":" + s.name() + "=" + s.value()).toList();
    }

    @Test
    void listOffsetsMaxTimestampFindsTheNewestRecord() throws Exception {
        try (KafkaProducer<String, String> producer = broker.producer(Map.of())) {
            producer.send(new ProducerRecord<>("times", 0, 1_000L, "k", "a")).get();
            producer.send(new ProducerRecord<>("times", 0, 5_000L, "k", "b")).get();
            producer.send(new ProducerRecord<>("times", 0, 3_000L, "k", "c")).get();
        }
        try (Admin admin = broker.admin()) {
            TopicPartition tp = new TopicPartition("times", 0);
            ListOffsetsResult.ListOffsetsResultInfo max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp()))
                    .partitionResult(tp).get();
            assertEquals(1, max.offset(), "the record with the largest timestamp");
            assertEquals(5_000L, max.timestamp(), "and that timestamp");
        }
    }

    @Test
    void brokerConfigsAreDescribedAsAOneNodeKafkaReportsThem() throws Exception {
        try (Admin admin = broker.admin()) {
            ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "0");
            Config config = admin.describeConfigs(List.of(brokerResource)).all().get().get(brokerResource);
            assertEquals("true", config.get("auto.create.topics.enable").value(), "auto-creation as configured");
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("auto.create.topics.enable").source(),
                    "Kafka's default value reports as the default");
            assertEquals("1", config.get("num.partitions").value(), "num.partitions");
            assertEquals("1", config.get("offsets.topic.replication.factor").value(), "one node, one replica");
            assertEquals(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG,
                    config.get("offsets.topic.replication.factor").source(), "a value differing from Kafka's default");
            assertEquals(broker.engine.config().topicDefaults().toMap().get("retention.ms"),
                    config.get("log.retention.ms").value(), "log.retention.ms is the topics' default");
            assertTrue(config.get("log.retention.ms").isReadOnly(), "Hearth has no dynamic broker configs");
        }
    }

    @Test
    void featuresAreThoseOfAOneNodeKraftKafka() throws Exception {
        try (Admin admin = broker.admin()) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get();
            assertEquals(30, features.finalizedFeatures().get("metadata.version").maxVersionLevel(),
                    "metadata.version is finalized at 4.3-IV0");
            assertEquals(7, features.supportedFeatures().get("metadata.version").minVersion(), "from 3.3-IV3");
            assertFalse(features.finalizedFeatures().containsKey("transaction.version"),
                    "transactions v2 are not finalized: clients keep AddPartitionsToTxn");
            assertTrue(features.finalizedFeaturesEpoch().isPresent(), "an epoch");
        }
    }

    @Test
    void listGroupsFiltersByStateAndType() throws Exception {
        produce("feed", 0, 1);
        try (Admin admin = broker.admin()) {
            admin.alterConsumerGroupOffsets("idle-group", Map.of(new TopicPartition("feed", 0), new OffsetAndMetadata(1)))
                    .all().get();
            try (KafkaConsumer<String, String> member = broker.consumer("busy-group", Map.of())) {
                member.subscribe(List.of("feed"));
                awaitStable(admin, "busy-group", member);
                Collection<GroupListing> stable = admin.listGroups(ListGroupsOptions.forConsumerGroups()
                        .inGroupStates(Set.of(GroupState.STABLE))).all().get();
                assertEquals(List.of("busy-group"), stable.stream().map(GroupListing::groupId).toList(),
                        "only the stable group");
                Collection<GroupListing> empty = admin.listGroups(ListGroupsOptions.forConsumerGroups()
                        .inGroupStates(Set.of(GroupState.EMPTY))).all().get();
                assertEquals(List.of("idle-group"), empty.stream().map(GroupListing::groupId).toList(),
                        "only the empty group");
                assertTrue(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get().isEmpty(),
                        "consumer groups are no share groups");
            }
        }
    }

    @Test
    void aTopicNameOfKafkasMaximumLengthWorksThroughRestartAndDeletion() throws Exception {
        String name = "t".repeat(249);
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
        }
        produce(name, 1, 3);
        assertEquals(List.of("v0", "v1", "v2"), firstValues(name, 1, 3), "records of the topic are served");
        broker.close();
        broker = new KafkaBroker(dataDir);
        assertEquals(List.of("v0", "v1", "v2"), firstValues(name, 1, 3), "and served after a restart");
        try (Admin admin = broker.admin()) {
            admin.deleteTopics(List.of(name)).all().get();
            assertFalse(admin.listTopics().names().get().contains(name), "the topic is gone");
        }
        try (Stream<Path> left = Files.walk(dataDir)) {
            assertTrue(left.noneMatch(path -> path.getFileName().toString().startsWith("ttttt")),
                    "nothing of the topic stays on disk");
        }
        try (Stream<Path> staging = Files.exists(dataDir.resolve("staging")) ? Files.list(dataDir.resolve("staging"))
                : Stream.empty()) {
            assertEquals(0, staging.count(), "no staging leftovers");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private void produce(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<String, String> producer = broker.producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k", "v" + i)).get();
            }
        }
    }

    private List<String> firstValues(String topic, int count) {
        return firstValues(topic, 0, count);
    }

    private List<String> firstValues(String topic, int partition, int count) {
        return read(topic, partition, count, "read_uncommitted");
    }

    private List<String> committedValues(String topic, int count) {
        return read(topic, 0, count, "read_committed");
    }

    private List<String> read(String topic, int partition, int count, String isolation) {
        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of("isolation.level", isolation))) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (values.size() < count && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values.size() > count ? values.subList(0, count) : values;
        }
    }

    /** Polls the member until its group is Stable, with a deadline. */
    private static void awaitStable(Admin admin, String groupId, KafkaConsumer<String, String> member)
            throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            member.poll(Duration.ofMillis(100));
            GroupState state = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get()
                    .groupState();
            if (state == GroupState.STABLE) {
                return;
            }
        }
        throw new AssertionError("group " + groupId + " did not become Stable within 30 s");
    }

    /** The audit topic's records, as JSON text. */
    private List<String> auditRecords() {
        List<String> records = new ArrayList<>();
        if (!broker.engine.topicExists(KafkaAuditTopic.NAME)) {
            return records;
        }
        for (RecordBatch batch : broker.engine.read(KafkaAuditTopic.NAME, 0, 0, 1 << 20).records().batches()) {
            for (Record record : batch) {
                records.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return records.stream().collect(Collectors.toList());
    }

    @Test
    void electLeadersAnswersAsOneNodeWhosePartitionsAlreadyHaveTheirPreferredLeader() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("elected", 2, (short) 1))).all().get();
            TopicPartition existing = new TopicPartition("elected", 1);
            TopicPartition beyond = new TopicPartition("elected", 2);
            TopicPartition unknown = new TopicPartition("no-such-topic", 0);
            for (ElectionType type : ElectionType.values()) {
                Map<TopicPartition, java.util.Optional<Throwable>> results = admin.electLeaders(type,
                        Set.of(existing, beyond, unknown)).partitions().get();
                assertInstanceOf(org.apache.kafka.common.errors.ElectionNotNeededException.class,
                        results.get(existing).orElseThrow(), type + ": the only replica already leads");
                assertInstanceOf(org.apache.kafka.common.errors.UnknownTopicOrPartitionException.class,
                        results.get(beyond).orElseThrow(), type + ": a partition beyond the topic's count is unknown");
                assertInstanceOf(org.apache.kafka.common.errors.UnknownTopicOrPartitionException.class,
                        results.get(unknown).orElseThrow(), type + ": a partition of no topic is unknown");
                assertEquals("No such topic as no-such-topic", results.get(unknown).orElseThrow().getMessage(),
                        "Kafka's controller's words, which kafka-leader-election prints");
                assertEquals("No such partition as elected-2", results.get(beyond).orElseThrow().getMessage(),
                        "Kafka's controller's words, which kafka-leader-election prints");
                assertTrue(admin.electLeaders(type, null).partitions().get().isEmpty(),
                        type + ": an election of all partitions elects none on one node");
            }
        }
    }
}
