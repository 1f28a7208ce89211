package dev.hearth.application;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;
import dev.hearth.testing.KafkaCluster;

/**
 * Hearth on an existing Kafka cluster ({@code hearth.backend=kafka}): a real 3-broker Apache Kafka cluster (KRaft,
 * replication factor 3, {@code min.insync.replicas=2}), and Payara Micro with Hearth and the two example
 * applications deployed the way the README says, unchanged:
 * <ul>
 *   <li>payments: a send in a JTA transaction (through the outbox, in the same database as the payment's row), a
 *       refused payment whose send rolls back, and the transacted ledger MDB booking each payment exactly once;</li>
 *   <li>click-counts: a stream job counting on the cluster's topics, exactly once, paused (lag builds up on the
 *       cluster) and resumed;</li>
 *   <li>the HTTP API: topics, records and consumer groups, which Kafka's own clients see on the cluster;</li>
 *   <li>readiness DOWN with the reason while the cluster does not answer, UP again once it does.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaBackendIT {

    private static final Duration DELIVERY = Duration.ofSeconds(120);

    private static KafkaCluster cluster;
    private static HearthServer server;

    @BeforeAll
    static void start() throws Exception {
        cluster = KafkaCluster.start(Files.createDirectories(HearthServer.workDir()
                .resolve("kafka-backend-cluster-" + System.nanoTime())), 3);
        server = HearthServer.onFreshDataDir("kafka-backend").onKafkaCluster(cluster.clientProperties())
                .alsoDeploying(Path.of(System.getProperty("example.payments.war")))
                .alsoDeploying(Path.of(System.getProperty("example.click-counts.war")))
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theExamplesRunUnchangedOnTheCluster() {
        RestClient app = RestClient.anonymous(server.baseUri());
        ApplicationsNextToHearthIT.paymentsAreSentAndBookedInOneTransaction(app);
        List<String> amounts = readAll("payments");
        assertEquals(List.of("100", "200", "300"), amounts.stream().sorted().toList(),
                "the cluster has each committed payment once, and not the refused one: " + amounts);

        ClickStreams.produceClicks(cluster.bootstrapServers(), "home", "home", "cart");
        ClickStreams.awaitCounts(cluster.bootstrapServers(), Map.of("home", "2", "cart", "1"), DELIVERY);
        RestClient admin = new RestClient(server.baseUri());
        String job = RestClient.CLUSTER + "/jobs/clicks-per-page";
        assertEquals("RUNNING", admin.get(job).object().getString("state"), "the job runs on the cluster");

        Reply paused = admin.post(job + ":pause", JsonValue.EMPTY_JSON_OBJECT);
        assertEquals(200, paused.status(), paused.toString());
        assertEquals("PAUSED", paused.object().getString("state"));
        ClickStreams.produceClicks(cluster.bootstrapServers(), "home", "home", "home");
        await("lag builds up on the cluster while the job is paused").atMost(DELIVERY)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> admin.get(job).object().getJsonNumber("total_lag").longValue() >= 3);
        Reply resumed = admin.post(job + ":resume", JsonValue.EMPTY_JSON_OBJECT);
        assertEquals(200, resumed.status(), resumed.toString());
        ClickStreams.awaitCounts(cluster.bootstrapServers(), Map.of("home", "5", "cart", "1"), DELIVERY);
    }

    @Test
    @Order(2)
    void theHttpApiWorksOnTheClustersTopicsAndGroups() throws Exception {
        RestClient admin = new RestClient(server.baseUri());
        Reply created = admin.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", "api-orders").add("partitions_count", 3).build());
        assertEquals(201, created.status(), created.toString());
        try (Admin kafka = Admin.create(cluster.clientProperties())) {
            TopicDescription description = kafka.describeTopics(Set.of("api-orders")).allTopicNames().get()
                    .get("api-orders");
            assertEquals(3, description.partitions().size(), "the topic is the cluster's: " + description);
            assertEquals(3, description.partitions().get(0).replicas().size(),
                    "replicated by the cluster's default, 3: " + description);
        }

        Reply produced = admin.post(RestClient.CLUSTER + "/topics/api-orders/records", Json.createObjectBuilder()
                .add("partition_id", 1)
                .add("key", Json.createObjectBuilder().add("type", "STRING").add("data", "o-1"))
                .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", "ordered")).build());
        assertEquals(200, produced.status(), produced.toString());
        assertEquals(List.of("ordered"), readAll("api-orders"), "a Kafka consumer on the cluster reads it");

        Reply records = admin.get(RestClient.CLUSTER + "/topics/api-orders/partitions/1/records?offset=0");
        assertEquals(200, records.status(), records.toString());
        assertTrue(records.body().contains(Base64.getEncoder().encodeToString("ordered".getBytes(StandardCharsets.UTF_8)))
                || records.body().contains("ordered"), "the HTTP API reads it back: " + records);

        Reply group = admin.get(RestClient.CLUSTER + "/consumer-groups/payments-ledger");
        assertEquals(200, group.status(), group.toString());
        long committed = group.object().getJsonArray("offsets").stream().map(JsonValue::asJsonObject)
                .mapToLong(offset -> offset.getJsonNumber("committed_offset").longValue()).sum();
        assertTrue(committed >= 3, "the ledger bean's group commits on the cluster: " + group);
    }

    @Test
    @Order(3)
    void readinessIsDownWithTheReasonWhileTheClusterDoesNotAnswer() throws Exception {
        RestClient anonymous = RestClient.anonymous(server.baseUri());
        for (int node : cluster.nodeIds()) {
            cluster.kill(node);
        }
        Reply down = await("readiness DOWN while no broker answers").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> anonymous.get("/health/ready"), reply -> reply.status() == 503);
        assertTrue(down.body().contains("does not answer"), "with the reason: " + down);

        cluster.restartAll();
        await("readiness UP once the cluster answers again").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> anonymous.get("/health/ready").status() == 200);
        RestClient app = RestClient.anonymous(server.baseUri());
        Reply paid = await("the payments application works again").atMost(DELIVERY).ignoreExceptions()
                .until(() -> app.post("/payments/api/payments/p4/400", Json.createObjectBuilder().build()),
                        reply -> reply.status() == 200);
        assertEquals(200, paid.status(), paid.toString());
        await("the ledger books the new payment").atMost(DELIVERY).ignoreExceptions()
                .until(() -> app.get("/payments/api/payments/ledger").object().getInt("payments") == 4);
    }

    /** Every value of the topic, read committed from the cluster itself. */
    private static List<String> readAll(String topic) {
        Map<String, Object> properties = new HashMap<>(cluster.clientProperties());
        properties.put("isolation.level", "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await(topic + " read to its end").atMost(DELIVERY).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
            });
        }
        return values;
    }
}
