package dev.hearth.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
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
import org.junit.jupiter.api.Tag;
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
 *
 * <p>A kill loop of about ten minutes: it runs in the {@code faults} profile ({@code @Tag("faults")}), which
 * {@code .ci/run} runs after the normal tests.
 */
@Tag("faults")
class CrashLoopIT {

    private static final int DEFAULT_KILLS = 20;
    private static final String IDEMPOTENT_TOPIC = "crash-idempotent";
    private static final String TRANSACTIONAL_TOPIC = "crash-transactional";
    private static final String GROUP = "crash-group";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_TRANSACTION = 5;

    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Transactions by number: true committed, false aborted, absent when the crash hid the outcome. */
    private final Map<Integer, Boolean> transactionOutcomes = new ConcurrentHashMap<>();
    private final AtomicLong transactionsStarted = new AtomicLong();

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
            IdempotentProducerWorkload idempotent = new IdempotentProducerWorkload(server, IDEMPOTENT_TOPIC, PARTITIONS);
            GroupCommitWorkload group = new GroupCommitWorkload(server, IDEMPOTENT_TOPIC, GROUP);
            Workloads workloads = new Workloads("crash-loop");
            workloads.start("idempotent-producer", idempotent);
            workloads.start("transactional-producer", () -> transactionalProducer(server));
            workloads.start("group-consumer", group);
            for (int kill = 1; kill <= kills; kill++) {
                Thread.sleep(1_000 + random.nextInt(3_000));
                Map<TopicPartition, Long> committedBeforeKill = group.lastCommitted();
                server.kill();
                server.start();
                group.assertNotBehind(committedBeforeKill, "kill " + kill);
                System.out.printf("CrashLoopIT: kill %d/%d done; %d idempotent records and %d transactions "
                        + "acknowledged so far%n", kill, kills, idempotent.acknowledgedCount(), committedTransactions());
            }
            Thread.sleep(3_000);
            running.set(false);
            idempotent.stop();
            group.stop();
            workloads.joinAndAssertNoFailure();
            assertTrue(idempotent.acknowledgedCount() > 0 && committedTransactions() > 0, "the workloads made progress");
            idempotent.verify("CrashLoopIT");
            verifyTransactionalTopic(server);
        }
    }

    // ---- workloads -----------------------------------------------------------------------------------------

    private void transactionalProducer(HearthServer server) {
        KafkaProducer<String, String> producer = null;
        int transaction = 0;
        while (running.get()) {
            try {
                if (producer == null) {
                    Properties config = KafkaClients.producerConfig(server);
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
                KafkaClients.pause(20);
            } catch (RuntimeException e) {
                // The crash hid this transaction's outcome; a new producer instance fences and aborts it if open.
                if (producer != null) {
                    producer.close(Duration.ZERO);
                    producer = null;
                }
                KafkaClients.pause(500);
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(30));
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

    private void verifyTransactionalTopic(HearthServer server) {
        Map<Integer, Integer> recordsPerTransaction = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        KafkaClients.readAll(server, TRANSACTIONAL_TOPIC, PARTITIONS, "read_committed").values().forEach(records -> records.forEach(record -> {
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

    // ---- support -------------------------------------------------------------------------------------------

    private long committedTransactions() {
        return transactionOutcomes.values().stream().filter(Boolean::booleanValue).count();
    }
}
