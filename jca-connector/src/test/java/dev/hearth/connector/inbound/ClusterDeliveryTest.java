package dev.hearth.connector.inbound;

import static dev.hearth.connector.inbound.DeliveryFakes.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.connector.api.DeadLetters;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.client.AsyncSender;
import dev.hearth.connector.client.BackendServices;
import dev.hearth.connector.cluster.ClusterClient;
import dev.hearth.connector.cluster.ClusterFeed;
import dev.hearth.connector.inbound.DeliveryFakes.FakeEndpointFactory;
import dev.hearth.connector.inbound.DeliveryFakes.FakeWorkManager;
import dev.hearth.engine.log.TopicAutoCreation;
import dev.hearth.kafka.KafkaBroker;
import dev.hearth.kafka.RequestLatencies;
import dev.hearth.security.HearthSecurity;
import dev.hearth.security.SecuritySettings;

/**
 * Message-driven-bean delivery on the {@code kafka} backend without an application server: {@link Activations} and
 * {@link RecordDispatcher} over {@link ClusterFeed}s (a Kafka consumer each) and {@link ClusterClient}, against a
 * Kafka-protocol cluster (Hearth's own listener, in-process), with the container played by {@link DeliveryFakes}.
 * The same delivery code as on the embedded engine: retries then the dead-letter topic, order per key with several
 * threads, waiting for a topic that does not exist yet, and two activations of one group sharing its partitions,
 * the second taking all of them over without a record delivered twice.
 */
class ClusterDeliveryTest {

    private static final String GROUP = "cluster-auditors";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    private KafkaBroker broker;
    private ClusterClient client;
    private FakeWorkManager workManager;
    private Activations activations;
    private BackendServices services;

    @BeforeEach
    void start() throws Exception {
        broker = new KafkaBroker(dataDir.resolve("broker"));
        Map<String, Object> properties = Map.of("bootstrap.servers", broker.bootstrap());
        client = new ClusterClient(properties, "hearth-test", new TopicAutoCreation(true, 1));
        workManager = new FakeWorkManager();
        activations = new Activations(workManager);
        Map<String, String> feedProperties = Map.of("bootstrap.servers", broker.bootstrap());
        services = new BackendServices(client, new AsyncSender(client, Runnable::run),
                HearthSecurity.start(dataDir.resolve("hearth"), SecuritySettings.read(key -> java.util.Optional.empty(),
                        List.of())), new RequestLatencies(), spec -> new ClusterFeed(spec, feedProperties), null, null,
                null);
    }

    @AfterEach
    void stop() throws Exception {
        activations.deactivateAll();
        workManager.shutdown();
        client.close();
        broker.close();
    }

    @Test
    void aPoisonRecordIsRetriedThenDeadLetteredOnTheCluster() throws Exception {
        createTopic("orders", 1);
        FakeEndpointFactory bean = new FakeEndpointFactory(false, record -> {
            if ("poison".equals(text(record.value()))) {
                throw new IllegalArgumentException("cannot audit poison");
            }
        });
        send("orders", null, "a", "poison", "b");
        activations.activate(bean, spec("orders", 2, 1), () -> services);

        await().atMost(WAIT).until(() -> committed("orders", 1) == 3);
        assertEquals(List.of("a", "poison", "poison", "poison", "b"), bean.calledValues());
        List<HearthRecord> dead = client.read(DeadLetters.topicFor("orders"), 0, 0, 10, 1 << 20);
        assertEquals(1, dead.size(), "one dead letter, on the cluster");
        assertEquals("poison", text(dead.get(0).value()));
        assertEquals("1", text(dead.get(0).headers().get(DeadLetters.ORIGINAL_OFFSET)));
    }

    @Test
    void recordsOfAKeyKeepTheirOrderWithSeveralThreadsAndATopicCreatedLater() throws Exception {
        FakeEndpointFactory bean = new FakeEndpointFactory(false, record -> { });
        HearthActivationSpec spec = spec("late-orders", 0, 4);
        spec.setOrdering("key");
        activations.activate(bean, spec, () -> services);
        Thread.sleep(2_000); // the activation waits for the topic
        createTopic("late-orders", 2);
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            records.add(new OutgoingRecord(null, ("key-" + (i % 8)).getBytes(StandardCharsets.UTF_8),
                    Integer.toString(i).getBytes(StandardCharsets.UTF_8), Map.of(), null));
        }
        client.sendBatch("late-orders", records);

        await().atMost(WAIT).until(() -> committed("late-orders", 2) == 400);
        Map<String, List<Integer>> perKey = new HashMap<>();
        for (HearthRecord record : bean.calls) {
            perKey.computeIfAbsent(text(record.key()), k -> new ArrayList<>()).add(Integer.parseInt(text(record.value())));
        }
        assertEquals(8, perKey.size());
        perKey.forEach((key, values) -> {
            List<Integer> sorted = new ArrayList<>(values);
            sorted.sort(null);
            assertEquals(sorted, values, "records of " + key + " in order");
            assertEquals(50, values.size(), "each record of " + key + " once");
        });
    }

    @Test
    void twoActivationsShareTheGroupAndOneTakesOverWithoutADuplicate() throws Exception {
        createTopic("shared", 4);
        FakeEndpointFactory first = new FakeEndpointFactory(false, record -> pause());
        FakeEndpointFactory second = new FakeEndpointFactory(false, record -> pause());
        activations.activate(first, spec("shared", 0, 1), () -> services);
        activations.activate(second, spec("shared", 0, 1), () -> services);
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            records.add(new OutgoingRecord(i % 4, null, ("r" + i).getBytes(StandardCharsets.UTF_8), Map.of(), null));
        }
        client.sendBatch("shared", records);
        await().atMost(WAIT).until(() -> !first.calls.isEmpty() && !second.calls.isEmpty());
        activations.deactivate(first); // commits what it handled and leaves; the second gets every partition

        await().atMost(WAIT).until(() -> committed("shared", 4) == 600);
        List<String> delivered = new ArrayList<>(first.calledValues());
        delivered.addAll(second.calledValues());
        assertEquals(600, delivered.size(), "each record delivered once across the two members: "
                + first.calls.size() + " + " + second.calls.size());
        assertEquals(600, delivered.stream().distinct().count());
        assertTrue(first.calls.size() < 600 && second.calls.size() > 0, "both members delivered");
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HearthActivationSpec spec(String topic, int retries, int concurrency) {
        HearthActivationSpec spec = new HearthActivationSpec();
        spec.setTopics(topic);
        spec.setGroupId(GROUP);
        spec.setRetries(retries);
        spec.setRetryBackoffMs(1L);
        spec.setSessionTimeoutMs(6_000);
        spec.setMaxConcurrency(concurrency);
        return spec;
    }

    private void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    private void send(String topic, Integer partition, String... values) {
        List<OutgoingRecord> records = new ArrayList<>();
        for (String value : values) {
            records.add(new OutgoingRecord(partition, null, value.getBytes(StandardCharsets.UTF_8), Map.of(), null));
        }
        client.sendBatch(topic, records);
    }

    /** The group's committed offsets of the topic's partitions, summed. */
    private long committed(String topic, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get();
            long sum = 0;
            for (int p = 0; p < partitions; p++) {
                OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, p));
                sum += offset == null ? 0 : offset.offset();
            }
            return sum;
        }
    }
}
