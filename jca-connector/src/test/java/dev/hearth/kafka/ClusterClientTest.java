package dev.hearth.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.connector.api.BrokerStats;
import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.connector.client.LogClient.ReadBatch;
import dev.hearth.connector.client.TransactionalProducer;
import dev.hearth.connector.cluster.ClusterClient;
import dev.hearth.engine.KeyPartitioner;
import dev.hearth.engine.log.TopicAutoCreation;

/**
 * {@link ClusterClient} against a real Kafka-protocol cluster: Hearth's own engine and Kafka listener in-process
 * ("Hearth on Hearth"), with real kafka-clients producers and consumers as the other parties. Nothing is mocked.
 * The same expectations are meant to hold on an Apache Kafka cluster; where they depend on Hearth's listener, the
 * test says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterClientTest {

    /** Generous: the machine running this is small and shared. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private KafkaBroker broker;
    private ClusterClient client;

    @BeforeAll
    void start() throws Exception {
        broker = new KafkaBroker(dataDir);
        client = new ClusterClient(Map.of("bootstrap.servers", broker.bootstrap()), "hearth-test",
                new TopicAutoCreation(true, 2), timeouts());
    }

    private static ClusterClient.Timeouts timeouts() {
        return new ClusterClient.Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(30), 4);
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ---- sends and reads ---------------------------------------------------------------------------------

    @Test
    void sentRecordsAreReadBackAtTheirReceiptsOffsets() {
        client.createTopic("orders", 3, Map.of());
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(new OutgoingRecord(null, bytes("key-" + i), bytes("value-" + i),
                    Map.of("h", bytes("header-" + i)), null));
        }
        records.add(new OutgoingRecord(2, null, bytes("explicit"), Map.of(), 1_700_000_000_000L));
        List<ProduceReceipt> receipts = client.sendBatch("orders", records);

        assertEquals(records.size(), receipts.size(), "one receipt per record, in order");
        for (int i = 0; i < 6; i++) {
            assertEquals(KeyPartitioner.partitionForKey(bytes("key-" + i), 3), receipts.get(i).partition(),
                    "a keyed record lands where Hearth's KeyPartitioner puts it (both murmur2)");
        }
        assertEquals(2, receipts.get(6).partition(), "an explicit partition is honoured");
        assertEquals(1_700_000_000_000L, receipts.get(6).timestamp(), "an explicit CreateTime is kept");
        for (int i = 0; i < records.size(); i++) {
            ProduceReceipt receipt = receipts.get(i);
            List<HearthRecord> read = client.read("orders", receipt.partition(), receipt.offset(), 1, 1 << 20);
            assertEquals(1, read.size(), "the record at receipt " + receipt + " is read back");
            HearthRecord record = read.get(0);
            assertEquals(receipt.offset(), record.offset(), "read from the receipt's offset");
            assertArrayEquals(records.get(i).value(), record.value(), "value of record " + i);
            assertArrayEquals(records.get(i).key(), record.key(), "key of record " + i);
            assertEquals(receipt.timestamp(), record.timestamp(), "the receipt's timestamp is the stored one");
            if (i < 6) {
                assertArrayEquals(bytes("header-" + i), record.headers().get("h"), "headers survive");
            }
        }
    }

    @Test
    void aRecordLargerThanTheProducerAllowsIsTooLarge() {
        client.createTopic("large", 1, Map.of());
        expect(HearthError.RECORD_TOO_LARGE, () -> client.sendBatch("large",
                List.of(OutgoingRecord.of(null, new byte[2 << 20]))), "a 2 MiB record (max.request.size is 1 MiB)");
        assertEquals(1, client.sendBatch("large", List.of(OutgoingRecord.of(null, bytes("small")))).size(),
                "the producer still sends afterwards");
    }

    @Test
    void concurrentReadersShareTheBoundedConsumerPool() throws Exception {
        client.createTopic("shared", 1, Map.of());
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(OutgoingRecord.of(null, bytes("r-" + i)));
        }
        client.sendBatch("shared", records);
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 10; t++) {
                int from = t;
                results.add(readers.submit(() -> {
                    int read = 0;
                    for (int i = 0; i < 5; i++) {
                        read += client.read("shared", 0, from, 20, 1 << 20).size();
                    }
                    return read;
                }));
            }
            for (int t = 0; t < 10; t++) {
                assertEquals(5 * (20 - t), results.get(t).get(120, java.util.concurrent.TimeUnit.SECONDS),
                        "reader " + t + " read every record after its offset, five times, through 4 pooled consumers");
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void readBatchHonoursMaxRecordsAndMaxBytes() {
        client.createTopic("batches", 1, Map.of());
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(OutgoingRecord.of(null, new byte[100]));
        }
        client.sendBatch("batches", records);

        ReadBatch three = client.readBatch("batches", 0, 0, 3, 1 << 20);
        assertEquals(3, three.records().size(), "maxRecords bounds the batch");
        assertEquals(3, three.nextOffset(), "the next read starts after the last record returned");
        ReadBatch small = client.readBatch("batches", 0, 3, 100, 250);
        assertEquals(2, small.records().size(), "records of 100 bytes within 250 bytes");
        ReadBatch tiny = client.readBatch("batches", 0, 5, 100, 1);
        assertEquals(1, tiny.records().size(), "one record is returned however small maxBytes is");
        ReadBatch end = client.readBatch("batches", 0, 10, 100, 1 << 20);
        assertTrue(end.records().isEmpty(), "nothing at the log end");
        assertEquals(10, end.nextOffset(), "the next offset stays at the log end");
    }

    @Test
    void readBatchStepsOverAnAbortedTransaction() {
        client.createTopic("payments", 1, Map.of());
        client.sendBatch("payments", List.of(OutgoingRecord.of(null, bytes("before-0")),
                OutgoingRecord.of(null, bytes("before-1"))));
        abortTransaction("payments", "payments-tx", 3);
        // Kafka writes the abort marker after answering EndTxn: wait for it (Hearth has it at once).
        await().atMost(PATIENCE).untilAsserted(() -> assertEquals(6,
                client.describeTopic("payments").partitions().get(0).logEndOffset(),
                "2 records, 3 aborted records and the abort marker"));

        ReadBatch tail = client.readBatch("payments", 0, 2, 100, 1 << 20);
        assertTrue(tail.records().isEmpty(), "aborted records are never returned: " + tail.records());
        assertEquals(6, tail.nextOffset(), "the reader steps over the aborted records and the marker");

        client.sendBatch("payments", List.of(OutgoingRecord.of(null, bytes("after"))));
        ReadBatch all = client.readBatch("payments", 0, 0, 100, 1 << 20);
        List<String> values = all.records().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        if (values.size() == 2) {
            // A poll may stop at the aborted part; the next read from nextOffset carries on.
            ReadBatch rest = client.readBatch("payments", 0, all.nextOffset(), 100, 1 << 20);
            values = new ArrayList<>(values);
            values.addAll(rest.records().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
        }
        assertEquals(List.of("before-0", "before-1", "after"), values, "committed records only, in order");
    }

    private void abortTransaction(String topic, String transactionalId, int count) {
        try (KafkaProducer<String, String> producer = broker.producer(Map.of("transactional.id", transactionalId))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
        }
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRange() {
        client.createTopic("ranges", 1, Map.of());
        client.sendBatch("ranges", List.of(OutgoingRecord.of(null, bytes("a")), OutgoingRecord.of(null, bytes("b"))));

        HearthConnectionException above = expect(HearthError.OFFSET_OUT_OF_RANGE,
                () -> client.readBatch("ranges", 0, 3, 10, 1 << 20), "an offset past the log end");
        assertEquals(0L, above.details().get("logStartOffset"), "recovery data: the log start");
        assertEquals(2L, above.details().get("logEndOffset"), "recovery data: the log end");
        expect(HearthError.OFFSET_OUT_OF_RANGE, () -> client.readBatch("ranges", 0, -1, 10, 1 << 20),
                "an offset below the log start");
        assertTrue(client.read("ranges", 0, 2, 10, 1 << 20).isEmpty(), "the log end itself is a valid, empty read");
        expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION, () -> client.read("ranges", 1, 0, 10, 1 << 20),
                "a partition the topic does not have");
        expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION, () -> client.read("no-such-topic", 0, 0, 10, 1 << 20),
                "a topic that does not exist");
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() {
        client.createTopic("timed", 1, Map.of());
        client.sendBatch("timed", List.of(new OutgoingRecord(0, null, bytes("a"), Map.of(), 1_000L),
                new OutgoingRecord(0, null, bytes("b"), Map.of(), 2_000L),
                new OutgoingRecord(0, null, bytes("c"), Map.of(), 3_000L)));
        assertEquals(OptionalLong.of(1), client.offsetForTimestamp("timed", 0, 1_500L), "the record at 2000");
        assertEquals(OptionalLong.of(0), client.offsetForTimestamp("timed", 0, 0L), "the first record");
        assertEquals(OptionalLong.empty(), client.offsetForTimestamp("timed", 0, 9_000L), "every record is older");
        expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION, () -> client.offsetForTimestamp("timed", 4, 0L),
                "a partition the topic does not have");
    }

    @Test
    void sendsFollowTheAutoCreationPolicy() throws Exception {
        List<ProduceReceipt> receipts = client.sendBatch("auto-made", List.of(OutgoingRecord.of(bytes("k"), bytes("v"))));
        assertEquals(1, receipts.size(), "the send succeeds on a topic it created");
        assertEquals(2, client.describeTopic("auto-made").partitions().size(), "created with the default partitions");

        try (ClusterClient strict = new ClusterClient(Map.of("bootstrap.servers", broker.bootstrap()), "hearth-test",
                new TopicAutoCreation(false, 2), timeouts())) {
            expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION,
                    () -> strict.sendBatch("never-made", List.of(OutgoingRecord.of(null, bytes("v")))),
                    "with auto-creation off, a send to a missing topic");
            expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION, () -> client.describeTopic("never-made"),
                    "and the topic was not created");
            assertEquals(1, strict.sendBatch("auto-made", List.of(OutgoingRecord.of(null, bytes("v")))).size(),
                    "an existing topic is written with auto-creation off");
        }
        expect(HearthError.INVALID_TOPIC, () -> client.sendBatch("__consumer_offsets",
                List.of(OutgoingRecord.of(null, bytes("v")))), "a send to an internal topic");
        expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION, () -> client.sendBatch("auto-made",
                List.of(new OutgoingRecord(7, null, bytes("v"), Map.of(), null))), "a partition the topic does not have");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> client.sendBatch("auto-made", List.of(OutgoingRecord.of(null, bytes("v"))), new OpenTransaction()),
                "a send inside a JTA transaction is impossible on a cluster");
        assertTrue(refused.getMessage().contains("outbox"), "the message says what to use instead: " + refused.getMessage());
        assertEquals(1, client.sendBatch("auto-made", List.of(OutgoingRecord.of(null, bytes("v"))), null).size(),
                "a null transaction is a plain send");
    }

    /** A transaction that is never used: the cluster client refuses it before any call. */
    private static final class OpenTransaction implements TransactionalProducer {
        @Override
        public long producerId() {
            return 1;
        }

        @Override
        public short producerEpoch() {
            return 0;
        }

        @Override
        public void beforeFirstWrite(String topic, int partition) {
            throw new AssertionError("not called on a cluster");
        }

        @Override
        public int nextSequence(String topic, int partition, int count) {
            throw new AssertionError("not called on a cluster");
        }
    }

    // ---- topics ------------------------------------------------------------------------------------------

    @Test
    void topicsAreCreatedDescribedAlteredGrownAndDeleted() {
        TopicDescription created = client.createTopic("inventory", 2, Map.of("retention.ms", "3600000"));
        assertEquals("inventory", created.name());
        assertNotNull(created.topicId(), "the cluster's topic id");
        assertEquals("3600000", created.configs().get("retention.ms"), "the config given at creation");
        assertEquals(2, created.partitions().size(), "two partitions");
        for (PartitionDescription partition : created.partitions()) {
            assertTrue(partition.online(), "partition " + partition.partition() + " has a leader");
            assertEquals(0, partition.logStartOffset(), "empty log starts at 0");
            assertEquals(0, partition.logEndOffset(), "and ends at 0");
        }
        client.sendBatch("inventory", List.of(new OutgoingRecord(1, null, bytes("x"), Map.of(), null)));
        assertEquals(1, client.describeTopic("inventory").partitions().get(1).logEndOffset(),
                "describe shows the partition's end after a send");
        assertTrue(client.listTopics().stream().anyMatch(t -> t.name().equals("inventory")), "listed");

        expect(HearthError.TOPIC_ALREADY_EXISTS, () -> client.createTopic("inventory", 1, Map.of()), "a second creation");
        expect(HearthError.INVALID_TOPIC, () -> client.createTopic("bad name!", 1, Map.of()), "an invalid name");
        expect(HearthError.INVALID_CONFIG, () -> client.createTopic("replicated", 1, Map.of("replication.factor", "three")),
                "a replication factor that is not a number");
        TopicDescription replicated = client.createTopic("replicated", 1, Map.of("replication.factor", "1"));
        assertFalse(replicated.configs().containsKey("replication.factor"),
                "replication.factor is the topic's replication factor, not a topic config");
        client.deleteTopic("replicated");

        TopicDescription altered = client.alterTopicConfigs("inventory", Map.of("retention.ms", "7200000"));
        assertEquals("7200000", altered.configs().get("retention.ms"), "the altered config");
        java.util.HashMap<String, String> removal = new java.util.HashMap<>();
        removal.put("retention.ms", null);
        TopicDescription reverted = client.alterTopicConfigs("inventory", removal);
        assertFalse("7200000".equals(reverted.configs().get("retention.ms")), "a null value removes the override");

        assertEquals(4, client.addPartitions("inventory", 4).partitions().size(), "grown to 4 partitions");
        expect(HearthError.INVALID_PARTITIONS, () -> client.addPartitions("inventory", 2), "shrinking a topic");

        client.deleteTopic("inventory");
        await().atMost(PATIENCE).untilAsserted(() -> expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION,
                () -> client.describeTopic("inventory"), "a deleted topic"));
        expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION, () -> client.deleteTopic("inventory"), "deleting it again");
        expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION, () -> client.alterTopicConfigs("inventory",
                Map.of("retention.ms", "1")), "altering a missing topic");
        expect(HearthError.UNKNOWN_TOPIC_OR_PARTITION, () -> client.addPartitions("inventory", 8),
                "growing a missing topic");
    }

    // ---- groups ------------------------------------------------------------------------------------------

    @Test
    void groupsAreListedDescribedResetAndDeleted() {
        client.createTopic("shipments", 2, Map.of());
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new OutgoingRecord(i % 2, null, bytes("s-" + i), Map.of(), null));
        }
        client.sendBatch("shipments", records);

        try (KafkaConsumer<String, String> consumer = broker.consumer("shippers", Map.of("client.id", "shipper-1"))) {
            consumer.subscribe(List.of("shipments"));
            List<String> seen = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return seen.size() >= 4;
            });
            // Commit 2 of the 5 records of each partition: a lag of 3 + 3.
            consumer.commitSync(Map.of(new org.apache.kafka.common.TopicPartition("shipments", 0),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(2),
                    new org.apache.kafka.common.TopicPartition("shipments", 1),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(2)));

            GroupSummary summary = await().atMost(PATIENCE).until(() -> client.listGroups().stream()
                    .filter(g -> g.groupId().equals("shippers")).findFirst().orElse(null),
                    g -> g != null && g.memberCount() == 1 && g.state().equals("Stable"));
            assertEquals("consumer", summary.protocolType(), "a kafka-clients consumer group");
            assertEquals(6, summary.totalLag(), "5 - 2 records behind in each of two partitions");

            GroupDetails details = client.describeGroup("shippers");
            assertEquals("Stable", details.state());
            assertEquals(1, details.members().size(), "one member");
            GroupDetails.Member member = details.members().get(0);
            assertEquals("shipper-1", member.clientId(), "the member's client id");
            assertEquals(List.of(new TopicPartitionRef("shipments", 0), new TopicPartitionRef("shipments", 1)),
                    member.assignment(), "the member's assignment, ordered");
            assertFalse(details.protocol().isEmpty(), "a stable group's assignor");
            assertEquals(List.of(new GroupDetails.PartitionLag("shipments", 0, 2, 5, 3),
                    new GroupDetails.PartitionLag("shipments", 1, 2, 5, 3)), details.offsets(), "offsets and lag");
            assertEquals(6, details.totalLag());

            Map<TopicPartitionRef, Long> rewind = Map.of(new TopicPartitionRef("shipments", 0), 0L);
            expect(HearthError.GROUP_NOT_EMPTY, () -> client.resetGroupOffsets("shippers", rewind),
                    "resetting an active group");
            expect(HearthError.GROUP_NOT_EMPTY, () -> client.deleteGroup("shippers"), "deleting an active group");
        }

        await().atMost(PATIENCE).until(() -> client.describeGroup("shippers").members().isEmpty());
        client.resetGroupOffsets("shippers", Map.of(new TopicPartitionRef("shipments", 0), 0L,
                new TopicPartitionRef("shipments", 1), 5L));
        GroupDetails reset = client.describeGroup("shippers");
        assertEquals("Empty", reset.state(), "no members left");
        assertEquals(List.of(new GroupDetails.PartitionLag("shipments", 0, 0, 5, 5),
                new GroupDetails.PartitionLag("shipments", 1, 5, 5, 0)), reset.offsets(), "the reset offsets");

        client.deleteGroup("shippers");
        expect(HearthError.GROUP_NOT_FOUND, () -> client.describeGroup("shippers"), "a deleted group");
        expect(HearthError.GROUP_NOT_FOUND, () -> client.deleteGroup("shippers"), "deleting it again");
        expect(HearthError.GROUP_NOT_FOUND, () -> client.describeGroup(" "), "a blank group id");
        assertTrue(client.listGroups().stream().noneMatch(g -> g.groupId().equals("shippers")), "no longer listed");
    }

    @Test
    void offsetsSetForAGroupWithoutMembersShowLagAgainstDeletedTopics() {
        client.createTopic("ledger", 1, Map.of());
        client.sendBatch("ledger", List.of(OutgoingRecord.of(null, bytes("a")), OutgoingRecord.of(null, bytes("b"))));
        client.resetGroupOffsets("auditors", Map.of(new TopicPartitionRef("ledger", 0), 1L));
        GroupDetails group = client.describeGroup("auditors");
        assertEquals("", group.protocolType(), "a group that only stores offsets");
        assertEquals(List.of(new GroupDetails.PartitionLag("ledger", 0, 1, 2, 1)), group.offsets());

        java.util.HashMap<TopicPartitionRef, Long> forget = new java.util.HashMap<>();
        forget.put(new TopicPartitionRef("ledger", 0), null);
        try {
            client.resetGroupOffsets("auditors", forget);
            assertEquals(List.of(), client.describeGroup("auditors").offsets(), "a null offset deletes the committed one");
            client.resetGroupOffsets("auditors", Map.of(new TopicPartitionRef("ledger", 0), 1L));
        } catch (HearthConnectionException e) {
            // Hearth's listener has no OffsetDelete (Apache Kafka has): the cluster cannot forget one offset.
            assertEquals(HearthError.NOT_AVAILABLE, e.error(), "an operation the cluster lacks: " + e.getMessage());
            assertEquals("unsupported", e.details().get("cause"), "and says so");
        }
        client.deleteTopic("ledger");
        // Hearth keeps the offsets of a deleted topic (log end -1, lag 0); Apache Kafka deletes them with it.
        await().atMost(PATIENCE).untilAsserted(() -> assertTrue(List.of(List.of(),
                List.of(new GroupDetails.PartitionLag("ledger", 0, 1, -1, 0))).contains(
                        client.describeGroup("auditors").offsets()),
                "a partition gone: log end -1 and lag 0, or no offset at all"));
        client.deleteGroup("auditors");
    }

    // ---- cluster -----------------------------------------------------------------------------------------

    @Test
    void clusterInfoAndBrokerStatsDescribeTheCluster() {
        client.createTopic("metrics", 3, Map.of());
        BrokerStatus running = new BrokerStatus(BrokerStatus.State.RUNNING, "running", 0);
        ClusterInfo info = client.clusterInfo(running);
        assertEquals("hearth-test", info.clusterId(), "the configured label, not the cluster's own id");
        assertTrue(info.nodeId() >= 0, "the controller's node id (on Hearth, its one node " + KafkaListenerConfig.NODE_ID + ")");
        assertEquals("127.0.0.1", info.kafkaHost(), "the first bootstrap server");
        assertEquals(broker.listener.boundPort(), info.kafkaPort());
        assertEquals(running, info.status(), "the status given");
        List<TopicDescription> topics = client.listTopics();
        assertEquals(topics.size(), info.topicCount(), "every topic");
        assertEquals(topics.stream().mapToInt(t -> t.partitions().size()).sum(), info.partitionCount());

        try (ClusterClient listed = new ClusterClient(Map.of("bootstrap.servers", List.of(broker.bootstrap(), "127.0.0.1:1")),
                "hearth-test", new TopicAutoCreation(true, 1), timeouts())) {
            assertEquals(broker.listener.boundPort(), listed.clusterInfo(running).kafkaPort(),
                    "bootstrap.servers given as a list: the first one");
        }

        BrokerStats stats = client.brokerStats();
        BrokerStats.TopicStats metrics = stats.topics().stream().filter(t -> t.topic().equals("metrics"))
                .findFirst().orElseThrow();
        assertEquals(3, metrics.partitions().size(), "every partition has a size entry");
        assertEquals(0, metrics.producedRecords(), "no broker counters over the Kafka protocol");
    }

    @Test
    void aClosedClientIsNotAvailable() {
        ClusterClient closing = new ClusterClient(Map.of("bootstrap.servers", broker.bootstrap()), "hearth-test",
                new TopicAutoCreation(true, 1), timeouts());
        closing.listTopics();
        closing.close();
        closing.close();
        expect(HearthError.NOT_AVAILABLE, closing::listTopics, "a call after close");
        expect(HearthError.NOT_AVAILABLE, () -> closing.read("metrics", 0, 0, 1, 1), "a read after close");
    }

    @Test
    void anUnreachableClusterIsNotAvailable() {
        try (ClusterClient nowhere = new ClusterClient(Map.of("bootstrap.servers", "127.0.0.1:1"), "nowhere",
                new TopicAutoCreation(true, 1), new ClusterClient.Timeouts(Duration.ofSeconds(2), Duration.ofMillis(500),
                        Duration.ofSeconds(2), 1))) {
            expect(HearthError.NOT_AVAILABLE, nowhere::listTopics, "no broker answers");
        }
    }

    private static HearthConnectionException expect(HearthError error, Executable call, String what) {
        HearthConnectionException e = assertThrows(HearthConnectionException.class, call, what + " fails");
        assertEquals(error, e.error(), what + ": " + e.getMessage());
        return e;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
