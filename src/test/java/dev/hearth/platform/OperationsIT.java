package dev.hearth.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
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

import dev.hearth.platform.RestClient.Reply;

/**
 * The operations endpoints on Payara Micro: the broker's MicroProfile Metrics at {@code /metrics} after
 * produce and a consumer-group commit, the OpenAPI document at {@code /openapi}, and health. One server for
 * the class.
 */
class OperationsIT {

    private static HearthServer server;
    private static RestClient rest;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = HearthServer.onFreshDataDir("operations")
                .with("hearth.health.lag.groups", "ops-watched")
                .with("hearth.health.lag.max.records", "5")
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
    void metricsShowProduceSizesAndGroupLag() {
        String topic = "ops-orders";
        String group = "ops-readers";
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", 2).build());
        assertEquals(201, created.status(), "topic creation answers 201: " + created);
        JsonArrayBuilder records = Json.createArrayBuilder();
        for (int i = 0; i < 10; i++) {
            records.add(Json.createObjectBuilder().add("partition_id", i % 2)
                    .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", "order-" + i)));
        }
        Reply produced = rest.post(RestClient.CLUSTER + "/topics/" + topic + "/records", records.build());
        assertEquals(200, produced.status(), "produce over REST answers 200: " + produced);

        String topicTag = "topic=\"" + topic + "\"";
        await("the topic's produced-records gauge reaches 10").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> value(metrics(), "hearth_topic_produced_records_total", topicTag).orElse(-1.0) >= 10);
        String text = metrics();
        assertEquals(Optional.of(10.0), value(text, "hearth_topic_produced_records_total", topicTag),
                "exactly the 10 records produced over REST are counted:\n" + text);
        assertTrue(value(text, "hearth_topic_produced_bytes_total", topicTag).orElse(0.0) > 0,
                "produced bytes are counted:\n" + text);
        assertTrue(value(text, "hearth_partition_size_bytes", "partition=\"1\"", topicTag).orElse(0.0) > 0,
                "partition 1 has a size line with both tags:\n" + text);
        assertTrue(value(text, "hearth_flushes_total").orElse(0.0) > 0,
                "durable appends were flushed (hearth.flush.interval.ms=0):\n" + text);
        assertTrue(value(text, "hearth_flush_time_seconds_total").isPresent(), "flush time is exported:\n" + text);

        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(5)));
        }
        String groupTag = "group=\"" + group + "\"";
        await("the group's lag gauge shows 3 + 0 records behind").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> value(metrics(), "hearth_consumer_group_lag", groupTag).orElse(-1.0) == 3.0);

        Reply read = rest.get(RestClient.CLUSTER + "/topics/" + topic + "/partitions/0/records?offset=0");
        assertEquals(200, read.status(), "reading over REST answers 200: " + read);
        await("fetched bytes are counted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> value(metrics(), "hearth_topic_fetched_bytes_total", topicTag).orElse(0.0) > 0);

        String scraped = metrics();
        assertTrue(value(scraped, "hearth_http_request_seconds_count", "resource=\"TopicsResource.create\"",
                "status=\"2xx\"").orElse(0.0) >= 1, "REST requests are timed per resource:\n" + scraped);
        assertTrue(value(scraped, "hearth_http_request_seconds_sum", "resource=\"TopicsResource.create\"").orElse(0.0) > 0,
                "with their latency:\n" + scraped);
    }

    @Test
    void metricsShowKafkaRequestLatencyHistograms() {
        String topic = "ops-latency";
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = consumer("ops-latency-readers")) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            int[] read = {0};
            await("the consumer fetches the records").atMost(Duration.ofSeconds(30))
                    .until(() -> (read[0] += consumer.poll(Duration.ofMillis(200)).count()) >= 20);
        }
        await("Produce latency is exported as a histogram").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> value(metrics(), "hearth_kafka_request_latency_seconds_count", "api=\"Produce\"")
                        .orElse(0.0) > 0
                        && value(metrics(), "hearth_kafka_request_latency_seconds_count", "api=\"Fetch\"").orElse(0.0) > 0);
        String text = metrics();
        for (String api : List.of("Produce", "Fetch", "Metadata")) {
            String tag = "api=\"" + api + "\"";
            double count = value(text, "hearth_kafka_request_latency_seconds_count", tag).orElse(0.0);
            assertTrue(count > 0, api + " requests are counted:\n" + text);
            assertEquals(Optional.of(count), value(text, "hearth_kafka_request_latency_seconds_bucket", tag, "le=\"+Inf\""),
                    "the +Inf bucket of " + api + " holds every request:\n" + text);
            assertTrue(value(text, "hearth_kafka_request_latency_seconds_bucket", tag, "le=\"0.0005\"").orElse(-1.0) >= 0,
                    "the smallest bucket of " + api + " is exported:\n" + text);
            assertTrue(value(text, "hearth_kafka_request_latency_seconds_sum", tag).orElse(0.0) > 0,
                    "the latency sum of " + api + " is exported:\n" + text);
        }
        assertTrue(value(text, "hearth_kafka_requests_total").orElse(0.0) > 0, "all requests are counted:\n" + text);
    }

    @Test
    void openApiDocumentsEveryResourceAndTheProblemSchema() {
        HttpResponse<String> yaml = get("/openapi", "*/*");
        assertEquals(200, yaml.statusCode(), "/openapi answers 200: " + yaml.body());
        String document = yaml.body();
        for (String path : List.of("/api/v3/clusters/{clusterId}", "/api/v3/clusters/{clusterId}/topics",
                "/api/v3/clusters/{clusterId}/topics/{topic}/records", "/api/v3/clusters/{clusterId}/consumer-groups",
                "/api/v3/clusters/{clusterId}/users", "/api/v3/clusters/{clusterId}/users/{user}",
                "/api/v3/clusters/{clusterId}/acls")) {
            assertTrue(document.contains(path + ":"), "the document has path " + path + ":\n" + document);
        }
        assertTrue(document.contains("title: Hearth"), "the application's title:\n" + document);
        assertTrue(document.contains("Problem:") && document.contains("#/components/schemas/Problem")
                        && document.contains("application/problem+json"),
                "errors refer to the Problem schema as application/problem+json:\n" + document);

        HttpResponse<String> json = get("/openapi?format=JSON", "application/json");
        assertEquals(200, json.statusCode(), "/openapi?format=JSON answers 200: " + json.body());
        JsonObject parsed = Json.createReader(new java.io.StringReader(json.body())).readObject();
        JsonObject responses = parsed.getJsonObject("paths").getJsonObject("/api/v3/clusters/{clusterId}/topics")
                .getJsonObject("get").getJsonObject("responses");
        for (String code : List.of("4XX", "5XX")) {
            assertTrue(responses.containsKey(code) && responses.getJsonObject(code).getJsonObject("content")
                    .containsKey("application/problem+json"), code + " errors are documented as problems: " + responses);
        }
        assertTrue(responses.keySet().stream().anyMatch(code -> !code.endsWith("XX")),
                "the success response is still documented: " + responses);
        JsonObject problem = parsed.getJsonObject("components").getJsonObject("schemas").getJsonObject("Problem");
        assertTrue(problem.getJsonObject("properties").keySet().containsAll(
                List.of("type", "title", "status", "detail", "instance")), "Problem has RFC 9457's members: " + problem);
    }

    @Test
    void healthIsUpWithTheEngineCheck() {
        for (String path : List.of("/health/live", "/health/ready")) {
            Reply reply = rest.get(path);
            assertEquals(200, reply.status(), path + " answers 200: " + reply);
            JsonObject health = reply.object();
            assertEquals("UP", health.getString("status"), path + " is UP: " + reply);
            assertTrue(health.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                    .anyMatch(check -> check.getString("name").equals("hearth-engine")
                            && check.getString("status").equals("UP")), path + " has hearth-engine UP: " + reply);
        }
    }

    @Test
    void readinessIsDownWhileAWatchedGroupLagsTooFar() {
        String topic = "ops-watched-orders";
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", 1).build());
        assertEquals(201, created.status(), created.toString());
        JsonArrayBuilder records = Json.createArrayBuilder();
        for (int i = 0; i < 10; i++) {
            records.add(Json.createObjectBuilder()
                    .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", "order-" + i)));
        }
        assertEquals(200, rest.post(RestClient.CLUSTER + "/topics/" + topic + "/records", records.build()).status());
        try (KafkaConsumer<String, String> consumer = consumer("ops-watched")) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(2)));
            Reply lagging = rest.get("/health/ready");
            assertEquals(503, lagging.status(), "8 records behind, more than 5: not ready: " + lagging);
            assertTrue(lagging.body().contains("\"ops-watched\":\"8\""), lagging.body());
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(6)));
            Reply caughtUp = rest.get("/health/ready");
            assertEquals(200, caughtUp.status(), "4 records behind: ready again: " + caughtUp);
        }
    }

    private static String metrics() {
        HttpResponse<String> response = get("/metrics", "text/plain");
        assertEquals(200, response.statusCode(), "/metrics answers 200: " + response.body());
        return response.body();
    }

    /**
     * The value of the first sample of {@code name} whose labels contain every one of {@code labels}
     * (each {@code key="value"}), ignoring other labels such as {@code mp_scope}.
     */
    private static Optional<Double> value(String text, String name, String... labels) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE);
        Matcher matcher = sample.matcher(text);
        while (matcher.find()) {
            String found = matcher.group(1) == null ? "" : matcher.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Optional.of(Double.parseDouble(matcher.group(2)));
            }
        }
        return Optional.empty();
    }

    private static HttpResponse<String> get(String path, String accept) {
        HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(path)).header("Accept", accept).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("group.id", group);
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
