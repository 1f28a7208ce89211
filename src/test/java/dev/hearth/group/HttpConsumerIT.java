package dev.hearth.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Group consumption over HTTP on Payara Micro: HTTP members share a group's partitions with each other and with
 * a kafka-clients consumer through the one group coordinator, a deleted or expired member's partitions go to
 * the others without losing records, commits are where a new member resumes, and every error is problem+json.
 * One server for the class.
 */
class HttpConsumerIT {

    private static final String PROBLEM = "application/problem+json";
    private static final String TYPE_BASE = "https://hearth.dev/problems/";
    private static final String GROUPS = RestClient.CLUSTER + "/consumer-groups";
    private static final String NARROW = "narrow-reader";
    private static final String NARROW_PASSWORD = "narrow-reader-Secret-1";

    private static HearthServer server;
    private static RestClient rest;

    @BeforeAll
    static void start() {
        server = HearthServer.onFreshDataDir("http-consumer")
                .with("hearth.security.user." + NARROW + ".password", NARROW_PASSWORD)
                .with("hearth.security.user." + NARROW + ".roles", "consumer")
                .with("hearth.security.user." + NARROW + ".topics", "http-narrow")
                .start();
        rest = new RestClient(server.baseUri());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoMembersSplitPartitionsAndADeletedMembersPartitionsMoveWithoutLoss() {
        String topic = "http-split";
        String group = "http-split-readers";
        createTopic(topic, 4);
        produce(topic, 4, 0, 200);
        String a = createMember(group, topic, 30_000);
        String b = createMember(group, topic, 30_000);
        Set<String> received = new HashSet<>();

        await("both HTTP members are assigned two of the four partitions").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ZERO)
                .until(() -> {
                    Set<Integer> ofA = pollAndCommit(group, a, received);
                    Set<Integer> ofB = pollAndCommit(group, b, received);
                    return ofA.size() == 2 && ofB.size() == 2 && disjoint(ofA, ofB);
                });

        Reply deleted = rest.delete(member(group, b));
        assertEquals(204, deleted.status(), "deleting a member answers 204: " + deleted);
        assertProblem(rest.get(member(group, b) + "/records?max_wait_ms=0"), 404, "member-not-found");
        produce(topic, 4, 200, 40);

        await("the remaining member gets all four partitions and every record").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ZERO)
                .until(() -> pollAndCommit(group, a, received).size() == 4 && received.size() == 240);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 240; i++) {
            expected.add("r-" + i);
        }
        assertEquals(expected, received, "every record produced was received by one of the members");
        JsonObject described = rest.get(GROUPS + "/" + group).object();
        assertEquals(1, described.getJsonArray("members").size(), "the group has one member left: " + described);
        assertEquals(0, described.getJsonNumber("total_lag").longValue(), "everything was committed: " + described);
        assertEquals(204, rest.delete(member(group, a)).status(), "the last member leaves");
    }

    @Test
    void aNewMemberResumesFromTheCommittedOffset() {
        String topic = "http-resume";
        String group = "http-resume-readers";
        createTopic(topic, 1);
        produce(topic, 1, 0, 30);
        String first = createMember(group, topic, 30_000);
        JsonObject polled = await("the first member reads ten records").atMost(Duration.ofSeconds(60))
                .until(() -> rest.get(member(group, first) + "/records?max_wait_ms=500&max_records=10").object(),
                        reply -> reply.getJsonArray("data").size() == 10);
        assertEquals(0, polled.getJsonArray("data").getJsonObject(0).getJsonNumber("offset").longValue(),
                "auto_offset_reset=earliest starts at the log start: " + polled);
        assertEquals("r-0", value(polled.getJsonArray("data").getJsonObject(0)), "values decode as produced: " + polled);

        Reply committed = rest.post(member(group, first) + "/offsets", Json.createObjectBuilder()
                .add("offsets", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("topic_name", topic).add("partition_id", 0).add("offset", 7))).build());
        assertEquals(200, committed.status(), "an explicit commit answers 200: " + committed);
        assertEquals(204, rest.delete(member(group, first)).status(), "the first member leaves");

        String second = createMember(group, topic, 30_000);
        JsonObject resumed = await("the second member reads").atMost(Duration.ofSeconds(60))
                .until(() -> rest.get(member(group, second) + "/records?max_wait_ms=500&max_records=5").object(),
                        reply -> !reply.getJsonArray("data").isEmpty());
        assertEquals(7, resumed.getJsonArray("data").getJsonObject(0).getJsonNumber("offset").longValue(),
                "a new member starts at the committed offset 7, not at 10 nor at 0: " + resumed);
        int read = resumed.getJsonArray("data").size();

        Reply all = rest.postRaw(member(group, second) + "/offsets", "application/json", "{}");
        assertEquals(200, all.status(), "committing everything returned answers 200: " + all);
        assertEquals(7 + read, all.object().getJsonArray("data").getJsonObject(0).getJsonNumber("committed_offset")
                .longValue(), "{} commits the position after the last record returned: " + all);
        JsonObject offsets = rest.get(GROUPS + "/" + group).object().getJsonArray("offsets").getJsonObject(0);
        assertEquals(7 + read, offsets.getJsonNumber("committed_offset").longValue(),
                "the group shows the committed offset: " + offsets);
        assertEquals(204, rest.delete(member(group, second)).status(), "the second member leaves");
    }

    @Test
    void aKafkaConsumerAndAnHttpMemberSplitPartitions() {
        String topic = "http-shared";
        String group = "http-shared-readers";
        createTopic(topic, 2);
        String http = createMember(group, topic, 30_000);
        Set<Integer> ofHttp = new TreeSet<>();
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            await("the Kafka consumer and the HTTP member get one partition each").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(100));
                        ofHttp.clear();
                        ofHttp.addAll(pollAndCommit(group, http, new HashSet<>()));
                        Set<Integer> ofKafka = new TreeSet<>();
                        consumer.assignment().forEach(partition -> ofKafka.add(partition.partition()));
                        return ofHttp.size() == 1 && ofKafka.size() == 1 && disjoint(ofHttp, ofKafka);
                    });
            JsonObject described = rest.get(GROUPS + "/" + group).object();
            assertEquals(2, described.getJsonArray("members").size(), "one group with both members: " + described);
        }
        assertEquals(204, rest.delete(member(group, http)).status(), "the HTTP member leaves");
    }

    @Test
    void aMemberNotPolledWithinItsSessionTimeoutExpires() {
        String topic = "http-expiry";
        String group = "http-expiry-readers";
        createTopic(topic, 2);
        String idle = createMember(group, topic, 6_000);
        String busy = createMember(group, topic, 30_000);
        await("both members get a partition").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO)
                .until(() -> pollAndCommit(group, idle, new HashSet<>()).size() == 1
                        & pollAndCommit(group, busy, new HashSet<>()).size() == 1);
        await("the busy member gets both partitions once the idle one's session expired")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO)
                .until(() -> pollAndCommit(group, busy, new HashSet<>()).size() == 2);
        assertProblem(rest.get(member(group, idle)), 404, "member-not-found");
        assertEquals(204, rest.delete(member(group, busy)).status(), "the busy member leaves");
    }

    @Test
    void errorsAreProblems() {
        String topic = "http-errors";
        String group = "http-errors-readers";
        createTopic(topic, 2);
        assertProblem(rest.get(GROUPS + "/" + group + "/members/no-such-member"), 404, "member-not-found");
        assertProblem(rest.get(GROUPS + "/" + group + "/members/no-such-member/records"), 404, "member-not-found");
        assertProblem(rest.delete(GROUPS + "/" + group + "/members/no-such-member"), 404, "member-not-found");
        assertProblem(rest.post(GROUPS + "/" + group + "/members", Json.createObjectBuilder().build()), 400, null);
        assertProblem(rest.post(GROUPS + "/" + group + "/members", Json.createObjectBuilder()
                .add("topics", Json.createArrayBuilder().add(topic)).add("auto_offset_reset", "yesterday").build()), 400, null);
        assertProblem(rest.postRaw(GROUPS + "/" + group + "/members", "application/json", "{\"topics\": ["), 400, null);
        assertProblem(rest.post(GROUPS + "/" + group + "/members", Json.createObjectBuilder()
                .add("topics", Json.createArrayBuilder().add("http-no-such-topic")).build()), 404,
                "unknown-topic-or-partition");
        assertProblem(rest.post(GROUPS + "/" + group + "/members", Json.createObjectBuilder()
                .add("topics", Json.createArrayBuilder().add(topic)).add("session_timeout_ms", 10).build()), 400,
                "invalid-config");

        String id = createMember(group, topic, 30_000);
        assertProblem(rest.get(member(group, id) + "/records?max_records=0"), 400, null);
        assertProblem(rest.get(member(group, id) + "/records?max_wait_ms=-1"), 400, null);
        assertProblem(rest.get(member(group, id) + "/records?max_wait_ms=soon"), 400, null);
        assertProblem(rest.get(GROUPS + "/another-group/members/" + id), 404, "member-not-found");
        await("the member is assigned both partitions").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO)
                .until(() -> pollAndCommit(group, id, new HashSet<>()).size() == 2);
        assertProblem(rest.post(member(group, id) + "/offsets", Json.createObjectBuilder()
                .add("offsets", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("topic_name", topic).add("partition_id", 7).add("offset", 0))).build()), 409, "commit-failed");
        assertProblem(rest.postRaw(member(group, id) + "/offsets", "application/json", "{\"offsets\": 3}"), 400, null);

        RestClient narrow = new RestClient(server.baseUri(), NARROW, NARROW_PASSWORD);
        Reply forbiddenTopic = narrow.post(GROUPS + "/" + group + "/members", Json.createObjectBuilder()
                .add("topics", Json.createArrayBuilder().add(topic)).build());
        assertProblem(forbiddenTopic, 403, "forbidden");
        assertTrue(forbiddenTopic.object().getString("detail").contains(topic), "the 403 names the topic: " + forbiddenTopic);
        assertProblem(narrow.get(member(group, id) + "/records?max_wait_ms=0"), 403, "forbidden-member");
        Reply anonymous = RestClient.anonymous(server.baseUri()).get(member(group, id));
        assertProblem(anonymous, 401, "unauthorized");
        assertEquals(204, rest.delete(member(group, id)).status(), "the member leaves");
    }

    /** Polls once, commits what it returned, and answers the member's assigned partitions. */
    private static Set<Integer> pollAndCommit(String group, String id, Set<String> received) {
        Reply polled = rest.get(member(group, id) + "/records?max_wait_ms=200&max_records=50");
        assertEquals(200, polled.status(), "polling answers 200: " + polled);
        for (JsonValue record : polled.object().getJsonArray("data")) {
            received.add(value(record.asJsonObject()));
        }
        Reply committed = rest.postRaw(member(group, id) + "/offsets", "application/json", "{}");
        assertTrue(committed.status() == 200 || committed.status() == 409,
                "a commit succeeds, or is refused only because a rebalance began: " + committed);
        Set<Integer> partitions = new TreeSet<>();
        for (JsonValue partition : polled.object().getJsonArray("assignments")) {
            partitions.add(partition.asJsonObject().getInt("partition_id"));
        }
        return partitions;
    }

    private static boolean disjoint(Set<Integer> one, Set<Integer> other) {
        Set<Integer> both = new HashSet<>(one);
        both.retainAll(other);
        return both.isEmpty();
    }

    private static String value(JsonObject record) {
        return new String(Base64.getDecoder().decode(record.getJsonObject("value").getString("data")), StandardCharsets.UTF_8);
    }

    private static String createMember(String group, String topic, int sessionTimeoutMs) {
        Reply created = rest.post(GROUPS + "/" + group + "/members", Json.createObjectBuilder()
                .add("topics", Json.createArrayBuilder().add(topic))
                .add("auto_offset_reset", "earliest")
                .add("session_timeout_ms", sessionTimeoutMs)
                .build());
        assertEquals(201, created.status(), "creating a member answers 201: " + created);
        JsonObject member = created.object();
        assertEquals(group, member.getString("consumer_group_id"), "the member is in the group: " + member);
        assertFalse(member.getString("member_id").isEmpty(), "the member has an id: " + member);
        assertTrue(member.getString("base_uri").endsWith("/members/" + member.getString("member_id")),
                "base_uri is the member's URL: " + member);
        return member.getString("member_id");
    }

    private static String member(String group, String id) {
        return GROUPS + "/" + group + "/members/" + id;
    }

    private static void createTopic(String topic, int partitions) {
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", partitions).build());
        assertEquals(201, created.status(), "topic creation answers 201: " + created);
    }

    /** Values r-{from} … r-{from+count-1}, spread round-robin over the partitions. */
    private static void produce(String topic, int partitions, int from, int count) {
        JsonArrayBuilder records = Json.createArrayBuilder();
        for (int i = from; i < from + count; i++) {
            records.add(Json.createObjectBuilder().add("partition_id", i % partitions)
                    .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", "r-" + i)));
        }
        Reply produced = rest.post(RestClient.CLUSTER + "/topics/" + topic + "/records", records.build());
        assertEquals(200, produced.status(), "produce answers 200: " + produced);
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

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("group.id", group);
        props.put("client.id", group + "-kafka");
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

}
