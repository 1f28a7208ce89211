package dev.hearth.mdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionFactory;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;

/**
 * Message-driven beans fed from the log, inside Payara Micro: ordered delivery per partition with retries
 * and a dead-letter topic, transacted delivery where a database write and the offset commit commit or roll
 * back together, and an MDB sharing a consumer group with a plain Kafka consumer.
 */
@ExtendWith(ArquillianExtension.class)
class MessageDrivenBeanIT {

    @Resource(lookup = "java:app/hearth/ConnectionFactory")
    HearthConnectionFactory factory;

    @EJB
    LedgerQueries ledger;

    @Deployment
    static WebArchive hearthWarWithBeans() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(MessageDrivenBeanIT.class, Deliveries.class, AuditBean.class, LedgerBean.class,
                        LedgerEntry.class, LedgerQueries.class, SharedGroupBean.class, BatchBean.class,
                        KeyOrderedBean.class)
                .addAsResource("mdb/ledger-persistence.xml", "META-INF/persistence.xml");
    }

    @Test
    void recordsArriveInPartitionOrderAndPoisonGoesToTheDeadLetterTopic() throws Exception {
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String value = (i == 17 || i == 42) ? "poison-" + i : "order-" + i;
            records.add(OutgoingRecord.of(("customer-" + (i % 7)).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        try (HearthConnection connection = factory.getConnection()) {
            // The bean was activated before this topic existed: it must pick it up now.
            connection.createTopic("mdb-orders", 3, Map.of());
            connection.sendBatch("mdb-orders", records);
        }
        eventually(Duration.ofSeconds(60), () -> Deliveries.of("audit").size() == 58,
                () -> "58 good records delivered, got " + Deliveries.of("audit").size());
        Map<Integer, Long> lastOffset = new HashMap<>();
        for (HearthRecord record : Deliveries.of("audit")) {
            long previous = lastOffset.getOrDefault(record.partition(), -1L);
            assertTrue(record.offset() > previous, "partition " + record.partition() + " delivered in offset order");
            lastOffset.put(record.partition(), record.offset());
        }
        assertEquals(3, Deliveries.ATTEMPTS.get("poison-17").get(), "a poison record is tried 1 + retries(2) times");

        eventually(Duration.ofSeconds(30), () -> deadLetters().size() == 2, () -> "2 dead letters, got " + deadLetters().size());
        Set<String> deadValues = new HashSet<>();
        for (HearthRecord dead : deadLetters()) {
            deadValues.add(new String(dead.value(), StandardCharsets.UTF_8));
            assertEquals("mdb-orders", header(dead, "hearth.dlt.original.topic"), "the original topic is kept");
            assertEquals("java.lang.IllegalArgumentException", header(dead, "hearth.dlt.error.class"), "the error class is kept");
            assertTrue(header(dead, "hearth.dlt.error.message").startsWith("cannot audit poison"), "the error message is kept");
        }
        assertEquals(Set.of("poison-17", "poison-42"), deadValues, "exactly the poison records are dead-lettered");
    }

    @Test
    void transactedDeliveryWritesExactlyOneRowPerRecordAndCommitsMatchingOffsets() throws Exception {
        List<OutgoingRecord> records = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            // Every second record's first delivery throws after its JPA insert: that transaction rolls back.
            String value = (i % 2 == 1 ? "fail-once-" : "ok-") + i;
            expected.add(value);
            records.add(new OutgoingRecord(i % 4, null, value.getBytes(StandardCharsets.UTF_8), Map.of(), null));
        }
        try (HearthConnection connection = factory.getConnection()) {
            connection.createTopic("mdb-ledger", 4, Map.of());
            connection.sendBatch("mdb-ledger", records);
        }
        eventually(Duration.ofSeconds(90), () -> committedOffsets("mdb-ledger-writers").values().stream()
                .mapToLong(Long::longValue).sum() == 200, () -> "offsets committed up to the end of all 4 partitions: "
                + committedOffsets("mdb-ledger-writers") + ", rows: " + ledger.entries().size());
        List<String> rows = ledger.entries();
        assertEquals(200, rows.size(), "one row per record, no loss and no duplicate: " + rows.size());
        assertEquals(expected, new HashSet<>(rows), "every record has its row");
        for (int i = 1; i < 200; i += 2) {
            assertEquals(2, Deliveries.ATTEMPTS.get("fail-once-" + i).get(), "the rolled-back record came again");
        }
        assertEquals(Map.of(0, 50L, 1, 50L, 2, 50L, 3, 50L), committedOffsets("mdb-ledger-writers"),
                "the committed offsets are the partitions' ends");
    }

    @Test
    void aBeanAndAKafkaConsumerSplitTheGroupsPartitions() throws Exception {
        try (HearthConnection connection = factory.getConnection()) {
            connection.createTopic("mdb-shared", 4, Map.of());
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:" + System.getProperty("hearth.kafka.port"));
        props.put("group.id", "shared-group");
        props.put("auto.offset.reset", "earliest");
        props.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<String> consumedByKafka = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("mdb-shared"));
            long deadline = System.currentTimeMillis() + 60_000;
            while (consumer.assignment().size() != 2 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            Set<TopicPartition> mine = consumer.assignment();
            assertEquals(2, mine.size(), "the Kafka consumer owns half of the 4 partitions, the bean the other half");
            List<OutgoingRecord> records = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                records.add(new OutgoingRecord(i % 4, null, ("shared-" + i).getBytes(StandardCharsets.UTF_8), Map.of(), null));
            }
            try (HearthConnection connection = factory.getConnection()) {
                connection.sendBatch("mdb-shared", records);
            }
            deadline = System.currentTimeMillis() + 60_000;
            while ((consumedByKafka.size() < 50 || Deliveries.of("shared").size() < 50) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    consumedByKafka.add(record.value());
                    assertTrue(mine.contains(new TopicPartition(record.topic(), record.partition())),
                            "the Kafka consumer only gets records of its own partitions");
                }
            }
            assertEquals(50, consumedByKafka.size(), "the Kafka consumer got its two partitions' records");
            consumer.commitSync();
            // More records for every partition while the Kafka consumer is still a member, then it leaves.
            List<OutgoingRecord> more = new ArrayList<>();
            for (int i = 100; i < 200; i++) {
                more.add(new OutgoingRecord(i % 4, null, ("shared-" + i).getBytes(StandardCharsets.UTF_8), Map.of(), null));
            }
            try (HearthConnection connection = factory.getConnection()) {
                connection.sendBatch("mdb-shared", more);
            }
        }
        // The Kafka consumer has left the group: the bean takes over its partitions from their committed offsets.
        eventually(Duration.ofSeconds(60), () -> Deliveries.of("shared").size() + consumedByKafka.size() >= 200,
                () -> "all 200 records delivered after the Kafka consumer left: bean " + Deliveries.of("shared").size()
                        + ", Kafka " + consumedByKafka.size());
        Set<String> all = new HashSet<>(consumedByKafka);
        for (HearthRecord record : Deliveries.of("shared")) {
            assertTrue(all.add(new String(record.value(), StandardCharsets.UTF_8)), "no record is delivered to both members");
        }
        assertEquals(200, all.size(), "together they received all 200 records: Kafka " + consumedByKafka.size()
                + ", bean " + Deliveries.of("shared").size());
        Set<Integer> beanPartitions = new HashSet<>();
        for (HearthRecord record : Deliveries.of("shared")) {
            beanPartitions.add(record.partition());
        }
        assertEquals(Set.of(0, 1, 2, 3), beanPartitions, "the bean now owns every partition");
    }

    @Test
    void aBatchBeanGetsConsecutiveRecordsInBatches() throws Exception {
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            records.add(OutgoingRecord.of(null, ("batched-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        try (HearthConnection connection = factory.getConnection()) {
            connection.createTopic("mdb-batches", 1, Map.of());
            connection.sendBatch("mdb-batches", records);
        }
        eventually(Duration.ofSeconds(60), () -> Deliveries.of("batch").size() == 120,
                () -> "120 records in batches, got " + Deliveries.of("batch").size());
        for (int i = 0; i < 120; i++) {
            assertEquals(i, Deliveries.of("batch").get(i).offset(), "batches arrive in offset order");
        }
        assertTrue(Deliveries.batchSizes.stream().allMatch(size -> size <= 25), "no batch exceeds maxPollRecords: "
                + Deliveries.batchSizes);
        assertTrue(Deliveries.batchSizes.stream().anyMatch(size -> size > 1), "records do arrive several at a time: "
                + Deliveries.batchSizes);
    }

    @Test
    void keyOrderingKeepsEachKeysOrder() throws Exception {
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(OutgoingRecord.of(("key-" + (i % 8)).getBytes(StandardCharsets.UTF_8),
                    Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        }
        try (HearthConnection connection = factory.getConnection()) {
            connection.createTopic("mdb-keys", 1, Map.of());
            connection.sendBatch("mdb-keys", records);
        }
        eventually(Duration.ofSeconds(60), () -> Deliveries.of("keys").size() == 200,
                () -> "200 keyed records delivered, got " + Deliveries.of("keys").size());
        Map<String, Long> lastOffsetPerKey = new HashMap<>();
        for (HearthRecord record : Deliveries.of("keys")) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            long previous = lastOffsetPerKey.getOrDefault(key, -1L);
            assertTrue(record.offset() > previous, "key " + key + " is delivered in offset order");
            lastOffsetPerKey.put(key, record.offset());
        }
        assertEquals(8, lastOffsetPerKey.size(), "all eight keys were delivered");
    }

    private List<HearthRecord> deadLetters() {
        try (HearthConnection connection = openConnection()) {
            if (connection.listTopics().stream().noneMatch(t -> t.name().equals("mdb-orders-dlt"))) {
                return List.of();
            }
            return connection.read("mdb-orders-dlt", 0, 0, 100, 1 << 20);
        }
    }

    private HearthConnection openConnection() {
        try {
            return factory.getConnection();
        } catch (jakarta.resource.ResourceException e) {
            throw new AssertionError("No Hearth connection", e);
        }
    }

    private Map<Integer, Long> committedOffsets(String group) {
        try (HearthConnection connection = openConnection()) {
            Map<Integer, Long> offsets = new HashMap<>();
            for (var partition : connection.describeGroup(group).offsets()) {
                offsets.put(partition.partition(), partition.committedOffset());
            }
            return offsets;
        } catch (dev.hearth.connector.api.HearthConnectionException e) {
            return Map.of();
        }
    }

    private static String header(HearthRecord record, String name) {
        byte[] value = record.headers().get(name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** Polls (without Thread.sleep) until the condition holds, or fails with the message. */
    private static void eventually(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + timeout + ": " + message.get());
            }
            LockSupport.parkNanos(100_000_000L);
        }
    }
}
