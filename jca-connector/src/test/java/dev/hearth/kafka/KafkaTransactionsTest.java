package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.Isolation;

/**
 * Kafka transactions with unmodified kafka-clients: read_committed consumers see committed transactions
 * only, never aborted ones, and nothing past the last stable offset; offsets sent to a transaction are
 * committed with it; a transaction open when the broker stops is aborted at the next start.
 */
class KafkaTransactionsTest {

    @TempDir
    Path dataDir;

    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new KafkaBroker(dataDir);
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("txn", 2, (short) 1), new NewTopic("txn-out", 1, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnly() {
        try (KafkaProducer<String, String> producer = broker.producer(Map.of("transactional.id", "orders-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("txn", i % 2, "k", "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("txn", i % 2, "k", "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>("txn", i % 2, "k", "committed-late-" + i));
            }
            producer.commitTransaction();
        }
        List<String> committed = values(readAll("read_committed", 14));
        assertEquals(14, committed.size(), "10 + 4 committed records are visible");
        assertTrue(committed.stream().noneMatch(v -> v.startsWith("aborted")), "no aborted record is visible: " + committed);
        List<String> uncommitted = values(readAll("read_uncommitted", 19));
        assertEquals(19, uncommitted.size(), "read_uncommitted sees every data record, aborted ones included");
    }

    @Test
    void anOpenTransactionHoldsBackReadCommittedAtTheLastStableOffset() throws Exception {
        try (KafkaProducer<String, String> plain = broker.producer(Map.of());
             KafkaProducer<String, String> transactional = broker.producer(Map.of("transactional.id", "slow-tx"))) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>("txn", 0, "k", "open")).get();
            plain.send(new ProducerRecord<>("txn", 0, "k", "after-open")).get();

            try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of("isolation.level", "read_committed"))) {
                TopicPartition partition = new TopicPartition("txn", 0);
                assertEquals(0L, consumer.endOffsets(List.of(partition)).get(partition),
                        "read_committed's end offset is the last stable offset, the open transaction's first offset");
            }
            assertEquals(0, broker.engine.read("txn", 0, 0, 1 << 20, Isolation.READ_COMMITTED).records().sizeInBytes(),
                    "nothing at or after the open transaction is served at READ_COMMITTED");
            transactional.commitTransaction();
        }
        List<String> visible = values(readAll("read_committed", 2));
        assertEquals(List.of("open", "after-open"), visible, "once committed, both records are visible in offset order");
    }

    @Test
    void offsetsSentToATransactionAreCommittedWithIt() throws Exception {
        try (KafkaProducer<String, String> producer = broker.producer(Map.of())) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>("txn", 0, "k", "in-" + i)).get();
            }
        }
        TopicPartition input = new TopicPartition("txn", 0);
        try (KafkaConsumer<String, String> consumer = broker.consumer("processors", Map.of("isolation.level", "read_committed"));
             KafkaProducer<String, String> producer = broker.producer(Map.of("transactional.id", "processor-tx"))) {
            producer.initTransactions();
            consumer.subscribe(List.of("txn"));
            List<ConsumerRecord<String, String>> batch = pollUntil(consumer, 6, input);

            producer.beginTransaction();
            batch.forEach(record -> producer.send(new ProducerRecord<>("txn-out", "k", record.value().toUpperCase())));
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(3)), consumer.groupMetadata());
            producer.abortTransaction();
            assertEquals(null, committedOffset("processors", input), "an aborted transaction commits no offset");

            producer.beginTransaction();
            batch.forEach(record -> producer.send(new ProducerRecord<>("txn-out", "k", record.value().toUpperCase())));
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(6)), consumer.groupMetadata());
            producer.commitTransaction();
        }
        assertEquals(6L, committedOffset("processors", input), "the committed transaction committed offset 6");
    }

    @Test
    void aTransactionOpenAtShutdownIsAbortedAtTheNextStart() throws Exception {
        KafkaProducer<String, String> producer = broker.producer(Map.of("transactional.id", "crashing-tx"));
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("txn", 0, "k", "never-committed")).get();
        broker.close();
        producer.close(Duration.ZERO);
        broker = new KafkaBroker(dataDir);
        assertEquals(0, broker.engine.openTransactions("txn", 0).size(), "the restart aborted the open transaction");
        try (KafkaProducer<String, String> plain = broker.producer(Map.of())) {
            plain.send(new ProducerRecord<>("txn", 0, "k", "later")).get();
        }
        assertEquals(List.of("later"), values(readAll("read_committed", 1)),
                "read_committed never sees the aborted record and is not blocked by it");
    }

    private Long committedOffset(String group, TopicPartition partition) {
        try (Admin admin = broker.admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
            return offset == null ? null : offset.offset();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<ConsumerRecord<String, String>> readAll(String isolation, int expected) {
        try (KafkaConsumer<String, String> consumer = broker.consumer(null, Map.of("isolation.level", isolation))) {
            List<TopicPartition> partitions = List.of(new TopicPartition("txn", 0), new TopicPartition("txn", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // One more poll, so that records beyond the expected ones (which would be a bug) are seen too.
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            return records;
        }
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count,
                                                                  TopicPartition only) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (records.size() < count && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(200)).records(only).forEach(records::add);
        }
        assertEquals(count, records.size(), "expected number of records within 30 s");
        return records;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
