package dev.hearth.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;

/**
 * Kafka's guarantees under kill -9, at many instants: while an idempotent producer (acks=all, five requests in
 * flight), a transactional producer and a group-committing consumer run against Hearth, Payara Micro is killed
 * {@value #DEFAULT_KILLS} times at random moments and restarted on the same data directory. At the end:
 * <ul>
 *   <li>idempotent topic: no acknowledged record lost, none duplicated, none out of order, each at the offset
 *       it was acknowledged with;</li>
 *   <li>transactional topic (read_committed): every committed transaction whole and once, every aborted one
 *       absent, one whose commit outcome the crash hid either whole or absent — never partial or twice;</li>
 *   <li>consumer group: after every restart each committed offset is at least the last one acknowledged.</li>
 * </ul>
 * Before the kills, the poison request of issue 10 (AddPartitionsToTxn naming partition 256 of a 3-partition
 * topic) is refused, so it cannot stop the restarts that follow.
 */
class CrashLoopIT {

    private static final int DEFAULT_KILLS = 20;
    /** Kept referenced: the clients' reconnection warnings during each restart would drown the test's output. */
    private static final java.util.logging.Logger KAFKA_CLIENT_LOGS = quiet("org.apache.kafka");
    private static final String IDEMPOTENT_TOPIC = "crash-idempotent";
    private static final String TRANSACTIONAL_TOPIC = "crash-transactional";
    private static final String GROUP = "crash-group";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_TRANSACTION = 5;

    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Idempotent producer: partition -> (sequence value -> acknowledged offset). */
    private final Map<Integer, Map<Long, Long>> acknowledged = new ConcurrentHashMap<>();
    /** Transactions by number: true committed, false aborted, absent when the crash hid the outcome. */
    private final Map<Integer, Boolean> transactionOutcomes = new ConcurrentHashMap<>();
    private final AtomicLong transactionsStarted = new AtomicLong();
    /** Group consumer: the last offset per partition whose commit was acknowledged. */
    private final Map<TopicPartition, Long> lastCommitted = new ConcurrentHashMap<>();
    private final List<Throwable> workloadFailures = Collections.synchronizedList(new ArrayList<>());

    @Test
    void killNineAtManyInstantsLosesNothingAndDuplicatesNothing() throws Exception {
        int kills = Integer.getInteger("hearth.crash.kills", DEFAULT_KILLS);
        Random random = new Random(Long.getLong("hearth.crash.seed", 20261206L));
        try (HearthServer server = HearthServer.onFreshDataDir("crash-loop").start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(IDEMPOTENT_TOPIC, PARTITIONS, (short) 1),
                        new NewTopic(TRANSACTIONAL_TOPIC, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            assertPoisonRequestRefused(server);
            List<Thread> workloads = List.of(
                    thread("idempotent-producer", () -> idempotentProducer(server)),
                    thread("transactional-producer", () -> transactionalProducer(server)),
                    thread("group-consumer", () -> groupConsumer(server)));
            workloads.forEach(Thread::start);
            for (int kill = 1; kill <= kills; kill++) {
                Thread.sleep(1_000 + random.nextInt(3_000));
                Map<TopicPartition, Long> committedBeforeKill = new HashMap<>(lastCommitted);
                server.kill();
                server.start();
                assertCommittedOffsetsNotBehind(server, committedBeforeKill, kill);
                System.out.printf("CrashLoopIT: kill %d/%d done; %d idempotent records and %d transactions "
                                + "acknowledged so far%n", kill, kills, acknowledgedCount(), committedTransactions());
            }
            Thread.sleep(3_000);
            running.set(false);
            for (Thread workload : workloads) {
                workload.join(TimeUnit.MINUTES.toMillis(3));
            }
            assertTrue(workloadFailures.isEmpty(), "workloads failed: " + workloadFailures);
            assertTrue(acknowledgedCount() > 0 && committedTransactions() > 0, "the workloads made progress");
            verifyIdempotentTopic(server);
            verifyTransactionalTopic(server);
        }
    }

    // ---- workloads -----------------------------------------------------------------------------------------

    private void idempotentProducer(HearthServer server) {
        Properties config = producerConfig(server);
        config.put("enable.idempotence", "true");
        config.put("acks", "all");
        config.put("max.in.flight.requests.per.connection", "5");
        long[] next = new long[PARTITIONS];
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            while (running.get()) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    long sequence = next[partition]++;
                    int p = partition;
                    producer.send(new ProducerRecord<>(IDEMPOTENT_TOPIC, partition, "p" + partition, Long.toString(sequence)),
                            (metadata, error) -> {
                                if (error == null) {
                                    acknowledged.computeIfAbsent(p, k -> new ConcurrentHashMap<>())
                                            .put(sequence, metadata.offset());
                                }
                            });
                }
                pause(2);
            }
            producer.flush();
        }
    }

    private void transactionalProducer(HearthServer server) {
        KafkaProducer<String, String> producer = null;
        int transaction = 0;
        while (running.get()) {
            try {
                if (producer == null) {
                    Properties config = producerConfig(server);
                    config.put("transactional.id", "crash-tx");
                    config.put("transaction.timeout.ms", "60000");
                    producer = new KafkaProducer<>(config);
                    producer.initTransactions();
                }
                transaction++;
                transactionsStarted.incrementAndGet();
                boolean commit = transaction % 4 != 0;
                producer.beginTransaction();
                for (int i = 0; i < RECORDS_PER_TRANSACTION; i++) {
                    producer.send(new ProducerRecord<>(TRANSACTIONAL_TOPIC, i % PARTITIONS, "t" + transaction,
                            transaction + ":" + i));
                }
                if (commit) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
                transactionOutcomes.put(transaction, commit);
                pause(20);
            } catch (RuntimeException e) {
                // The crash hid this transaction's outcome; a new producer instance fences and aborts it if open.
                if (producer != null) {
                    producer.close(Duration.ZERO);
                    producer = null;
                }
                pause(500);
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(30));
        }
    }

    private void groupConsumer(HearthServer server) {
        KafkaConsumer<String, String> consumer = null;
        while (running.get()) {
            try {
                if (consumer == null) {
                    Properties config = new Properties();
                    config.put("bootstrap.servers", server.bootstrapServers());
                    config.put("group.id", GROUP);
                    config.put("enable.auto.commit", "false");
                    config.put("auto.offset.reset", "earliest");
                    config.put("key.deserializer", StringDeserializer.class.getName());
                    config.put("value.deserializer", StringDeserializer.class.getName());
                    config.put("default.api.timeout.ms", "20000");
                    consumer = new KafkaConsumer<>(config);
                    consumer.subscribe(List.of(IDEMPOTENT_TOPIC));
                }
                Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    positions.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                if (!positions.isEmpty()) {
                    consumer.commitSync(positions, Duration.ofSeconds(20));
                    positions.forEach((partition, offset) -> lastCommitted.merge(partition, offset.offset(), Math::max));
                }
            } catch (RuntimeException e) {
                if (consumer != null) {
                    consumer.close(Duration.ZERO);
                    consumer = null;
                }
                pause(500);
            }
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    // ---- checks --------------------------------------------------------------------------------------------

    private void assertPoisonRequestRefused(HearthServer server) throws IOException {
        String[] hostPort = server.bootstrapServers().split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(30_000);
            InitProducerIdResponse init = (InitProducerIdResponse) exchange(socket, 1, new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId("poison").setTransactionTimeoutMs(60_000)).build((short) 4));
            assertEquals(Errors.NONE, init.error(), "InitProducerId for the poison transactional id");
            AddPartitionsToTxnResponse added = (AddPartitionsToTxnResponse) exchange(socket, 2,
                    AddPartitionsToTxnRequest.Builder.forClient("poison", init.data().producerId(),
                            init.data().producerEpoch(), List.of(new TopicPartition(TRANSACTIONAL_TOPIC, 256)))
                            .build((short) 3));
            Map<TopicPartition, Errors> errors = added.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, errors.get(new TopicPartition(TRANSACTIONAL_TOPIC, 256)),
                    "partition 256 of a 3-partition topic is refused");
        }
    }

    private static AbstractResponse exchange(Socket socket, int correlationId, AbstractRequest request) throws IOException {
        ApiKeys api = request.apiKey();
        RequestHeader header = new RequestHeader(api, request.version(), "crash-loop-it", correlationId);
        ByteBuffer frame = request.serializeWithHeader(header);
        OutputStream out = socket.getOutputStream();
        out.write(ByteBuffer.allocate(4).putInt(frame.remaining()).array());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
    }

    private static void assertCommittedOffsetsNotBehind(HearthServer server, Map<TopicPartition, Long> before, int kill)
            throws Exception {
        if (before.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            before.forEach((partition, offset) -> {
                OffsetAndMetadata now = committed.get(partition);
                assertTrue(now != null && now.offset() >= offset, "after kill " + kill + " the committed offset of "
                        + partition + " went back: acknowledged " + offset + ", now " + now);
            });
        }
    }

    private void verifyIdempotentTopic(HearthServer server) {
        Map<Integer, List<ConsumerRecord<String, String>>> stored = readAll(server, IDEMPOTENT_TOPIC, "read_uncommitted");
        long lost = 0;
        long duplicates = 0;
        long reordered = 0;
        long misplaced = 0;
        for (int partition = 0; partition < PARTITIONS; partition++) {
            Map<Long, Long> offsetsBySequence = new HashMap<>();
            long previous = -1;
            for (ConsumerRecord<String, String> record : stored.getOrDefault(partition, List.of())) {
                long sequence = Long.parseLong(record.value());
                if (offsetsBySequence.putIfAbsent(sequence, record.offset()) != null) {
                    duplicates++;
                }
                if (sequence <= previous) {
                    reordered++;
                }
                previous = sequence;
            }
            for (Map.Entry<Long, Long> ack : acknowledged.getOrDefault(partition, Map.of()).entrySet()) {
                Long offset = offsetsBySequence.get(ack.getKey());
                if (offset == null) {
                    lost++;
                } else if (!offset.equals(ack.getValue())) {
                    misplaced++;
                }
            }
        }
        System.out.printf("CrashLoopIT: idempotent producer: %d acknowledged, %d lost, %d duplicated, %d reordered, "
                + "%d at another offset than acknowledged%n", acknowledgedCount(), lost, duplicates, reordered, misplaced);
        assertEquals(0, lost, "acknowledged records lost");
        assertEquals(0, duplicates, "records appended twice");
        assertEquals(0, reordered, "records out of order within a partition");
        assertEquals(0, misplaced, "records at another offset than acknowledged");
    }

    private void verifyTransactionalTopic(HearthServer server) {
        Map<Integer, Integer> recordsPerTransaction = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        readAll(server, TRANSACTIONAL_TOPIC, "read_committed").values().forEach(records -> records.forEach(record -> {
            int transaction = Integer.parseInt(record.value().substring(0, record.value().indexOf(':')));
            recordsPerTransaction.merge(transaction, 1, Integer::sum);
            copies.merge(record.value(), 1, Integer::sum);
        }));
        long duplicated = copies.values().stream().filter(count -> count > 1).count();
        long partial = recordsPerTransaction.values().stream().filter(count -> count != RECORDS_PER_TRANSACTION).count();
        long committedMissing = transactionOutcomes.entrySet().stream()
                .filter(outcome -> outcome.getValue() && !recordsPerTransaction.containsKey(outcome.getKey())).count();
        long abortedVisible = transactionOutcomes.entrySet().stream()
                .filter(outcome -> !outcome.getValue() && recordsPerTransaction.containsKey(outcome.getKey())).count();
        System.out.printf("CrashLoopIT: transactions: %d started, %d committed, %d visible; %d committed but missing, "
                        + "%d aborted but visible, %d partial, %d records duplicated%n", transactionsStarted.get(),
                committedTransactions(), recordsPerTransaction.size(), committedMissing, abortedVisible, partial, duplicated);
        assertEquals(0, committedMissing, "committed transactions missing");
        assertEquals(0, abortedVisible, "aborted transactions visible to read_committed");
        assertEquals(0, partial, "transactions visible in part");
        assertEquals(0, duplicated, "transactional records visible twice");
    }

    private static Map<Integer, List<ConsumerRecord<String, String>>> readAll(HearthServer server, String topic,
                                                                              String isolation) {
        Properties config = new Properties();
        config.put("bootstrap.servers", server.bootstrapServers());
        config.put("isolation.level", isolation);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        Map<Integer, List<ConsumerRecord<String, String>>> records = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                partitions.add(new TopicPartition(topic, partition));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(60)) < ends.get(p))) {
                assertTrue(System.nanoTime() < deadline, "reading " + topic + " back took over 3 minutes");
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    records.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
                }
            }
        }
        return records;
    }

    // ---- support -------------------------------------------------------------------------------------------

    private static Properties producerConfig(HearthServer server) {
        Properties config = new Properties();
        config.put("bootstrap.servers", server.bootstrapServers());
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        config.put("linger.ms", "5");
        // Ride out restarts: a kill and a restart of Payara Micro take tens of seconds on a busy machine.
        config.put("delivery.timeout.ms", "600000");
        config.put("request.timeout.ms", "20000");
        config.put("max.block.ms", "600000");
        config.put("reconnect.backoff.max.ms", "1000");
        return config;
    }

    private long acknowledgedCount() {
        return acknowledged.values().stream().mapToLong(Map::size).sum();
    }

    private long committedTransactions() {
        return transactionOutcomes.values().stream().filter(Boolean::booleanValue).count();
    }

    private Thread thread(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                workloadFailures.add(e);
            }
        }, "crash-loop-" + name);
        thread.setDaemon(true);
        return thread;
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
