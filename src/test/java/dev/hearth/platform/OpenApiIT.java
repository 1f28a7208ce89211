package dev.hearth.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi} as code generators use it (issue 17). Proven against one real server for the class:
 * <ul>
 * <li>the document is valid OpenAPI 3 to swagger-parser (the parser of openapi-generator), every operation has a
 * unique operationId, every JSON body a schema that says more than "object", HTTP Basic is declared for the whole
 * API and the servers are relative;</li>
 * <li>openapi-generator, run on the document in the test JVM ({@link GeneratedClient}: generator {@code java},
 * library {@code native}), makes a client that compiles, and that client, unchanged, creates a topic, produces a
 * record with a key, a JSON value and a header, finds the topic in the list and reads the record back: the
 * operations' parameters, request and response schemas and security are what the server does;</li>
 * <li>a client driven by the document at run time ({@link DocumentClient}) gets only documented statuses and
 * members, also from the Confluent v3 GETs a generated client expects ({@code /v3/clusters}, {@code /brokers}, a
 * topic's {@code /partitions} and {@code /configs}).</li>
 * </ul>
 */
class OpenApiIT {

    private static HearthServer server;
    /** /openapi?format=JSON as the server answered it. */
    private static String documentJson;
    private static OpenAPI document;
    private static List<String> parserMessages;
    private static DocumentClient client;

    @BeforeAll
    static void start() {
        server = HearthServer.onFreshDataDir("openapi").start();
        HttpResponse<String> json = send(HttpRequest.newBuilder(server.baseUri().resolve("/openapi?format=JSON"))
                .header("Accept", "application/json").GET().build());
        assertEquals(200, json.statusCode(), "/openapi?format=JSON answers 200: " + json.body());
        documentJson = json.body();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(documentJson);
        document = parsed.getOpenAPI();
        parserMessages = parsed.getMessages() == null ? List.of() : parsed.getMessages();
        assertNotNull(document, "swagger-parser reads the document: " + parserMessages);
        client = new DocumentClient(document, server.baseUri(), HearthServer.ADMIN_USER, HearthServer.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDocumentIsValidOpenApi() {
        assertEquals(List.of(), parserMessages, "swagger-parser finds nothing to object to");
        assertTrue(document.getOpenapi().startsWith("3."), "an OpenAPI 3 document: " + document.getOpenapi());
    }

    @Test
    void everyOperationHasAUniqueId() {
        Map<String, String> seen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        operations().forEach((where, operation) -> {
            String id = operation.getOperationId();
            if (id == null || id.isBlank()) {
                problems.add(where + " has no operationId");
            } else if (seen.put(id, where) != null) {
                problems.add(where + " repeats operationId " + id + " of " + seen.get(id));
            }
        });
        assertEquals(List.of(), problems, "operation ids are unique and present");
        assertTrue(seen.keySet().containsAll(List.of("listTopics", "createTopic", "produceRecords",
                "listConsumerGroups", "searchAcls", "listUsers", "listJobs", "listKafkaClusters", "listKafkaBrokers",
                "listTopicPartitions", "listTopicConfigs")), "the main operations are named: " + seen.keySet());
    }

    @Test
    void everyJsonBodyHasASchemaThatSaysMoreThanObject() {
        List<String> bare = new ArrayList<>();
        operations().forEach((where, operation) -> {
            if (operation.getRequestBody() != null) {
                checkJson(where + " request", operation.getRequestBody().getContent(), bare);
            }
            operation.getResponses().forEach((code, response) -> {
                if (code.startsWith("2")) {
                    checkJson(where + " " + code, response.getContent(), bare);
                }
            });
        });
        assertEquals(List.of(), bare, "no JSON body is a bare {\"type\": \"object\"}");
    }

    @Test
    void httpBasicIsDeclaredAndAppliesEverywhere() {
        SecurityScheme basic = document.getComponents().getSecuritySchemes().get("basic");
        assertNotNull(basic, "a security scheme named basic: " + document.getComponents().getSecuritySchemes());
        assertEquals(SecurityScheme.Type.HTTP, basic.getType(), "an HTTP scheme");
        assertEquals("basic", basic.getScheme(), "of the Basic kind");
        assertTrue(document.getSecurity() != null && document.getSecurity().stream()
                .anyMatch(requirement -> requirement.containsKey("basic")), "applied to the whole document: "
                + document.getSecurity());
    }

    @Test
    void serversAreRelative() {
        assertFalse(document.getServers() == null || document.getServers().isEmpty(), "servers are listed");
        document.getServers().forEach(s -> assertTrue(s.getUrl().startsWith("/"),
                "a server is relative, not the host and port of the request that fetched /openapi: " + s.getUrl()));
    }

    @Test
    void aClientDrivenByTheDocumentListsClustersAndBrokers() {
        JsonObject clusters = client.call("listKafkaClusters", Map.of(), null).object();
        assertEquals("KafkaClusterList", clusters.getString("kind"), "Confluent's list kind: " + clusters);
        assertEquals(1, clusters.getJsonArray("data").size(), "one cluster: " + clusters);
        JsonObject cluster = clusters.getJsonArray("data").getJsonObject(0);
        assertEquals("hearth", cluster.getString("cluster_id"), "the cluster id: " + cluster);
        assertTrue(cluster.getJsonObject("metadata").getString("self").endsWith("/api/v3/clusters/hearth"),
                "metadata.self is the cluster's URL: " + cluster);

        JsonObject brokers = client.call("listKafkaBrokers", Map.of("clusterId", "hearth"), null).object();
        assertEquals(0, brokers.getJsonArray("data").getJsonObject(0).getInt("broker_id"), "broker 0: " + brokers);
        assertEquals("KafkaBroker", client.call("getKafkaBroker", Map.of("clusterId", "hearth", "brokerId", "0"), null)
                .object().getString("kind"), "broker 0 by id");
        Answer unknown = client.call("getKafkaBroker", Map.of("clusterId", "hearth", "brokerId", "7"), null);
        assertEquals(404, unknown.status(), "broker 7 does not exist: " + unknown);
        assertEquals("application/problem+json", unknown.contentType(), "as a problem: " + unknown);
    }

    @Test
    void aClientDrivenByTheDocumentCreatesATopicAndReadsItsPartitionsAndConfigs() {
        Map<String, String> topic = Map.of("clusterId", "hearth", "topic", "openapi-orders");
        JsonObject created = client.call("createTopic", Map.of("clusterId", "hearth"), Json.createObjectBuilder()
                .add("topic_name", "openapi-orders").add("partitions_count", 3)
                .add("configs", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", "retention.ms").add("value", "3600000"))).build()).object();
        assertEquals(3, created.getInt("partitions_count"), "three partitions: " + created);

        JsonObject partitions = client.call("listTopicPartitions", topic, null).object();
        assertEquals("KafkaPartitionList", partitions.getString("kind"), "Confluent's list kind: " + partitions);
        assertEquals(3, partitions.getJsonArray("data").size(), "three partitions: " + partitions);
        Map<String, String> partitionTwo = new HashMap<>(topic);
        partitionTwo.put("partition", "2");
        assertEquals(2, client.call("getTopicPartition", partitionTwo, null).object().getInt("partition_id"),
                "partition 2 by id");
        partitionTwo.put("partition", "9");
        assertEquals(404, client.call("getTopicPartition", partitionTwo, null).status(), "no partition 9");

        JsonObject configs = client.call("listTopicConfigs", topic, null).object();
        assertTrue(configs.getJsonArray("data").stream().map(JsonValue::asJsonObject)
                .anyMatch(c -> c.getString("name").equals("retention.ms") && c.getString("value").equals("3600000")),
                "retention.ms as set at creation: " + configs);
        Map<String, String> retention = new HashMap<>(topic);
        retention.put("name", "retention.ms");
        assertEquals("3600000", client.call("getTopicConfig", retention, null).object().getString("value"),
                "one config by name");
    }

    @Test
    void aClientGeneratedFromTheDocumentCreatesATopicProducesListsAndReadsTheRecordBack() throws IOException {
        Path directory = Files.createDirectories(HearthServer.workDir().resolve("openapi-client-" + System.nanoTime()));
        URI api = server.baseUri().resolve(document.getServers().get(0).getUrl());
        try (GeneratedClient generated = GeneratedClient.generate(documentJson, directory, api,
                HearthServer.ADMIN_USER, HearthServer.ADMIN_PASSWORD)) {
            Object createTopic = GeneratedClient.set(GeneratedClient.set(generated.model("CreateTopicRequest"),
                    "topicName", "generated-orders"), "partitionsCount", 2);
            Object topic = generated.call("createTopic",
                    Map.of("clusterId", "hearth", "createTopicRequest", createTopic));
            assertEquals("generated-orders", property(topic, "topicName"), "createTopic answers the topic");
            assertEquals(2, property(topic, "partitionsCount"), "with the partitions asked for");

            Object record = generated.model("ProduceRecord");
            GeneratedClient.set(record, "partitionId", 1);
            GeneratedClient.set(record, "key", recordData(generated, "STRING", "customer-7"));
            GeneratedClient.set(record, "value", recordData(generated, "JSON", Map.of("amount", 42)));
            GeneratedClient.set(record, "headers", List.of(GeneratedClient.set(GeneratedClient.set(
                    generated.model("RecordHeader"), "name", "source"), "value", base64("generated"))));
            Object receipt = generated.call("produceRecords",
                    Map.of("clusterId", "hearth", "topic", "generated-orders", "produceRecord", record));
            assertEquals("generated-orders", property(receipt, "topicName"), "produceRecords answers a receipt");
            assertEquals(1, property(receipt, "partitionId"), "appended to the partition asked for: " + receipt);
            assertEquals(0L, property(receipt, "offset"), "as its first record: " + receipt);

            List<?> topics = (List<?>) property(generated.call("listTopics", Map.of("clusterId", "hearth")), "data");
            assertTrue(topics.stream().anyMatch(t -> "generated-orders".equals(property(t, "topicName"))),
                    "listTopics lists the new topic: " + topics);

            Object read = generated.call("readPartitionRecords", Map.of("clusterId", "hearth",
                    "topic", "generated-orders", "partition", 1, "offset", 0L));
            List<?> records = (List<?>) property(read, "data");
            assertEquals(1, records.size(), "readPartitionRecords reads the one record: " + read);
            assertEquals(1L, property(read, "nextOffset"), "and the offset after it: " + read);
            Object back = records.get(0);
            assertEquals(0L, property(back, "offset"), "the record at offset 0: " + back);
            assertEquals(base64("customer-7"), property(property(back, "key"), "data"), "its key, as base64: " + back);
            assertEquals(base64("{\"amount\":42}"), property(property(back, "value"), "data"),
                    "its value, the JSON produced, as base64: " + back);
            Object header = ((List<?>) property(back, "headers")).get(0);
            assertEquals("source", property(header, "name"), "its header: " + back);
            assertEquals(base64("generated"), property(header, "value"), "with its value: " + back);
        }
    }

    @Test
    void theNewPathsAreAuthorizedAsTheirSiblings() {
        RestClient.Reply anonymous = RestClient.anonymous(server.baseUri()).get("/api/v3/clusters");
        assertEquals(401, anonymous.status(), "GET /v3/clusters needs credentials: " + anonymous);
        RestClient.Reply otherCluster = new RestClient(server.baseUri()).get("/api/v3/clusters/elsewhere/brokers");
        assertEquals(404, otherCluster.status(), "another cluster id is unknown: " + otherCluster);
    }

    private static Object recordData(GeneratedClient generated, String type, Object data) {
        return GeneratedClient.set(GeneratedClient.set(generated.model("RecordData"), "type", type), "data", data);
    }

    private static Object property(Object model, String name) {
        return GeneratedClient.property(model, name);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void checkJson(String where, Content content, List<String> bare) {
        if (content == null || content.get("application/json") == null) {
            return;
        }
        Schema<?> schema = content.get("application/json").getSchema();
        if (schema == null) {
            bare.add(where + ": no schema");
        } else if (schema.get$ref() == null && schema.getProperties() == null && schema.getItems() == null
                && schema.getOneOf() == null) {
            bare.add(where + ": " + schema);
        }
    }

    /** Every operation, by "METHOD path". */
    private static Map<String, Operation> operations() {
        Map<String, Operation> all = new java.util.LinkedHashMap<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> all.put(method + " " + path, operation)));
        return all;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Answer(int status, String contentType, String body) {

        JsonObject object() {
            assertEquals(200, status / 100 * 100, "a success: " + this);
            return (JsonObject) json();
        }

        JsonStructure json() {
            return Json.createReader(new StringReader(body)).read();
        }
    }

    /**
     * What a generated client does, driven by the document at run time: finds an operation by id, fills its path
     * template, sends the body, against the document's (relative) server resolved on the server's address, with
     * the credentials of the document's security scheme; then checks the answer against the documented response:
     * its status is documented, and every member of a JSON answer is a property of the documented schema.
     */
    static final class DocumentClient {

        private final OpenAPI document;
        private final URI base;
        private final String authorization;

        DocumentClient(OpenAPI document, URI serverAddress, String user, String password) {
            this.document = document;
            this.base = serverAddress.resolve(document.getServers().get(0).getUrl());
            this.authorization = "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        Answer call(String operationId, Map<String, String> pathParameters, JsonValue body) {
            for (Map.Entry<String, PathItem> path : document.getPaths().entrySet()) {
                for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                    if (operationId.equals(entry.getValue().getOperationId())) {
                        return send(path.getKey(), entry.getKey(), entry.getValue(), pathParameters, body);
                    }
                }
            }
            throw new AssertionError("the document has no operation " + operationId);
        }

        private Answer send(String template, PathItem.HttpMethod method, Operation operation,
                           Map<String, String> pathParameters, JsonValue body) {
            String path = template;
            for (Map.Entry<String, String> parameter : pathParameters.entrySet()) {
                path = path.replace("{" + parameter.getKey() + "}", parameter.getValue());
            }
            assertFalse(path.contains("{"), operation.getOperationId() + " has path parameters left: " + path);
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.substring(1)))
                    .header("Authorization", authorization).header("Accept", "application/json");
            if (body != null) {
                assertNotNull(operation.getRequestBody(), operation.getOperationId() + " documents a request body");
                request.header("Content-Type", "application/json")
                        .method(method.name(), HttpRequest.BodyPublishers.ofString(body.toString()));
            } else {
                request.method(method.name(), HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> answer = OpenApiIT.send(request.build());
            Answer reply = new Answer(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(""),
                    answer.body());
            String code = Integer.toString(reply.status());
            var responses = operation.getResponses();
            var documented = responses.get(code) != null ? responses.get(code) : responses.get(code.charAt(0) + "XX");
            assertNotNull(documented, operation.getOperationId() + " documents status " + code + ": " + reply);
            if (reply.status() / 100 == 2 && reply.contentType().startsWith("application/json")) {
                Schema<?> schema = documented.getContent().get("application/json").getSchema();
                conforms(operation.getOperationId(), schema, reply.json());
            }
            return reply;
        }

        /** Every member of an object is a documented property; arrays' items likewise. */
        private void conforms(String where, Schema<?> schema, JsonValue value) {
            Schema<?> resolved = resolve(schema);
            if (value instanceof JsonObject object && resolved.getProperties() != null) {
                for (Map.Entry<String, JsonValue> member : object.entrySet()) {
                    Schema<?> property = resolved.getProperties().get(member.getKey());
                    assertNotNull(property, where + ": member " + member.getKey() + " is documented in "
                            + resolved.getProperties().keySet());
                    if (member.getValue() != JsonValue.NULL) {
                        conforms(where + "." + member.getKey(), property, member.getValue());
                    }
                }
                if (resolved.getRequired() != null) {
                    resolved.getRequired().forEach(required -> assertTrue(object.containsKey(required),
                            where + ": required member " + required + " is present"));
                }
            } else if (value.getValueType() == JsonValue.ValueType.ARRAY && resolved.getItems() != null) {
                value.asJsonArray().forEach(item -> conforms(where + "[]", resolved.getItems(), item));
            }
        }

        private Schema<?> resolve(Schema<?> schema) {
            if (schema.get$ref() == null) {
                return schema;
            }
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            Schema<?> target = document.getComponents().getSchemas().get(name);
            assertNotNull(target, "schema " + schema.get$ref() + " is in components");
            return target;
        }
    }
}
