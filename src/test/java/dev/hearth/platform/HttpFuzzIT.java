package dev.hearth.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed HTTP input against a real Payara Micro: the inputs external testing found to cause 500s
 * or to leak internals, topic names of Kafka's full length over HTTP and the Kafka protocol, and a seeded
 * random mutation loop over the main {@code /api/v3} endpoints (bodies, headers, paths, query strings, methods,
 * content types). The invariants: no status of 500 or more; every 4xx is an {@code application/problem+json}
 * with type, title, status and detail; no body holds a stack trace, a Java class or source name, or the data
 * directory's path. The seed is printed and can be set with {@code -Dhearth.fuzz.seed}; the number of random
 * requests with {@code -Dhearth.fuzz.requests}.
 */
class HttpFuzzIT {

    private static final long SEED = Long.getLong("hearth.fuzz.seed", 0x4845415254480AL);
    private static final int RANDOM_REQUESTS = Integer.getInteger("hearth.fuzz.requests", 3000);
    private static final String CLUSTER = RestClient.CLUSTER;
    private static final String TOPIC = "fuzz";
    private static final String GROUP = "fuzz-group";
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(1);
    /** Failures reported in full; the rest are only counted. */
    private static final int MAX_REPORTED = 25;
    private static final String ADMIN = basic(HearthServer.ADMIN_USER + ":" + HearthServer.ADMIN_PASSWORD);
    private static final String PRODUCER = basic(HearthServer.PRODUCER_USER + ":" + HearthServer.PRODUCER_PASSWORD);

    private static HearthServer server;
    private static HttpClient http;
    private static List<Pattern> internals;

    @BeforeAll
    static void start() {
        server = HearthServer.onFreshDataDir("http-fuzz").start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
        internals = List.of(Pattern.compile("Exception"), Pattern.compile("\\bat dev\\."),
                Pattern.compile("\\bat java\\."), Pattern.compile("\\.java:"), Pattern.compile("\\bat org\\."),
                Pattern.compile(Pattern.quote(server.dataDir().toAbsolutePath().toString())),
                Pattern.compile(Pattern.quote(server.dataDir().getFileName().toString())));
        RestClient rest = new RestClient(server.baseUri());
        assertEquals(201, rest.post(CLUSTER + "/topics", Json.createObjectBuilder().add("topic_name", TOPIC)
                .add("partitions_count", 2).build()).status(), "the fuzzed topic is created");
        assertEquals(200, rest.post(CLUSTER + "/topics/" + TOPIC + "/records", Json.createObjectBuilder()
                .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", "seed")).build()).status(),
                "the fuzzed topic has a record");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void inputsFromTheExternalTestAreClientErrorsWithoutInternals() {
        String topics = CLUSTER + "/topics";
        String records = topics + "/" + TOPIC + "/records";
        List<String> failures = new ArrayList<>();
        check(failures, 401, send("GET", topics, "Basic YWRtaW4=", null, null), "Basic 'admin' without a colon");
        check(failures, 401, send("GET", topics, "Basic !!!!", null, null), "Basic with invalid base64");
        check(failures, 401, send("GET", topics, "Basic", null, null), "Basic without credentials");
        check(failures, 401, send("GET", topics, "Bearer x.y.z", null, null), "another scheme");
        check(failures, 401, send("GET", topics, basic(HearthServer.ADMIN_USER + ":wrong"), null, null),
                "a wrong password");
        for (String number : List.of("2147483648", "-2147483649", "9223372036854775808", "99999999999999999999",
                "1e999999999", "-1e999999999", "1E-999999999", "1.5", "9".repeat(100_000))) {
            check(failures, 400, send("POST", topics, ADMIN, "application/json",
                    "{\"topic_name\":\"n\",\"partitions_count\":" + number + "}"), "partitions_count " + clip(number));
            check(failures, 400, send("POST", records, ADMIN, "application/json",
                    "{\"partition_id\":" + number + ",\"value\":{\"type\":\"STRING\",\"data\":\"v\"}}"),
                    "partition_id " + clip(number));
        }
        check(failures, 400, send("POST", topics, ADMIN, "application/json",
                "{\"topic_name\":\"n\",\"partitions_count\":" + (Integer.MAX_VALUE) + "}"), "2^31-1 partitions");
        for (int depth : List.of(1_000, 5_000, 100_000)) {
            check(failures, 400, send("POST", topics, ADMIN, "application/json",
                    "[".repeat(depth) + "]".repeat(depth)), "arrays nested " + depth + " deep");
            check(failures, 400, send("POST", records, ADMIN, "application/json",
                    "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)), "objects nested " + depth + " deep");
        }
        check(failures, 400, send("POST", topics, ADMIN, "application/json", "{\"topic_name\":"), "truncated JSON");
        check(failures, 400, send("POST", topics, ADMIN, "application/json", ""), "an empty body");
        check(failures, 400, send("POST", topics, ADMIN, "application/json", "\u00ff\u00fe{}"), "bytes before JSON");
        check(failures, 415, send("POST", topics, ADMIN, "text/plain", "{}"), "a text/plain body");
        check(failures, 400, send("POST", topics, ADMIN, ";;;", "{}"), "an unparseable Content-Type");
        check(failures, 405, send("PATCH", topics, ADMIN, null, null), "an unsupported method");
        check(failures, 406, sendAccepting(topics, "text/html"), "an Accept the API cannot produce");
        String read = topics + "/" + TOPIC + "/partitions/0/records";
        check(failures, 400, send("GET", read + "?offset=abc", ADMIN, null, null), "a non-numeric offset");
        check(failures, 400, send("GET", read + "?offset=99999999999999999999", ADMIN, null, null), "a huge offset");
        check(failures, 400, send("GET", read + "?offset=0&max_records=2147483648", ADMIN, null, null),
                "max_records beyond int");
        check(failures, 400, send("GET", topics + "/" + TOPIC + "/partitions/x/records?offset=0", ADMIN, null, null),
                "a non-numeric partition");
        check(failures, 404, send("GET", CLUSTER + "/no-such-thing", ADMIN, null, null), "an unknown path");
        check(failures, 404, send("GET", "/console/no-such-file.css", null, null, null), "an unknown console file");
        assertTrue(failures.isEmpty(), failures.size() + " known bad inputs were mishandled:\n"
                + String.join("\n", failures));
    }

    @Test
    void topicNamesOfKafkasFullLengthWorkOverHttpAndTheKafkaProtocol() throws Exception {
        for (int length : List.of(219, 230, 249)) {
            String name = name(length, 'h');
            Reply created = send("POST", CLUSTER + "/topics", ADMIN, "application/json",
                    "{\"topic_name\":\"" + name + "\",\"partitions_count\":2}");
            assertEquals(201, created.status(), "a " + length + "-character topic is created over HTTP: " + created);
            Reply produced = send("POST", CLUSTER + "/topics/" + name + "/records", ADMIN, "application/json",
                    "{\"partition_id\":1,\"value\":{\"type\":\"STRING\",\"data\":\"long\"}}");
            assertEquals(200, produced.status(), "a record is produced to it: " + produced);
            assertEquals(List.of("long"), values(name, 1), "and read back");
            Reply deleted = send("DELETE", CLUSTER + "/topics/" + name, ADMIN, null, null);
            assertEquals(204, deleted.status(), "and the topic is deleted: " + deleted);
            assertEquals(404, send("GET", CLUSTER + "/topics/" + name, ADMIN, null, null).status(),
                    "a deleted " + length + "-character topic is gone");
        }

        String name = name(249, 'k');
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 120_000);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
            Properties producerConfig = new Properties();
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrapServers());
            producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(name, 0, "k", "over kafka")).get();
            }
            assertEquals(List.of("over kafka"), values(name, 0),
                    "a record produced over the Kafka protocol to a 249-character topic is read over HTTP");
            admin.deleteTopics(List.of(name)).all().get();
            assertFalse(admin.listTopics().names().get().contains(name),
                    "the topic is deleted over the Kafka protocol");
        }
        assertFalse(server.log().contains("File name too long"), "no file name overflowed; see " + server.logFile());
    }

    @Test
    void randomMutationsNeverCauseServerErrorsOrLeakInternals() {
        System.out.println("HttpFuzzIT seed " + SEED + " (-Dhearth.fuzz.seed), " + RANDOM_REQUESTS + " requests");
        Random random = new Random(SEED);
        Mutator mutator = new Mutator(random);
        List<String> failures = new ArrayList<>();
        int failed = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < RANDOM_REQUESTS; i++) {
            Fuzzed request = mutator.next(i);
            Reply reply = send(request.method(), request.path(), request.authorization(), request.contentType(),
                    request.body(), request.headers());
            statuses.merge(reply.status(), 1, Integer::sum);
            String problem = violation(reply, request.method());
            if (problem != null) {
                failed++;
                if (failures.size() < MAX_REPORTED) {
                    failures.add("#" + i + " " + request + "\n  -> " + problem + ": " + reply);
                }
            }
        }
        System.out.println("HttpFuzzIT statuses " + statuses);
        assertTrue(failed == 0, failed + " of " + RANDOM_REQUESTS + " mutated requests broke an invariant (seed "
                + SEED + "; first " + failures.size() + "):\n" + String.join("\n", failures));
        Reply healthy = send("GET", CLUSTER, ADMIN, null, null);
        assertEquals(200, healthy.status(), "the server still answers after the fuzzing: " + healthy);
    }

    /** Why {@code reply} breaks an invariant, or null when it does not. */
    private static String violation(Reply reply, String method) {
        if (reply.status() >= 500) {
            return "a server error";
        }
        for (Pattern pattern : internals) {
            if (pattern.matcher(reply.body()).find()) {
                return "internals in the body (" + pattern + ")";
            }
        }
        if (reply.status() < 400 || method.equals("HEAD")) {
            return null;
        }
        if (!reply.contentType().startsWith("application/problem+json")) {
            return "a " + reply.status() + " that is not a problem";
        }
        try {
            JsonObject problem = Json.createReader(new StringReader(reply.body())).readObject();
            for (String member : List.of("type", "title", "detail")) {
                if (problem.getString(member, "").isBlank()) {
                    return "a problem without '" + member + "'";
                }
            }
            if (problem.getInt("status", -1) != reply.status()) {
                return "a problem whose status differs from the HTTP status";
            }
        } catch (RuntimeException e) {
            return "a problem body that is not a JSON object";
        }
        return null;
    }

    private static void check(List<String> failures, int expectedStatus, Reply reply, String input) {
        String problem = violation(reply, "GET");
        if (reply.status() != expectedStatus) {
            problem = "status " + reply.status() + " instead of " + expectedStatus;
        }
        if (problem != null) {
            failures.add(input + " -> " + problem + ": " + reply);
        }
    }

    private static List<String> values(String topic, int partition) {
        Reply reply = send("GET", CLUSTER + "/topics/" + topic + "/partitions/" + partition + "/records?offset=0",
                ADMIN, null, null);
        assertEquals(200, reply.status(), "the partition is read over HTTP: " + reply);
        return Json.createReader(new StringReader(reply.body())).readObject().getJsonArray("data").stream()
                .map(record -> record.asJsonObject().getJsonObject("value").getString("data"))
                .map(data -> new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8)).toList();
    }

    private static Reply sendAccepting(String path, String accept) {
        return send("GET", path, ADMIN, null, null, Map.of("Accept", accept));
    }

    private static Reply send(String method, String path, String authorization, String contentType, String body) {
        return send(method, path, authorization, contentType, body, Map.of());
    }

    private static Reply send(String method, String path, String authorization, String contentType, String body,
                              Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        headers.forEach(builder::header);
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + clip(path) + " got no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** A legal topic name of {@code length} characters that uses every character class Kafka allows. */
    private static String name(int length, char fill) {
        return ("Ab9._-" + String.valueOf(fill).repeat(length)).substring(0, length);
    }

    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…(" + text.length() + " chars)";
    }

    /** One HTTP answer. */
    private record Reply(int status, String contentType, String body) {

        @Override
        public String toString() {
            return status + " " + contentType + " " + clip(body);
        }
    }

    /** One mutated request. */
    private record Fuzzed(String method, String path, String authorization, String contentType, String body,
                          Map<String, String> headers) {

        @Override
        public String toString() {
            return method + " " + clip(path) + " auth=" + clip(String.valueOf(authorization)) + " type="
                    + contentType + " headers=" + headers.keySet() + " body=" + (body == null ? "-" : clip(body));
        }
    }

    /** A valid request to start from: method, path (with query) and body. */
    private record Endpoint(String method, String path, JsonValue body) {
    }

    /**
     * Derives requests from valid ones by one to three random mutations each. Bodies are mutated as JSON trees
     * (a member replaced by a hostile value, removed or added) or as text (cut, spliced, replaced by junk); paths
     * by replacing, adding or dropping a segment, percent-encoded so the URI is always legal. Not thread-safe.
     */
    private static final class Mutator {

        /** Stands for the hostile token in a mutated tree until it is written out. */
        private static final String PLACEHOLDER = "@@hostile@@";
        /** No TRACE: the HTTP container refuses it with a bare 405 before any application (enabled, it echoes). */
        private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD",
                "OPTIONS", "FOO");
        private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json",
                "application/json; charset=UTF-8", "application/json; charset=latin-1", "application/json; charset=x",
                "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=", ";;;", "/",
                "application/problem+json", "application/*", "*/*", "application/json;;", "x/y; a=\"", "");
        private static final List<String> ACCEPTS = List.of("application/json", "text/html", "*/*", "application/xml",
                "application/problem+json", ";q=x", "application/json;q=0", "*/*;q=abc");
        /** Raw JSON tokens: values that are hostile in type, size or range. */
        private static final List<String> HOSTILE_VALUES = List.of("null", "true", "[]", "{}", "\"\"", "0", "-1",
                "1.5", "-0", "1e3", "1e999999999", "-1e999999999", "1E-999999999", "2147483647", "2147483648",
                "-2147483649", "9223372036854775807", "9223372036854775808", "99999999999999999999999999",
                "\"" + "x".repeat(300) + "\"", "\"a/b\"", "\"..\"", "\"\\u0000\"", "\"\\ud800\"", "\"\u00e9\u6f22\"",
                "\"%s%n\"", "\"${jndi:ldap://x}\"", "\"earliest\"", "\"BINARY\"", "\"!!!!\"", "[1,2,3]",
                "{\"name\":\"retention.ms\",\"value\":\"x\"}", "\"" + "9".repeat(2000) + "\"");
        /** No backslash: the HTTP container refuses an encoded one with a bare 400 before any application. */
        private static final List<String> HOSTILE_SEGMENTS = List.of("", ".", "..", "x".repeat(300), "a/b", "a|b",
                "%", "%25", "a b", "a;b=c", "\u00e9\u6f22", "~", "-1", "2147483648", "0", "1e3", "null", "fuzz",
                "*", "?", "#", "\u2028", "CON", ".hidden", "a\tb", TOPIC, GROUP, "hearth", "v3", "records",
                "members", "offsets:reset", ":reset");
        private static final List<String> QUERY_NAMES = List.of("offset", "timestamp", "max_records", "max_bytes",
                "max_wait_ms", "limit", "", "x", "offset[]");
        private static final List<String> QUERY_VALUES = List.of("", "0", "1", "-1", "abc", "1.5", "1e3",
                "2147483648", "99999999999999999999", "9".repeat(500), "%", "&", "=", "\u00e9", " 1 ", "0x10", "+1",
                "NaN");
        private static final List<String> AUTHORIZATIONS = List.of(ADMIN, ADMIN, ADMIN, PRODUCER, "Basic YWRtaW4=",
                "Basic !!!!", "Basic", "Basic ", "Basic " + "A".repeat(3000), "Bearer x", "basic " + ADMIN.substring(6),
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', (byte) 0xfe}),
                basic(":"), basic("\u00e9:\u00e9"), "Digest username=\"a\"", "Basic Og==Og==");
        /**
         * Header values stay printable ASCII, which is all the HTTP client sends; and all headers together stay
         * under 8 KiB, beyond which the HTTP container refuses the request with a bare 400 before any application.
         */
        private static final List<String> HEADER_VALUES = List.of("", "0", "-1", "abc", "*", "bytes=0-1,5-2",
                "gzip", "deflate, br", "\"x\"", "a".repeat(1500), "1.2.3.4, ::1", "DELETE", "null");
        private static final List<String> EXTRA_HEADERS = List.of("X-Forwarded-For", "X-HTTP-Method-Override",
                "Accept-Encoding", "Accept-Charset", "If-None-Match", "Range", "Origin", "Cookie", "Content-Encoding",
                "Transfer-Encoding-X");

        private final Random random;
        private final List<Endpoint> endpoints;

        Mutator(Random random) {
            this.random = random;
            String topics = CLUSTER + "/topics";
            String groups = CLUSTER + "/consumer-groups";
            JsonValue record = Json.createObjectBuilder().add("partition_id", 0)
                    .add("key", Json.createObjectBuilder().add("type", "STRING").add("data", "k"))
                    .add("value", Json.createObjectBuilder().add("type", "JSON").add("data",
                            Json.createObjectBuilder().add("n", 1)))
                    .add("headers", Json.createArrayBuilder().add(Json.createObjectBuilder().add("name", "h")
                            .add("value", "aGk="))).build();
            this.endpoints = List.of(
                    new Endpoint("GET", CLUSTER, null),
                    new Endpoint("GET", topics, null),
                    new Endpoint("POST", topics, Json.createObjectBuilder().add("topic_name", "fz")
                            .add("partitions_count", 1).add("configs", Json.createArrayBuilder()
                                    .add(Json.createObjectBuilder().add("name", "retention.ms").add("value", "60000")))
                            .build()),
                    new Endpoint("GET", topics + "/" + TOPIC, null),
                    new Endpoint("DELETE", topics + "/fz-gone", null),
                    new Endpoint("POST", topics + "/" + TOPIC + "/configs:alter", Json.createObjectBuilder()
                            .add("data", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                    .add("name", "retention.ms").add("value", "600000"))).build()),
                    // No hostile value is a partition count from 4 to 10,000: the topic would really grow.
                    new Endpoint("POST", topics + "/" + TOPIC + "/partitions", Json.createObjectBuilder()
                            .add("partitions_count", 3).build()),
                    new Endpoint("POST", topics + "/" + TOPIC + "/records", record),
                    new Endpoint("POST", topics + "/" + TOPIC + "/records", Json.createArrayBuilder().add(record)
                            .add(Json.createObjectBuilder().add("value", Json.createObjectBuilder()
                                    .add("type", "BINARY").add("data", "AAEC"))).build()),
                    new Endpoint("GET", topics + "/" + TOPIC + "/partitions/0/records?offset=0&max_records=10", null),
                    new Endpoint("GET", topics + "/" + TOPIC + "/partitions/1/records?timestamp=0&max_bytes=1000",
                            null),
                    new Endpoint("GET", topics + "/" + TOPIC + "/records:search?text=k&partition=0&max_scanned_records=100"
                            + "&max_matches=5", null),
                    new Endpoint("GET", CLUSTER + "/activity", null),
                    new Endpoint("GET", groups, null),
                    new Endpoint("GET", groups + "/" + GROUP, null),
                    new Endpoint("POST", groups + "/" + GROUP + "/offsets:reset", Json.createObjectBuilder()
                            .add("to", "latest").add("topics", Json.createArrayBuilder().add(TOPIC))
                            .add("dry_run", true).build()),
                    new Endpoint("POST", groups + "/" + GROUP + "/offsets:reset", Json.createObjectBuilder()
                            .add("to", "earliest").add("topics", Json.createArrayBuilder().add(TOPIC)).build()),
                    new Endpoint("POST", groups + "/" + GROUP + "/offsets:reset", Json.createObjectBuilder()
                            .add("to", "offsets").add("offsets", Json.createArrayBuilder()
                                    .add(Json.createObjectBuilder().add("topic_name", TOPIC).add("partition_id", 0)
                                            .add("offset", 0))).build()),
                    new Endpoint("DELETE", groups + "/fz-no-group", null),
                    new Endpoint("GET", CLUSTER + "/jobs", null),
                    new Endpoint("POST", CLUSTER + "/jobs/fz-job:reset", Json.createObjectBuilder()
                            .add("to", "timestamp").add("timestamp", 0).build()),
                    new Endpoint("GET", CLUSTER + "/audit-entries?limit=5", null));
        }

        Fuzzed next(int index) {
            Endpoint endpoint = pick(endpoints);
            String method = endpoint.method();
            String path = endpoint.path();
            String body = endpoint.body() == null ? null : endpoint.body().toString();
            String contentType = body == null ? null : "application/json";
            String authorization = ADMIN;
            Map<String, String> headers = new LinkedHashMap<>();
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                switch (random.nextInt(10)) {
                    case 0, 1, 2 -> body = endpoint.body() == null || random.nextInt(4) == 0
                            ? textMutation(body == null ? "{}" : body)
                            : treeMutation(endpoint.body());
                    case 3 -> path = pathMutation(path);
                    case 4 -> path = queryMutation(path);
                    case 5 -> method = pick(METHODS);
                    case 6 -> contentType = pick(CONTENT_TYPES);
                    case 7 -> authorization = random.nextInt(8) == 0 ? null : pick(AUTHORIZATIONS);
                    case 8 -> headers.put("Accept", pick(ACCEPTS));
                    default -> headers.put(pick(EXTRA_HEADERS), pick(HEADER_VALUES));
                }
            }
            // A creation that succeeds gets a fresh name, so that the fuzzing does not mostly hit "already exists".
            if (body != null && body.contains("\"fz\"")) {
                body = body.replace("\"fz\"", "\"fz-" + index + "\"");
            }
            return new Fuzzed(method, path, authorization, contentType, body, headers);
        }

        /**
         * The JSON tree with one value (somewhere down a random path) replaced by a hostile raw token, or one
         * member or element removed or added, written out as text. The hostile token goes in as a placeholder
         * string, replaced after serialization, so that tokens no JSON library would write (1e999999999, 10,000
         * nested brackets) reach the server verbatim.
         */
        private String treeMutation(JsonValue body) {
            int depth = 500 + random.nextInt(1500);
            String hostile = random.nextInt(8) == 0 ? "[".repeat(depth) + "]".repeat(depth) : pick(HOSTILE_VALUES);
            return mutate(body).toString().replace("\"" + PLACEHOLDER + "\"", hostile);
        }

        private JsonValue mutate(JsonValue value) {
            boolean container = value.getValueType() == JsonValue.ValueType.OBJECT
                    || value.getValueType() == JsonValue.ValueType.ARRAY;
            if (!container || random.nextInt(4) == 0) {
                return Json.createValue(PLACEHOLDER);
            }
            if (value.getValueType() == JsonValue.ValueType.OBJECT) {
                JsonObject object = value.asJsonObject();
                List<String> keys = new ArrayList<>(object.keySet());
                var builder = Json.createObjectBuilder(object);
                int choice = random.nextInt(4);
                if (keys.isEmpty() || choice == 0) {
                    builder.add(pick(List.of("x", "topic_name", "partition_id", "value", "to", "")), PLACEHOLDER);
                } else if (choice == 1) {
                    builder.remove(pick(keys));
                } else {
                    String key = pick(keys);
                    builder.add(key, mutate(object.get(key)));
                }
                return builder.build();
            }
            List<JsonValue> elements = new ArrayList<>(value.asJsonArray());
            int choice = random.nextInt(4);
            if (elements.isEmpty() || choice == 0) {
                elements.add(Json.createValue(PLACEHOLDER));
            } else if (choice == 1) {
                elements.remove(random.nextInt(elements.size()));
            } else {
                int at = random.nextInt(elements.size());
                elements.set(at, mutate(elements.get(at)));
            }
            var array = Json.createArrayBuilder();
            elements.forEach(array::add);
            return array.build();
        }

        /** Text-level damage: a cut, a splice of junk, a duplicate, or a whole body of junk. */
        private String textMutation(String body) {
            int at = random.nextInt(body.length() + 1);
            return switch (random.nextInt(6)) {
                case 0 -> body.substring(0, at);
                case 1 -> body.substring(0, at) + pick(List.of("\"", "{", "}", "[", "]", ",", ":", "\\", "\u0000",
                        "\u00ff", "\ud83d\ude00", "/*", "NaN", "Infinity")) + body.substring(at);
                case 2 -> body + body;
                case 3 -> pick(HOSTILE_VALUES);
                case 4 -> "{\"a\":".repeat(900 + random.nextInt(200)) + "1" + "}".repeat(1000);
                default -> randomText(random.nextInt(200));
            };
        }

        private String pathMutation(String path) {
            int query = path.indexOf('?');
            String rest = query < 0 ? "" : path.substring(query);
            String bare = path.substring(1, query < 0 ? path.length() : query);
            List<String> segments = new ArrayList<>(List.of(bare.split("/")));
            int at = 2 + random.nextInt(Math.max(1, segments.size() - 2));
            String segment = encode(pick(HOSTILE_SEGMENTS));
            switch (random.nextInt(3)) {
                case 0 -> segments.set(Math.min(at, segments.size() - 1), segment);
                case 1 -> segments.add(Math.min(at, segments.size()), segment);
                default -> {
                    if (segments.size() > 3) {
                        segments.remove(Math.min(at, segments.size() - 1));
                    }
                }
            }
            return "/" + String.join("/", segments) + rest;
        }

        private String queryMutation(String path) {
            String parameter = encode(pick(QUERY_NAMES)) + "=" + encode(pick(QUERY_VALUES));
            if (random.nextInt(3) == 0 && path.contains("?")) {
                return path.substring(0, path.indexOf('?') + 1) + parameter;
            }
            return path + (path.contains("?") ? "&" : "?") + parameter;
        }

        private String randomText(int length) {
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
            }
            return text.toString();
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        /**
         * Percent-encodes every byte of the UTF-8 form outside RFC 3986's unreserved set (and keeps ':' for the
         * {@code offsets:reset} style of path), so any segment makes a legal URI. NUL is left out: the HTTP
         * container refuses an encoded NUL with a bare 400 before the application sees the request.
         */
        private static String encode(String raw) {
            StringBuilder encoded = new StringBuilder();
            for (byte b : raw.replace("\u0000", "").getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                        || c == '_' || c == '~' || c == ':') {
                    encoded.append((char) c);
                } else {
                    encoded.append('%').append(String.format("%02X", c));
                }
            }
            return encoded.toString();
        }
    }
}
