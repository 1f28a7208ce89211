package dev.hearth.connector.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.kafka.KafkaBroker;

/**
 * The outbox end to end with real parts: an H2 database in a file (PostgreSQL in {@link OutboxRelayPostgresTest}), Hearth's engine behind its Kafka listener as the
 * cluster, kafka-clients as the relays' producer and the test's read_committed consumer. Each committed record is on
 * the topic exactly once and in order per key, whatever is rolled back, crashes or is fenced.
 */
class OutboxRelayTest {

    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    private KafkaBroker broker;
    private DataSource dataSource;
    private OutboxConfig config;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = new KafkaBroker(dir.resolve("kafka"));
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
        dataSource = openDatabase(dir.resolve("db"));
        config = OutboxConfig.defaults("shop", Map.of("bootstrap.servers", broker.bootstrap()))
                .withShards(4).withInstanceId("instance-a");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        threads.shutdownNow();
        closeDatabase(dataSource);
        broker.close();
    }

    /** A new, empty database: H2 in a file, with commits written before they return and a generous lock timeout. */
    DataSource openDatabase(Path directory) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + directory.resolve("app") + ";WRITE_DELAY=0;LOCK_TIMEOUT=30000;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        return h2;
    }

    void closeDatabase(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }

    @Test
    void aRolledBackTransactionPublishesNothing() throws Exception {
        OutboxRelays relays = OutboxRelays.start(dataSource, config, threads);
        toClose.add(relays);
        OutboxWriter writer = new OutboxWriter(config.shards());

        transaction(writer, false, record("k", "rolled-back-1"));
        OutgoingRecord withHeaders = new OutgoingRecord(null, bytes("k"), bytes("committed-1"),
                Map.of("trace", bytes("abc")), 1_234L);
        List<ProduceReceipt> receipts = transaction(writer, true, withHeaders);
        transaction(writer, false, record("k", "rolled-back-2"));
        transaction(writer, true, new OutgoingRecord(2, null, bytes("committed-2"), Map.of(), null));
        relays.wakeUp();

        assertEquals(List.of(new ProduceReceipt(TOPIC, -1, -1, 1_234L)), receipts,
                "a receipt knows the topic and timestamp, not yet the partition chosen by key or the offset");
        List<ConsumerRecord<byte[], byte[]>> published = readAll(2);
        assertEquals(List.of("committed-1", "committed-2"), values(published),
                "only the committed records are published, once each");
        ConsumerRecord<byte[], byte[]> first = published.get(0);
        assertArrayEquals(bytes("abc"), first.headers().lastHeader("trace").value(), "headers are relayed");
        assertEquals(1_234L, first.timestamp(), "the record's own timestamp is relayed");
        assertEquals(2, published.get(1).partition(), "an explicit partition is relayed");
        await().atMost(Duration.ofSeconds(60)).until(() -> rowCount() == 0);
    }

    @Test
    void concurrentTransactionsPublishEachCommittedRecordOnceInOrderPerKey() throws Exception {
        OutboxRelays relays = OutboxRelays.start(dataSource, config, threads);
        toClose.add(relays);
        OutboxWriter writer = new OutboxWriter(config.shards());
        Queue<String> committed = new ConcurrentLinkedQueue<>();
        int writers = 4;
        int transactionsEach = 250;
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writerId = w;
            running.add(threads.submit(() -> {
                for (int t = 0; t < transactionsEach; t++) {
                    boolean commit = t % 3 != 2;
                    List<OutgoingRecord> records = new ArrayList<>();
                    int count = 1 + ThreadLocalRandom.current().nextInt(3);
                    for (int i = 0; i < count; i++) {
                        String key = "key-" + ThreadLocalRandom.current().nextInt(16);
                        records.add(record(key, writerId + ":" + t + ":" + i));
                    }
                    transaction(writer, commit, records.toArray(OutgoingRecord[]::new));
                    if (commit) {
                        records.forEach(r -> committed.add(new String(r.value(), StandardCharsets.UTF_8)));
                        relays.wakeUp();
                    }
                }
                return null;
            }));
        }
        for (Future<?> writing : running) {
            writing.get();
        }

        List<ConsumerRecord<byte[], byte[]>> published = readAll(committed.size());
        assertEquals(committed.size(), published.size(), "every committed record is published, and nothing else");
        assertEquals(new HashSet<>(committed), new HashSet<>(values(published)),
                "exactly the committed records are published");
        assertEquals(published.size(), new HashSet<>(values(published)).size(), "no record is published twice");
        assertOrderPerKeyAndWriter(published);
        await().atMost(Duration.ofSeconds(60)).until(() -> rowCount() == 0);
    }

    @Test
    void aRelayCrashingBeforeOrAfterItsKafkaCommitLosesAndDuplicatesNothing() throws Exception {
        OutboxConfig oneShard = config.withShards(1).withBatchRecords(5);
        OutboxTables.create(dataSource, 1);
        OutboxWriter writer = new OutboxWriter(1);
        Map<String, List<String>> expected = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            transaction(writer, true, record("key-" + i % 5, "v" + i));
            expected.computeIfAbsent("key-" + i % 5, k -> new ArrayList<>()).add("v" + i);
        }

        OutboxRelay crashedBeforeCommit = new OutboxRelay(dataSource, oneShard, 0);
        crashedBeforeCommit.start();
        assertEquals(5, crashedBeforeCommit.sendBatch().records(), "a batch is bounded by batchRecords");
        crashedBeforeCommit.closeAbruptly();

        OutboxRelay crashedAfterCommit = new OutboxRelay(dataSource, oneShard, 0);
        crashedAfterCommit.start();
        assertEquals(0, crashedAfterCommit.nextSeq(), "the aborted transaction's progress never counted");
        assertEquals(5, crashedAfterCommit.publishNextBatch(), "the same five rows are published again");
        OutboxRelay.Batch committedNotDeleted = crashedAfterCommit.sendBatch();
        crashedAfterCommit.commit(committedNotDeleted);
        crashedAfterCommit.closeAbruptly();
        assertEquals(25, rowCount(), "the crash came before the second batch's rows were deleted");

        OutboxRelay restarted = new OutboxRelay(dataSource, oneShard, 0);
        toClose.add(restarted);
        restarted.start();
        assertEquals(10, restarted.nextSeq(), "the progress committed with the second batch is read back from Kafka");
        while (restarted.publishNextBatch() > 0) {
            // Publishes the rest, five at a time.
        }
        assertEquals(expected, valuesByKey(readAll(30)), "every record once, in order per key");
        assertEquals(0, rowCount(), "published rows are deleted");
    }

    @Test
    void aRelayWhoseLeaseWasTakenOverIsFencedAndPublishesNothingMore() throws Exception {
        OutboxConfig shortLease = config.withShards(1).withLeaseMs(600, 50).withBatchRecords(5);
        OutboxTables.create(dataSource, 1);
        OutboxWriter writer = new OutboxWriter(1);
        Map<String, List<String>> expected = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            transaction(writer, true, record("key-" + i % 3, "v" + i));
            expected.computeIfAbsent("key-" + i % 3, k -> new ArrayList<>()).add("v" + i);
        }
        OutboxRelay zombie = new OutboxRelay(dataSource, shortLease, 0);
        toClose.add(zombie);
        zombie.start();
        assertEquals(5, zombie.publishNextBatch(), "the first relay publishes a batch while it holds the lease");

        OutboxRelay successor = new OutboxRelay(dataSource, shortLease.withInstanceId("instance-b"), 0);
        toClose.add(successor);
        assertThrows(OutboxLeaseException.class, successor::start, "the lease is held and not expired yet");
        await().atMost(Duration.ofSeconds(60)).ignoreException(OutboxLeaseException.class).until(() -> {
            successor.start();
            return true;
        });

        assertThrows(OutboxLeaseException.class, zombie::publishNextBatch,
                "the zombie finds at its next renewal that its lease was taken over");
        assertThrows(KafkaException.class, () -> zombie.commit(zombie.sendBatch()),
                "the zombie's producer is fenced even where it skips the lease check");
        assertEquals(5, successor.nextSeq(), "the successor continues after the zombie's last committed batch");
        while (successor.publishNextBatch() > 0) {
            // Publishes the other five.
        }
        assertEquals(expected, valuesByKey(readAll(10)),
                "every record once, in order per key, none more from the fenced relay");
    }

    @Test
    void relaysStartedAgainContinueFromTheProgressInKafka() throws Exception {
        OutboxWriter writer = new OutboxWriter(config.shards());
        OutboxRelays first = OutboxRelays.start(dataSource, config, threads);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            transaction(writer, true, record("key-" + i % 7, "v" + i));
            expected.add("v" + i);
        }
        first.wakeUp();
        assertEquals(50, readAll(50).size(), "the first relays publish the first 50 records");
        first.close();
        for (int i = 50; i < 100; i++) {
            transaction(writer, true, record("key-" + i % 7, "v" + i));
            expected.add("v" + i);
        }

        OutboxRelays second = OutboxRelays.start(dataSource, config.withInstanceId("instance-b"), threads);
        toClose.add(second);
        List<String> published = values(readAll(100));
        assertEquals(100, published.size(), "the records of both runs, and nothing twice");
        assertEquals(new HashSet<>(expected), new HashSet<>(published), "exactly the committed records");
        await().atMost(Duration.ofSeconds(60)).until(() -> rowCount() == 0);
    }

    @Test
    void aSecondInstanceTakesTheShardsOverWhenTheFirstStopsMidway() throws Exception {
        OutboxConfig first = config.withLeaseMs(2_000, 50);
        OutboxWriter writer = new OutboxWriter(config.shards());
        OutboxRelays relaysA = OutboxRelays.start(dataSource, first, threads);
        OutboxRelays relaysB = OutboxRelays.start(dataSource, first.withInstanceId("instance-b"), threads);
        toClose.add(relaysB);
        Map<String, List<String>> expected = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            if (i == 150) {
                relaysA.close();
            }
            transaction(writer, true, record("key-" + i % 11, "v" + i));
            expected.computeIfAbsent("key-" + i % 11, k -> new ArrayList<>()).add("v" + i);
            relaysA.wakeUp();
            relaysB.wakeUp();
        }
        assertEquals(expected, valuesByKey(readAll(300)),
                "every record once and in order per key, whichever instance published it");
        await().atMost(Duration.ofSeconds(60)).until(() -> rowCount() == 0);
    }

    @Test
    void aRelayStartingBehindAnOpenTransactionOfAnotherShardStillReadsItsLastProgress() throws Exception {
        OutboxConfig twoShards = new OutboxConfig("shop", Map.of("bootstrap.servers", broker.bootstrap(),
                "transaction.timeout.ms", 3_000), 2, OutboxConfig.DEFAULT_PROGRESS_TOPIC, "instance-a", 10_000, 50,
                500, 1 << 20);
        OutboxTables.create(dataSource, 2);
        OutboxWriter writer = new OutboxWriter(2);
        Map<String, List<String>> expected = new HashMap<>();
        int[] perShard = new int[2];
        for (int i = 0; perShard[0] < 3 || perShard[1] < 3; i++) {
            OutgoingRecord record = record("key-" + i, "v" + i);
            int shard = writer.shardOf(TOPIC, record);
            if (perShard[shard] < 3) {
                perShard[shard]++;
                transaction(writer, true, record);
                expected.put("key-" + i, List.of("v" + i));
            }
        }
        OutboxRelay openOnShard0 = new OutboxRelay(dataSource, twoShards, 0);
        toClose.add(openOnShard0);
        openOnShard0.start();
        openOnShard0.sendBatch();
        TopicPartition progress = new TopicPartition(OutboxConfig.DEFAULT_PROGRESS_TOPIC, 0);
        try (Admin admin = broker.admin()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.listOffsets(Map.of(progress, OffsetSpec.latest()))
                    .partitionResult(progress).get().offset() > 0);
        }
        OutboxRelay shard1 = new OutboxRelay(dataSource, twoShards, 1);
        shard1.start();
        assertEquals(3, shard1.publishNextBatch(), "shard 1 publishes its rows and commits its progress behind "
                + "shard 0's open transaction");
        shard1.closeAbruptly();

        OutboxRelay shard1Again = new OutboxRelay(dataSource, twoShards, 1);
        toClose.add(shard1Again);
        shard1Again.start();
        assertEquals(3, shard1Again.nextSeq(), "the committed progress behind the last stable offset is read, "
                + "after the open transaction ended (here: aborted by its timeout)");
        assertEquals(0, shard1Again.publishNextBatch(), "nothing of shard 1 is published twice");

        openOnShard0.closeAbruptly();
        OutboxRelay shard0Again = new OutboxRelay(dataSource, twoShards, 0);
        toClose.add(shard0Again);
        shard0Again.start();
        assertEquals(0, shard0Again.nextSeq(), "shard 0's aborted transaction counted nothing");
        assertEquals(3, shard0Again.publishNextBatch(), "shard 0's rows are published once, now");
        assertEquals(expected, valuesByKey(readAll(6)), "every record once");
    }

    /** Records of one writer and key must appear in the writer's commit order. */
    private static void assertOrderPerKeyAndWriter(List<ConsumerRecord<byte[], byte[]>> published) {
        Map<String, int[]> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : published) {
            String[] parts = new String(record.value(), StandardCharsets.UTF_8).split(":");
            String stream = new String(record.key(), StandardCharsets.UTF_8) + "/" + parts[0];
            int[] position = {Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
            int[] previous = last.put(stream, position);
            assertTrue(previous == null || previous[0] < position[0]
                            || previous[0] == position[0] && previous[1] < position[1],
                    () -> "records of key and writer " + stream + " are in commit order: " + previous[0] + ":"
                            + previous[1] + " came before " + position[0] + ":" + position[1]);
        }
    }

    private List<ProduceReceipt> transaction(OutboxWriter writer, boolean commit, OutgoingRecord... records)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            List<ProduceReceipt> receipts = writer.append(connection, TOPIC, List.of(records));
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
            return receipts;
        }
    }

    private long rowCount() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + OutboxTables.RECORDS)) {
            count.next();
            return count.getLong(1);
        }
    }

    /** All records of the topic a read_committed consumer sees, waiting for {@code expected} of them. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(int expected) {
        Map<String, Object> properties = Map.of("bootstrap.servers", broker.bootstrap(),
                "isolation.level", "read_committed", "enable.auto.commit", false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 120_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // One more poll, so that records beyond the expected ones (duplicates: a bug) are seen too.
            consumer.poll(Duration.ofMillis(1_000)).forEach(records::add);
            return records;
        }
    }

    private static OutgoingRecord record(String key, String value) {
        return OutgoingRecord.of(bytes(key), bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The values of each key, in the order the consumer saw them (a key is in one partition). */
    private static Map<String, List<String>> valuesByKey(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<String>> values = new HashMap<>();
        records.forEach(r -> values.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                .add(new String(r.value(), StandardCharsets.UTF_8)));
        return values;
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> values = new ArrayList<>();
        records.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        return values;
    }
}
