package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unmodified kafka-clients 4.x producers, consumers and admin clients against Hearth's Kafka listener
 * (engine and listener in this JVM, real sockets). The same clients run against Hearth on Payara Micro in
 * the end-to-end suite.
 */
class KafkaClientsTest {

    @TempDir
    Path dataDir;

    private KafkaBroker broker;

    @BeforeEach
    void start() throws InterruptedException {
        broker = new KafkaBroker(dataDir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void recordsArriveInOrderOnTheKafkaPartitionOfTheirKey() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get();
        }
        Map<String, List<String>> sentPerKey = new HashMap<>();
        try (KafkaProducer<String, String> producer = broker.producer(Map.of("acks", "all", "linger.ms", 5))) {
            List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                String key = "customer-" + (i % 50);
                String value = "order-" + i;
                keys.add(key);
                sentPerKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                sends.add(producer.send(new ProducerRecord<>("orders", key, value)));
            }
            for (int i = 0; i < sends.size(); i++) {
                int expected = Utils.toPositive(Utils.murmur2(keys.get(i).getBytes(StandardCharsets.UTF_8))) % 3;
                assertEquals(expected, sends.get(i).get().partition(), "key " + keys.get(i) + " lands on Kafka's partition for it");
            }
        }
        Map<String, List<String>> receivedPerKey = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = broker.consumer("order-readers", Map.of())) {
            consumer.subscribe(List.of("orders"));
            List<ConsumerRecord<String, String>> all = pollUntil(consumer, 3000);
            for (ConsumerRecord<String, String> record : all) {
                receivedPerKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
            }
        }
        assertEquals(sentPerKey, receivedPerKey, "every key's records arrive once each, in the order sent");
    }

    @Test
    void headersAndNullKeysAndValuesRoundTrip() throws Exception {
        try (KafkaProducer<String, String> producer = broker.producer(Map.of())) {
            ProducerRecord<String, String> withHeaders = new ProducerRecord<>("misc", 0, null, null, "v",
                    List.of(new RecordHeader("trace", "abc".getBytes(StandardCharsets.UTF_8)),
                            new RecordHeader("empty", null)));
            producer.send(withHeaders).get();
            producer.send(new ProducerRecord<>("misc", 0, "tombstone", null)).get();
        }
        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of())) {
            consumer.assign(List.of(new TopicPartition("misc", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("misc", 0)));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 2);
            assertNull(records.get(0).key(), "a null key stays null");
            assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), records.get(0).headers().lastHeader("trace").value(),
                    "header value arrives");
            assertNull(records.get(0).headers().lastHeader("empty").value(), "a null header value stays null");
            assertNull(records.get(1).value(), "a null value (tombstone) stays null");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void compressedBatchesAreStoredAndServedAsSent(String codec) throws Exception {
        String topic = "compressed-" + codec;
        try (KafkaProducer<String, String> producer = broker.producer(Map.of("compression.type", codec, "linger.ms", 20))) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "value number " + i + " ".repeat(50)));
            }
            producer.flush();
        }
        int compressedBatches = 0;
        for (RecordBatch batch : broker.engine.read(topic, 0, 0, 1 << 20).records().batches()) {
            assertEquals(CompressionType.forName(codec), batch.compressionType(), "batches are stored as the client compressed them");
            compressedBatches++;
        }
        assertTrue(compressedBatches > 0, "some batches were stored");
        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 200);
            for (int i = 0; i < 200; i++) {
                assertEquals("k" + i, records.get(i).key(), codec + " record " + i + " decompresses intact");
            }
        }
    }

    @Test
    void recordLargerThanTheTopicAllowsIsRefused() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("small", 1, (short) 1).configs(Map.of("max.message.bytes", "2048"))))
                    .all().get();
        }
        try (KafkaProducer<String, String> producer = broker.producer(Map.of())) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("small", "x".repeat(8000))).get());
            assertInstanceOf(RecordTooLargeException.class, failure.getCause(), "the broker answers MESSAGE_TOO_LARGE");
        }
        assertEquals(0, broker.engine.describePartition("small", 0).logEndOffset(), "nothing was appended");
    }

    @Test
    void adminCreatesDescribesAltersAndDeletesTopicsWithKafkasErrors() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("admin-t", 4, (short) 1).configs(Map.of("retention.ms", "60000"))))
                    .all().get();
            TopicDescription description = admin.describeTopics(List.of("admin-t")).allTopicNames().get().get("admin-t");
            assertEquals(4, description.partitions().size(), "four partitions were created");

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-t");
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("60000", config.get("retention.ms").value(), "the override is described");

            ExecutionException exists = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("admin-t", 1, (short) 1))).all().get());
            assertInstanceOf(TopicExistsException.class, exists.getCause(), "creating twice fails as in Kafka");
            ExecutionException invalid = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("bad name!", 1, (short) 1))).all().get());
            assertInstanceOf(InvalidTopicException.class, invalid.getCause(), "an illegal name is refused");

            admin.createPartitions(Map.of("admin-t", org.apache.kafka.clients.admin.NewPartitions.increaseTo(6))).all().get();
            assertEquals(6, broker.engine.partitionCount("admin-t"), "partitions were added");

            admin.deleteTopics(List.of("admin-t")).all().get();
            assertTrue(!admin.listTopics().names().get().contains("admin-t"), "the deleted topic is gone");
            ExecutionException unknown = assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(List.of("never-was")).all().get());
            assertInstanceOf(UnknownTopicOrPartitionException.class, unknown.getCause(), "deleting an unknown topic fails");
        }
    }

    @Test
    void offsetsForTimesFindTheFirstRecordAtOrAfterTheTime() throws Exception {
        try (KafkaProducer<String, String> producer = broker.producer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("timed", 0, 1_000_000L + i * 1000, "k", "v" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of())) {
            TopicPartition partition = new TopicPartition("timed", 0);
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(partition, 1_004_500L));
            assertEquals(5, found.get(partition).offset(), "the first record at or after 1,004,500 ms is offset 5");
            assertEquals(1_005_000L, found.get(partition).timestamp(), "its timestamp is reported");
            assertNull(consumer.offsetsForTimes(Map.of(partition, 9_999_999L)).get(partition), "no record is that new");
            assertEquals(10L, consumer.endOffsets(List.of(partition)).get(partition), "end offset");
            assertEquals(0L, consumer.beginningOffsets(List.of(partition)).get(partition), "beginning offset");
        }
    }

    @Test
    void groupMembersSplitPartitionsRebalanceAndResumeFromCommittedOffsets() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("shared", 4, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = broker.producer(Map.of())) {
            for (int i = 0; i < 400; i++) {
                producer.send(new ProducerRecord<>("shared", i % 4, "k" + i, "v" + i));
            }
            producer.flush();
        }
        Map<String, Object> fast = Map.of("session.timeout.ms", 6000, "heartbeat.interval.ms", 500,
                "max.poll.records", 50);
        try (KafkaConsumer<String, String> first = broker.consumer("splitters", fast);
             KafkaConsumer<String, String> second = broker.consumer("splitters", fast)) {
            first.subscribe(List.of("shared"));
            second.subscribe(List.of("shared"));
            long deadline = System.currentTimeMillis() + 30_000;
            while ((first.assignment().size() != 2 || second.assignment().size() != 2) && System.currentTimeMillis() < deadline) {
                first.poll(Duration.ofMillis(100));
                second.poll(Duration.ofMillis(100));
            }
            assertEquals(2, first.assignment().size(), "the first member owns two of the four partitions");
            assertEquals(2, second.assignment().size(), "the second member owns the other two");
            Set<TopicPartition> union = new java.util.HashSet<>(first.assignment());
            union.addAll(second.assignment());
            assertEquals(4, union.size(), "no partition is owned twice");
            first.commitSync();
            second.commitSync();
        }
        try (KafkaConsumer<String, String> consumer = broker.consumer("resumers", Map.of("max.poll.records", 100))) {
            consumer.subscribe(List.of("shared"));
            List<ConsumerRecord<String, String>> firstHalf = pollUntil(consumer, 100);
            consumer.commitSync();
            assertEquals(100, firstHalf.size(), "the first consumer read 100 records");
        }
        try (KafkaConsumer<String, String> consumer = broker.consumer("resumers", Map.of())) {
            consumer.subscribe(List.of("shared"));
            List<ConsumerRecord<String, String>> rest = pollUntil(consumer, 300);
            assertEquals(300, rest.size(), "a new member resumes after the committed offsets: exactly the other 300");
        }
    }

    @Test
    void cooperativeStickyMembersSplitAndTheSurvivorTakesOverWhenOneLeaves() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("cooperative", 4, (short) 1))).all().get();
        }
        Map<String, Object> cooperative = Map.of("partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                "session.timeout.ms", 6000, "heartbeat.interval.ms", 500);
        try (KafkaConsumer<String, String> survivor = broker.consumer("cooperators", cooperative)) {
            survivor.subscribe(List.of("cooperative"));
            try (KafkaConsumer<String, String> leaver = broker.consumer("cooperators", cooperative)) {
                leaver.subscribe(List.of("cooperative"));
                pollUntilAssigned(List.of(survivor, leaver), 2);
                Set<TopicPartition> union = new java.util.HashSet<>(survivor.assignment());
                union.addAll(leaver.assignment());
                assertEquals(4, union.size(), "the two cooperative members own all four partitions, none twice");
            }
            pollUntilAssigned(List.of(survivor), 4);
            assertEquals(4, survivor.assignment().size(), "after the other member left, the survivor owns all four");
        }
    }

    @Test
    void unsupportedApisAreRefusedWithKafkasError() throws Exception {
        try (Admin admin = broker.admin()) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.describeDelegationToken().delegationTokens().get());
            assertInstanceOf(org.apache.kafka.common.errors.UnsupportedVersionException.class, refused.getCause(),
                    "an API Hearth does not advertise fails with UNSUPPORTED_VERSION, not a dropped connection");
            assertEquals(1, admin.describeCluster().nodes().get().size(), "the connection is still usable");
        }
    }

    private static void pollUntilAssigned(List<KafkaConsumer<String, String>> consumers, int each) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline
                && consumers.stream().anyMatch(consumer -> consumer.assignment().size() != each)) {
            consumers.forEach(consumer -> consumer.poll(Duration.ofMillis(100)));
        }
        for (KafkaConsumer<String, String> consumer : consumers) {
            assertEquals(each, consumer.assignment().size(), "each member owns " + each + " partition(s) within 30 s");
        }
    }

    @Test
    void malformedFrameClosesOnlyThatConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.listener.boundPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, 0, 0, 6, 0x7f, 0x7f, 1, 2, 3, 4});
            out.flush();
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThrows(EOFException.class, in::readInt, "the broker closes a connection that sends garbage");
        }
        try (KafkaProducer<String, String> producer = broker.producer(Map.of())) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("after-garbage", "still works")).get();
            assertEquals(0, metadata.offset(), "other clients are served normally");
        }
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (records.size() < count && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertEquals(count, records.size(), "expected number of records within 30 s");
        return records;
    }
}
