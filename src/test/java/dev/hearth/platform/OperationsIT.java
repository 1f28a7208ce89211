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
import java.nio.file.Files;
import java.nio.file.Path;
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
import dev.hearth.testing.SystemPackages;

/**
 * The operations endpoints on Payara Micro: the broker's MicroProfile Metrics at {@code /metrics} after
 * produce and a consumer-group commit, the OpenAPI document at {@code /openapi}, and health. One server for
 * the class.
 */
class OperationsIT {

    private static HearthServer server;
    private static RestClient rest;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** /metrics as first scraped, right after start. */
    private static String firstScrape;
    /** Every family Hearth exports and its Prometheus type: each is in every scrape, the first one included. */
    private static final Map<String, String> FAMILIES = Map.ofEntries(
            Map.entry("hearth_topic_produced_records_total", "counter"),
            Map.entry("hearth_topic_produced_bytes_total", "counter"),
            Map.entry("hearth_topic_fetched_bytes_total", "counter"),
            Map.entry("hearth_topic_partitions", "gauge"),
            Map.entry("hearth_partition_log_start_offset", "gauge"),
            Map.entry("hearth_partition_log_end_offset", "gauge"),
            Map.entry("hearth_partition_high_watermark", "gauge"),
            Map.entry("hearth_partition_size_bytes", "gauge"),
            Map.entry("hearth_partition_segments", "gauge"),
            Map.entry("hearth_partition_online", "gauge"),
            Map.entry("hearth_offline_partitions", "gauge"),
            Map.entry("hearth_consumer_group_committed_offset", "gauge"),
            Map.entry("hearth_consumer_group_lag", "gauge"),
            Map.entry("hearth_consumer_group_total_lag", "gauge"),
            Map.entry("hearth_consumer_group_members", "gauge"),
            Map.entry("hearth_flushes_total", "counter"),
            Map.entry("hearth_flush_time_seconds_total", "counter"),
            Map.entry("hearth_kafka_requests_total", "counter"),
            Map.entry("hearth_kafka_request_duration_seconds", "histogram"),
            Map.entry("hearth_kafka_request_errors_total", "counter"),
            Map.entry("hearth_kafka_malformed_requests_total", "counter"),
            Map.entry("hearth_kafka_connections", "gauge"),
            Map.entry("hearth_kafka_connections_accepted_total", "counter"),
            Map.entry("hearth_kafka_connections_refused_total", "counter"),
            Map.entry("hearth_mdb_deliveries_total", "counter"),
            Map.entry("hearth_mdb_delivery_failures_total", "counter"),
            Map.entry("hearth_mdb_dead_lettered_total", "counter"),
            Map.entry("hearth_http_request_duration_seconds", "histogram"),
            Map.entry("hearth_job_records_consumed_total", "counter"),
            Map.entry("hearth_job_running", "gauge"),
            Map.entry("jvm_memory_max_bytes", "gauge"),
            Map.entry("process_cpu_seconds_total", "counter"));

    @BeforeAll
    static void start() {
        server = HearthServer.onFreshDataDir("operations")
                .with("hearth.health.lag.groups", "ops-watched")
                .with("hearth.health.lag.max.records", "5")
                .start();
        rest = new RestClient(server.baseUri());
        firstScrape = metrics();
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
                .until(() -> value(metrics(), "hearth_consumer_group_total_lag", groupTag).orElse(-1.0) == 3.0);
        String offsets = metrics();
        assertEquals(Optional.of(3.0), value(offsets, "hearth_consumer_group_lag", groupTag, topicTag, "partition=\"0\""),
                "partition 0: committed 2 of 5 records, 3 behind:\n" + offsets);
        assertEquals(Optional.of(0.0), value(offsets, "hearth_consumer_group_lag", groupTag, topicTag, "partition=\"1\""),
                "partition 1: committed all 5:\n" + offsets);
        assertEquals(Optional.of(2.0), value(offsets, "hearth_consumer_group_committed_offset", groupTag, topicTag,
                "partition=\"0\""), "the committed offset per partition:\n" + offsets);
        assertEquals(Optional.of(5.0), value(offsets, "hearth_partition_log_end_offset", topicTag, "partition=\"0\""),
                "partition 0's log end offset after 5 records:\n" + offsets);
        assertEquals(Optional.of(0.0), value(offsets, "hearth_partition_log_start_offset", topicTag, "partition=\"0\""),
                "nothing deleted yet, the log starts at 0:\n" + offsets);
        assertEquals(Optional.of(2.0), value(offsets, "hearth_topic_partitions", topicTag), offsets);
        assertEquals(Optional.of(0.0), value(offsets, "hearth_offline_partitions"), "no partition is offline:\n" + offsets);

        Reply read = rest.get(RestClient.CLUSTER + "/topics/" + topic + "/partitions/0/records?offset=0");
        assertEquals(200, read.status(), "reading over REST answers 200: " + read);
        await("fetched bytes are counted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> value(metrics(), "hearth_topic_fetched_bytes_total", topicTag).orElse(0.0) > 0);

        String scraped = metrics();
        assertTrue(value(scraped, "hearth_http_request_duration_seconds_count", "resource=\"TopicsResource.create\"",
                "code=\"201\"").orElse(0.0) >= 1, "REST requests are timed per resource and status code:\n" + scraped);
        double sum = value(scraped, "hearth_http_request_duration_seconds_sum", "resource=\"TopicsResource.create\"")
                .orElse(0.0);
        assertTrue(sum > 0 && sum < 60, "with their latency in seconds:\n" + scraped);
        assertEquals(value(scraped, "hearth_http_request_duration_seconds_count", "resource=\"TopicsResource.create\""),
                value(scraped, "hearth_http_request_duration_seconds_bucket", "resource=\"TopicsResource.create\"",
                        "le=\"+Inf\""), "a histogram: the +Inf bucket holds every request:\n" + scraped);
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
                .until(() -> value(metrics(), "hearth_kafka_request_duration_seconds_count", "api=\"Produce\"")
                        .orElse(0.0) > 0
                        && value(metrics(), "hearth_kafka_request_duration_seconds_count", "api=\"Fetch\"").orElse(0.0) > 0);
        String text = metrics();
        for (String api : List.of("Produce", "Fetch", "Metadata")) {
            String tag = "api=\"" + api + "\"";
            double count = value(text, "hearth_kafka_request_duration_seconds_count", tag).orElse(0.0);
            assertTrue(count > 0, api + " requests are counted:\n" + text);
            assertEquals(Optional.of(count), value(text, "hearth_kafka_request_duration_seconds_bucket", tag, "le=\"+Inf\""),
                    "the +Inf bucket of " + api + " holds every request:\n" + text);
            assertTrue(value(text, "hearth_kafka_request_duration_seconds_bucket", tag, "le=\"0.0005\"").orElse(-1.0) >= 0,
                    "the smallest bucket of " + api + " is exported:\n" + text);
            assertTrue(value(text, "hearth_kafka_request_duration_seconds_sum", tag).orElse(0.0) > 0,
                    "the latency sum of " + api + " is exported:\n" + text);
        }
        assertTrue(value(text, "hearth_kafka_requests_total", "api=\"Produce\"").orElse(0.0) > 0,
                "requests are counted per API:\n" + text);
        assertTrue(value(text, "hearth_kafka_connections_accepted_total").orElse(0.0) >= 2,
                "the producer's and the consumer's connections were accepted:\n" + text);
    }

    @Test
    void theFirstScrapeHasEveryFamilyWithItsPrometheusType() {
        for (Map.Entry<String, String> family : FAMILIES.entrySet()) {
            assertTrue(firstScrape.contains("\n# TYPE " + family.getKey() + " " + family.getValue() + "\n"),
                    family.getKey() + " is typed " + family.getValue() + " from the first scrape on:\n" + firstScrape);
        }
        assertTrue(value(firstScrape, "hearth_offline_partitions").isPresent()
                        && value(firstScrape, "hearth_kafka_connections").isPresent(),
                "broker-wide series have samples in the first scrape:\n" + firstScrape);
        assertTrue(!firstScrape.contains("mp_scope") && !firstScrape.contains("# TYPE hearth_kafka_requests_total gauge"),
                "Payara's MicroProfile Metrics exporter no longer answers /metrics:\n" + firstScrape);
    }

    /**
     * Prometheus's own parser and linter, {@code promtool check metrics} (Debian package {@code prometheus}), accepts a
     * scrape taken after Kafka and REST traffic: it parses the text format, and checks counters end in
     * {@code _total}, units are base units and every family has HELP and TYPE.
     */
    @Test
    void promtoolAcceptsTheScrape() throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        SystemPackages.requireInstalled(Files.isExecutable(promtool), "promtool", "prometheus");
        produceAndCommit("ops-promtool", "ops-promtool-readers");
        String text = metrics();
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var stdin = check.getOutputStream()) {
            stdin.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String verdict = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), "promtool check metrics finds no problem: " + verdict + "\n" + text);
    }

    /**
     * Grafana's dashboard docs/grafana/hearth.json works on a running Hearth: after traffic of every kind it shows
     * (produce, fetch, a group commit, a failed Kafka request, REST requests with 2xx and 4xx answers), every series
     * selector of every panel's query has a sample in the scrape, its label matchers satisfied.
     */
    @Test
    void everyDashboardPanelQueryHasData() throws Exception {
        JsonObject dashboard;
        try (var reader = Json.createReader(Files.newBufferedReader(Path.of(System.getProperty("hearth.dashboard",
                "../docs/grafana/hearth.json"))))) {
            dashboard = reader.readObject();
        }
        produceAndCommit("ops-dashboard", "ops-dashboard-readers");
        Reply missing = rest.get(RestClient.CLUSTER + "/topics/ops-no-such-topic");
        assertEquals(404, missing.status(), "an unknown topic answers 404: " + missing);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", server.bootstrapServers()))) {
            java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class,
                    () -> admin.deleteTopics(List.of("ops-no-such-topic")).all().get(),
                    "deleting a topic that does not exist fails");
            assertTrue(failed.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException,
                    failed.toString());
        }
        List<String> expressions = new java.util.ArrayList<>();
        for (JsonValue panel : dashboard.getJsonArray("panels")) {
            for (JsonValue target : panel.asJsonObject().getJsonArray("targets")) {
                expressions.add(target.asJsonObject().getString("expr"));
            }
        }
        assertTrue(expressions.size() >= 15, "the dashboard has its panels: " + expressions);
        String[] scrape = {""};
        List<String> problems = new java.util.ArrayList<>();
        try {
            await("every selector of every panel has samples").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        scrape[0] = metrics();
                        List<PromQlSelectors.Sample> samples = PromQlSelectors.samples(scrape[0]);
                        problems.clear();
                        for (String expr : expressions) {
                            List<PromQlSelectors.Selector> unmatched = PromQlSelectors.unmatched(expr, samples);
                            if (!unmatched.isEmpty()) {
                                problems.add(expr + " -> no sample for " + unmatched);
                            }
                        }
                        return problems.isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below with the selectors that found nothing
        }
        assertTrue(problems.isEmpty(), "selectors without data: " + problems + "\n" + scrape[0]);
        // The template variables' queries, label_values(metric, label), find values too.
        for (JsonValue variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
            String definition = variable.asJsonObject().getString("definition", "");
            Matcher labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*(\\w+)\\s*\\)")
                    .matcher(definition);
            if (labelValues.matches()) {
                assertTrue(PromQlSelectors.samples(scrape[0]).stream().anyMatch(sample -> sample.name()
                                .equals(labelValues.group(1)) && sample.labels().containsKey(labelValues.group(2))),
                        "the variable query " + definition + " finds values:\n" + scrape[0]);
            }
        }
        // The evaluator is not vacuous: a selector whose labels no series has, or a name nobody exports, has no data.
        List<PromQlSelectors.Sample> samples = PromQlSelectors.samples(scrape[0]);
        assertEquals(1, PromQlSelectors.unmatched("sum by (api) (rate(hearth_kafka_requests_total{api=\"NoSuchApi\"}[5m]))",
                samples).size(), "a label matcher that no series satisfies fails");
        assertEquals(1, PromQlSelectors.unmatched("rate(hearth_no_such_metric_total[5m])", samples).size(),
                "an unknown metric fails");
        assertTrue(PromQlSelectors.unmatched("sum by (api, error) (rate(hearth_kafka_request_errors_total"
                        + "{api=\"DeleteTopics\",error=\"UNKNOWN_TOPIC_OR_PARTITION\"}[5m]))", samples).isEmpty(),
                "the failed DeleteTopics is counted per API and error code:\n" + scrape[0]);
        assertTrue(PromQlSelectors.unmatched("hearth_http_request_duration_seconds_count{code=\"404\"}", samples)
                .isEmpty(), "the REST 404 is counted:\n" + scrape[0]);
    }

    /** 10 records to a new 2-partition topic over Kafka, read back, and a commit of offset 4 in partition 0. */
    private static void produceAndCommit(String topic, String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", 2).build());
        assertEquals(201, created.status(), "topic creation answers 201: " + created);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int[] read = {0};
            await("the consumer fetches partition 0").atMost(Duration.ofSeconds(30))
                    .until(() -> (read[0] += consumer.poll(Duration.ofMillis(200)).count()) >= 5);
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(4)));
        }
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
