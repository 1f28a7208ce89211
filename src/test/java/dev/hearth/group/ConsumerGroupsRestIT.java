package dev.hearth.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * The consumer-group, cluster and topic-alteration endpoints of the REST API against a real kafka-clients
 * consumer group on Payara Micro: lag per partition, offset reset refused while the group has members and
 * accepted once it is empty, deletion, and problem+json for every error. One server for the class.
 */
class ConsumerGroupsRestIT {

    private static final String PROBLEM = "application/problem+json";
    private static final String TYPE_BASE = "https://hearth.dev/problems/";
    private static final String GROUPS = RestClient.CLUSTER + "/consumer-groups";

    private static HearthServer server;
    private static RestClient rest;

    @BeforeAll
    static void start() {
        server = HearthServer.onFreshDataDir("groups-rest").start();
        rest = new RestClient(server.baseUri());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void groupLagResetAndDeletion() throws Exception {
        String topic = "rest-ledger-entries";
        String group = "rest-ledger";
        createTopic(topic, 3);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int partition = 0; partition < 3; partition++) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>(topic, partition, "k" + i, "entry-" + partition + "-" + i));
                }
            }
            producer.flush();
        }
        Map<Integer, Long> committed = Map.of(0, 40L, 1, 70L, 2, 100L);
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (consumer.assignment().size() < 3 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            assertEquals(3, consumer.assignment().size(), "the only member is assigned every partition within 60 s");
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            committed.forEach((partition, offset) -> offsets.put(new TopicPartition(topic, partition),
                    new OffsetAndMetadata(offset)));
            consumer.commitSync(offsets);

            JsonObject listed = find(rest.get(GROUPS), group);
            assertEquals(1, listed.getInt("members_count"), "the list shows the group's one member: " + listed);
            assertEquals(90, listed.getJsonNumber("total_lag").longValue(), "60 + 30 + 0 records behind: " + listed);
            assertEquals("consumer", listed.getString("protocol_type"), "kafka-clients groups are 'consumer' groups");

            Reply described = rest.get(GROUPS + "/" + group);
            assertEquals(200, described.status(), "describe answers 200: " + described);
            JsonObject details = described.object();
            assertEquals("Stable", details.getString("state"), "a group whose member has its assignment is Stable");
            JsonArray members = details.getJsonArray("members");
            assertEquals(1, members.size(), "one member: " + details);
            assertEquals(3, members.getJsonObject(0).getJsonArray("assignments").size(),
                    "the member's decoded assignment names all 3 partitions: " + details);
            assertEquals(Map.of(0, 60L, 1, 30L, 2, 0L), lagByPartition(details, topic, 100),
                    "lag per partition is log end offset minus committed offset: " + details);
            assertEquals(90, details.getJsonNumber("total_lag").longValue(), "total lag is the sum: " + details);

            Reply refused = rest.post(GROUPS + "/" + group + "/offsets:reset", Json.createObjectBuilder()
                    .add("to", "earliest").build());
            assertProblem(refused, 409, "group-not-empty");
            assertTrue(refused.object().getString("detail").contains(group),
                    "the 409's detail names the group: " + refused);
        }

        Reply reset = await("the reset is accepted once the closed consumer has left the group")
                .atMost(Duration.ofSeconds(60))
                .until(() -> rest.post(GROUPS + "/" + group + "/offsets:reset", Json.createObjectBuilder()
                        .add("to", "earliest").build()), reply -> reply.status() == 200);
        assertEquals(3, reset.object().getJsonArray("data").size(), "every partition of the group's topic is reset: " + reset);
        JsonObject afterReset = rest.get(GROUPS + "/" + group).object();
        assertEquals("Empty", afterReset.getString("state"), "the group has no members any more: " + afterReset);
        assertEquals(Map.of(0, 100L, 1, 100L, 2, 100L), lagByPartition(afterReset, topic, 100),
                "after a reset to earliest the lag equals each log end offset: " + afterReset);
        assertEquals(300, afterReset.getJsonNumber("total_lag").longValue(), "total lag is every record: " + afterReset);

        Reply explicit = rest.post(GROUPS + "/" + group + "/offsets:reset", Json.createObjectBuilder()
                .add("to", "offsets")
                .add("offsets", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("topic_name", topic).add("partition_id", 1).add("offset", 90)))
                .build());
        assertEquals(200, explicit.status(), "an explicit offset reset is accepted: " + explicit);
        assertEquals(Map.of(0, 100L, 1, 10L, 2, 100L), lagByPartition(rest.get(GROUPS + "/" + group).object(), topic, 100),
                "only the partition named moved");

        Reply latest = rest.post(GROUPS + "/" + group + "/offsets:reset", Json.createObjectBuilder()
                .add("to", "latest").add("topics", Json.createArrayBuilder().add(topic)).build());
        assertEquals(200, latest.status(), "a reset to latest is accepted: " + latest);
        assertEquals(0, rest.get(GROUPS + "/" + group).object().getJsonNumber("total_lag").longValue(),
                "at the log end nothing is left to consume");

        Reply deleted = rest.delete(GROUPS + "/" + group);
        assertEquals(204, deleted.status(), "deleting an empty group answers 204: " + deleted);
        assertProblem(rest.get(GROUPS + "/" + group), 404, "group-not-found");
        assertProblem(rest.delete(GROUPS + "/" + group), 404, "group-not-found");
    }

    @Test
    void deletingAnActiveGroupIsAConflict() {
        String topic = "rest-active";
        String group = "rest-active-readers";
        createTopic(topic, 1);
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            await("the consumer joins").atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200));
                return !consumer.assignment().isEmpty();
            });
            assertProblem(rest.delete(GROUPS + "/" + group), 409, "group-not-empty");
        }
    }

    @Test
    void unknownGroupIsAProblem() {
        Reply unknown = rest.get(GROUPS + "/no-such-group");
        assertProblem(unknown, 404, "group-not-found");
        assertTrue(unknown.object().getString("detail").contains("no-such-group"), "the detail names the group: " + unknown);
    }

    @Test
    void malformedInputIsABadRequest() {
        assertProblem(rest.postRaw(GROUPS + "/g/offsets:reset", "application/json", "{\"to\": "), 400, null);
        assertProblem(rest.post(GROUPS + "/g/offsets:reset", Json.createObjectBuilder().add("to", "yesterday").build()),
                400, null);
        assertProblem(rest.postRaw(RestClient.CLUSTER + "/topics/t/configs:alter", "application/json", "[1,"), 400, null);
    }

    @Test
    void topicConfigsAndPartitionsChangeOverRest() {
        String topic = "rest-altered";
        createTopic(topic, 2);
        String path = RestClient.CLUSTER + "/topics/" + topic;

        Reply altered = rest.post(path + "/configs:alter", Json.createObjectBuilder().add("data", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", "retention.ms").add("value", "3600000"))).build());
        assertEquals(200, altered.status(), "configs:alter answers 200: " + altered);
        assertEquals("3600000", rest.get(path).object().getJsonObject("configs").getString("retention.ms"),
                "GET topic shows the altered config");

        Reply restored = rest.post(path + "/configs:alter", Json.createObjectBuilder().add("data", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", "retention.ms").add("value", JsonValue.NULL))).build());
        assertEquals(200, restored.status(), "a null value is accepted: " + restored);
        assertEquals("604800000", rest.get(path).object().getJsonObject("configs").getString("retention.ms"),
                "a null value returns the config to the server default");

        assertProblem(rest.post(path + "/configs:alter", Json.createObjectBuilder().add("data", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", "no.such.config").add("value", "1"))).build()), 400, "invalid-config");

        Reply grown = rest.post(path + "/partitions", Json.createObjectBuilder().add("partitions_count", 5).build());
        assertEquals(200, grown.status(), "adding partitions answers 200: " + grown);
        JsonObject described = rest.get(path).object();
        assertEquals(5, described.getInt("partitions_count"), "GET topic shows 5 partitions: " + described);
        assertEquals(5, described.getJsonArray("partitions").size(), "and describes each: " + described);
        assertProblem(rest.post(path + "/partitions", Json.createObjectBuilder().add("partitions_count", 3).build()),
                400, "invalid-partitions");
    }

    @Test
    void clusterDescribesTheBroker() {
        Reply reply = rest.get(RestClient.CLUSTER);
        assertEquals(200, reply.status(), "GET cluster answers 200: " + reply);
        JsonObject cluster = reply.object();
        assertEquals("hearth", cluster.getString("cluster_id"), "the default cluster id: " + cluster);
        assertEquals("RUNNING", cluster.getString("state"), "the engine is running: " + cluster);
        JsonObject broker = cluster.getJsonObject("broker");
        assertEquals(0, broker.getInt("broker_id"), "Hearth is node 0: " + cluster);
        assertEquals(server.bootstrapServers(), broker.getString("host") + ":" + broker.getInt("port"),
                "the broker is where Kafka clients connect: " + cluster);
        assertTrue(cluster.getInt("topics_count") >= 1 && cluster.getInt("partitions_count") >= cluster.getInt("topics_count"),
                "counts include at least the offsets topic: " + cluster);
        assertProblem(rest.get("/api/v3/clusters/elsewhere"), 404, "unknown-cluster");
    }

    private static void createTopic(String topic, int partitions) {
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", partitions).build());
        assertEquals(201, created.status(), "topic creation answers 201: " + created);
    }

    private static JsonObject find(Reply list, String group) {
        assertEquals(200, list.status(), "listing groups answers 200: " + list);
        return list.object().getJsonArray("data").stream()
                .map(JsonValue::asJsonObject)
                .filter(entry -> entry.getString("consumer_group_id").equals(group))
                .findFirst()
                .orElseThrow(() -> new AssertionError("group " + group + " is listed: " + list));
    }

    /** Lag by partition, checking every partition's log end offset on the way. */
    private static Map<Integer, Long> lagByPartition(JsonObject group, String topic, long logEndOffset) {
        Map<Integer, Long> lags = new HashMap<>();
        for (JsonValue value : group.getJsonArray("offsets")) {
            JsonObject offset = value.asJsonObject();
            assertEquals(topic, offset.getString("topic_name"), "only the test's topic has offsets: " + group);
            assertEquals(logEndOffset, offset.getJsonNumber("log_end_offset").longValue(), "log end offset: " + offset);
            lags.put(offset.getInt("partition_id"), offset.getJsonNumber("lag").longValue());
        }
        return lags;
    }

    /** @param kind the problem type's last segment, or null to accept any */
    private static void assertProblem(Reply reply, int status, String kind) {
        assertEquals(status, reply.status(), "expected status " + status + ": " + reply);
        assertTrue(reply.contentType().startsWith(PROBLEM), "errors are problem+json: " + reply);
        JsonObject problem = reply.object();
        if (kind != null) {
            assertEquals(TYPE_BASE + kind, problem.getString("type"), "problem type: " + reply);
        }
        assertTrue(problem.containsKey("instance") && problem.containsKey("detail"), "instance and detail: " + reply);
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("acks", "all");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("group.id", group);
        props.put("client.id", group + "-client");
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
