package dev.hearth.connect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * The Kafka Connect worker hosted by Hearth, end to end on Payara Micro: Kafka's own file connectors, deployed as an
 * ordinary plugin directory ({@code <data>/connect-plugins/file/}, the connect-file jar the it module copies), move
 * a file into a topic and back out, byte for byte (20,000 lines, non-ASCII ones included). The source resumes from
 * its committed offsets after a connector restart over REST and after a restart of Hearth (on an ASCII file: Kafka's
 * FileStreamSourceTask stores a character count as its position and skips that many bytes when it resumes, so in a
 * file with multi-byte characters it resumes mid-line, on Apache Kafka's own workers too); with exactly-once source
 * support on the worker (transactions, producer fencing) the move is exact too. Connect's REST shapes (status,
 * tasks, pause, resume, errors) are checked as Connect tooling reads them.
 */
public class ConnectWorkerIT {

    /** Generous bound for anything the worker does asynchronously: two cores shared with other builds. */
    private static final Duration WORKER_TIMEOUT = Duration.ofMinutes(5);
    private static final String CONNECT = "/api/connect";

    private HearthServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fileConnectorsMoveAFileThroughATopicAndResumeFromTheirOffsets() throws IOException {
        server = connectServer(HearthServer.onFreshDataDir("connect-worker")).start();
        RestClient rest = new RestClient(server.baseUri());
        Path files = Files.createDirectories(server.dataDir().resolveSibling(server.dataDir().getFileName() + "-files"));
        Path input = files.resolve("input.txt");
        Path output = files.resolve("output.txt");
        append(input, 0, 20_000, true);
        awaitPlugin(rest);

        Reply source = rest.post(CONNECT + "/connectors", fileSource("lines-source", input, "connect-lines"));
        assertEquals(201, source.status(), "a new connector is created: " + source);
        assertEquals("lines-source", source.object().getString("name"), source.toString());
        assertEquals("source", source.object().getString("type"), source.toString());
        Reply sink = rest.post(CONNECT + "/connectors", fileSink("lines-sink", output, "connect-lines"));
        assertEquals(201, sink.status(), sink.toString());

        awaitSameBytes(input, output, "the 20,000 lines, non-ASCII ones included, went through the topic and back");

        checkRestShapes(rest);
        // Kafka's FileStreamSourceTask records its position in characters but skips bytes when it resumes, so it
        // resumes correctly only in an ASCII file: the resume checks below use one.
        assertEquals(204, rest.delete(CONNECT + "/connectors/lines-source").status());
        assertEquals(204, rest.delete(CONNECT + "/connectors/lines-sink").status());
        assertConnectError(rest.get(CONNECT + "/connectors/lines-source"), 404);

        Path asciiInput = files.resolve("ascii-input.txt");
        Path asciiOutput = files.resolve("ascii-output.txt");
        append(asciiInput, 0, 20_000, false);
        assertEquals(201, rest.post(CONNECT + "/connectors", fileSource("ascii-source", asciiInput, "connect-ascii"))
                .status());
        assertEquals(201, rest.post(CONNECT + "/connectors", fileSink("ascii-sink", asciiOutput, "connect-ascii"))
                .status());
        awaitSameBytes(asciiInput, asciiOutput, "the second file went through");

        append(asciiInput, 20_000, 1_000, false);
        Reply restart = rest.post(CONNECT + "/connectors/ascii-source/restart?includeTasks=true",
                JsonValue.EMPTY_JSON_OBJECT);
        assertEquals(202, restart.status(), "a restart with includeTasks answers the resulting status: " + restart);
        assertEquals("ascii-source", restart.object().getString("name"), restart.toString());
        awaitSameBytes(asciiInput, asciiOutput, "after a connector restart the source went on from its offsets: no "
                + "line lost or repeated");

        Path dataDir = server.dataDir();
        server.stop(); // SIGTERM: the worker stops its tasks, which commit their offsets
        append(asciiInput, 21_000, 1_000, false);
        server = connectServer(new HearthServer(dataDir, "connect-worker-restarted")).start();
        RestClient restarted = new RestClient(server.baseUri());
        awaitSameBytes(asciiInput, asciiOutput, "after a restart of Hearth the connectors resumed from their committed "
                + "offsets");
        Reply list = restarted.get(CONNECT + "/connectors");
        assertEquals(200, list.status(), list.toString());
        assertEquals(Json.createArrayBuilder().add("ascii-sink").add("ascii-source").build(), list.json(),
                "the connectors survived the restart (in Hearth's own config topic); the deleted ones did not");
    }

    @Test
    void exactlyOnceSourceSupportMovesTheFileExactly() throws IOException {
        server = connectServer(HearthServer.onFreshDataDir("connect-worker-eos"))
                .with("hearth.connect.worker.exactly.once.source.support", "enabled")
                .with("hearth.connect.worker.consumer.isolation.level", "read_committed")
                .start();
        RestClient rest = new RestClient(server.baseUri());
        Path files = Files.createDirectories(server.dataDir().resolveSibling(server.dataDir().getFileName() + "-files"));
        Path input = files.resolve("input.txt");
        Path output = files.resolve("output.txt");
        append(input, 0, 20_000, false); // ASCII: see the resume note in the test above
        awaitPlugin(rest);

        Reply source = rest.post(CONNECT + "/connectors", connector("eos-source", Json.createObjectBuilder()
                .add("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector")
                .add("exactly.once.support", "required")
                .add("file", input.toString()).add("topic", "connect-eos").add("batch.size", "500")));
        assertEquals(201, source.status(), "a connector requiring exactly-once is accepted: " + source);
        Reply sink = rest.post(CONNECT + "/connectors", fileSink("eos-sink", output, "connect-eos"));
        assertEquals(201, sink.status(), sink.toString());

        awaitSameBytes(input, output, "with exactly-once source support the lines went through exactly once");
        append(input, 20_000, 1_000, false);
        Reply restart = rest.post(CONNECT + "/connectors/eos-source/restart?includeTasks=true",
                JsonValue.EMPTY_JSON_OBJECT);
        assertEquals(202, restart.status(), restart.toString());
        awaitSameBytes(input, output, "after a restart the transactional source resumed exactly");
        JsonObject status = rest.get(CONNECT + "/connectors/eos-source/status").object();
        assertEquals("RUNNING", status.getJsonArray("tasks").getJsonObject(0).getString("state"), status.toString());
    }

    /** Status, tasks, pause, resume and errors, in Connect's shapes. */
    private void checkRestShapes(RestClient rest) {
        Reply status = rest.get(CONNECT + "/connectors/lines-source/status");
        assertEquals(200, status.status(), status.toString());
        JsonObject state = status.object();
        assertEquals("lines-source", state.getString("name"), state.toString());
        assertEquals("source", state.getString("type"), state.toString());
        assertEquals("RUNNING", state.getJsonObject("connector").getString("state"), state.toString());
        assertTrue(state.getJsonObject("connector").getString("worker_id").contains(":"),
                "worker_id is the worker's host:port: " + state);
        JsonObject task = state.getJsonArray("tasks").getJsonObject(0);
        assertEquals(0, task.getInt("id"), state.toString());
        assertEquals("RUNNING", task.getString("state"), state.toString());

        Reply taskStatus = rest.get(CONNECT + "/connectors/lines-source/tasks/0/status");
        assertEquals(200, taskStatus.status(), taskStatus.toString());
        assertEquals(0, taskStatus.object().getInt("id"), taskStatus.toString());
        assertEquals("RUNNING", taskStatus.object().getString("state"), taskStatus.toString());

        JsonArray tasks = (JsonArray) rest.get(CONNECT + "/connectors/lines-source/tasks").json();
        assertEquals("lines-source", tasks.getJsonObject(0).getJsonObject("id").getString("connector"),
                "tasks carry {id: {connector, task}, config}: " + tasks);
        assertEquals(0, tasks.getJsonObject(0).getJsonObject("id").getInt("task"), tasks.toString());
        assertEquals("connect-lines", tasks.getJsonObject(0).getJsonObject("config").getString("topic"),
                tasks.toString());

        JsonObject config = rest.get(CONNECT + "/connectors/lines-source/config").object();
        assertEquals("lines-source", config.getString("name"), "the config carries the name: " + config);

        JsonObject expanded = rest.get(CONNECT + "/connectors?expand=status&expand=info").object();
        assertEquals("RUNNING", expanded.getJsonObject("lines-sink").getJsonObject("status")
                .getJsonObject("connector").getString("state"), expanded.toString());
        assertEquals("sink", expanded.getJsonObject("lines-sink").getJsonObject("info").getString("type"),
                expanded.toString());

        // The worker flushes source offsets every second (offset.flush.interval.ms): the first flush may still come.
        await("the source's committed file position").atMost(WORKER_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> rest.get(CONNECT + "/connectors/lines-source/offsets").object().getJsonArray("offsets"),
                        offsets -> !offsets.isEmpty() && offsets.getJsonObject(0).getJsonObject("offset")
                                .getJsonNumber("position").longValue() > 0);

        JsonArray plugins = (JsonArray) rest.get(CONNECT + "/connector-plugins").json();
        assertTrue(plugins.stream().map(JsonValue::asJsonObject)
                .anyMatch(plugin -> plugin.getString("class").equals("org.apache.kafka.connect.file.FileStreamSinkConnector")
                        && plugin.getString("type").equals("sink")), "plugins as {class, type, version}: " + plugins);

        assertEquals(202, rest.put(CONNECT + "/connectors/lines-sink/pause", JsonValue.EMPTY_JSON_OBJECT).status());
        awaitState(rest, "lines-sink", "PAUSED");
        assertEquals(202, rest.put(CONNECT + "/connectors/lines-sink/resume", JsonValue.EMPTY_JSON_OBJECT).status());
        awaitState(rest, "lines-sink", "RUNNING");

        Reply unknown = rest.get(CONNECT + "/connectors/no-such-connector/status");
        assertConnectError(unknown, 404);
        Reply duplicate = rest.post(CONNECT + "/connectors", connector("lines-sink", Json.createObjectBuilder()
                .add("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector")
                .add("topics", "connect-lines")));
        assertConnectError(duplicate, 409);
        Reply badClass = rest.post(CONNECT + "/connectors", connector("bad", Json.createObjectBuilder()
                .add("connector.class", "com.example.NoSuchConnector")));
        assertConnectError(badClass, 400);
        Reply badConfig = rest.post(CONNECT + "/connectors", connector("bad-sink", Json.createObjectBuilder()
                .add("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector")));
        assertConnectError(badConfig, 400);
        assertTrue(badConfig.object().getString("message").contains("topics"),
                "Connect's validation names the missing setting: " + badConfig);
        assertEquals(404, rest.get(CONNECT + "/connectors/bad-sink").status(), "an invalid connector is not created");

        Reply anonymous = RestClient.anonymous(rest.base()).get(CONNECT + "/connectors");
        assertEquals(401, anonymous.status(), "Hearth's authentication applies: " + anonymous);
    }

    /** A Connect error: Hearth's problem document that also carries Connect's error_code and message. */
    private static void assertConnectError(Reply reply, int status) {
        assertEquals(status, reply.status(), reply.toString());
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
        JsonObject body = reply.object();
        assertEquals(status, body.getInt("error_code"), "Connect's error_code: " + reply);
        assertTrue(!body.getString("message").isBlank(), "Connect's message: " + reply);
        assertEquals(status, body.getInt("status"), "the problem's status: " + reply);
    }

    private static void awaitState(RestClient rest, String connector, String state) {
        await(connector + " " + state).atMost(WORKER_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> rest.get(CONNECT + "/connectors/" + connector + "/status").object(),
                        status -> status.getJsonObject("connector").getString("state").equals(state)
                                && status.getJsonArray("tasks").stream().allMatch(task ->
                                task.asJsonObject().getString("state").equals(state)));
    }

    /** Waits until the worker has started and found the file plugin (503 until the worker runs). */
    private static void awaitPlugin(RestClient rest) {
        await("the worker lists the file connectors").atMost(WORKER_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rest.get(CONNECT + "/connector-plugins"),
                        reply -> reply.status() == 200 && reply.body().contains("FileStreamSourceConnector"));
    }

    private static void awaitSameBytes(Path input, Path output, String what) {
        byte[] expected = read(input);
        await(what).atMost(WORKER_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Files.exists(output) && Files.size(output) >= expected.length);
        assertArrayEquals(expected, read(output), what + " (the output is byte-identical to the input)");
    }

    /**
     * {@code hearth} with the Connect worker enabled (offsets flushed every second) and Kafka's file connectors in
     * its plugin directory, as an operator deploys a plugin: the jar copied into {@code <data>/connect-plugins/file/}.
     */
    public static HearthServer connectServer(HearthServer hearth) {
        Path plugin = hearth.dataDir().resolve("connect-plugins").resolve("file");
        try {
            Files.createDirectories(plugin);
            try (Stream<Path> jars = Files.list(Path.of(System.getProperty("connect.file.plugin")))) {
                for (Path jar : jars.toList()) {
                    Files.copy(jar, plugin.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hearth.with("hearth.connect.enabled", "true")
                .with("hearth.connect.advertised.url", hearth.baseUri() + CONNECT + "/")
                .with("hearth.connect.worker.offset.flush.interval.ms", "1000")
                .withMaxHeap("768m");
    }

    private static JsonObject fileSource(String name, Path file, String topic) {
        return connector(name, Json.createObjectBuilder()
                .add("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector")
                .add("file", file.toString()).add("topic", topic).add("batch.size", "500"));
    }

    private static JsonObject fileSink(String name, Path file, String topic) {
        return connector(name, Json.createObjectBuilder()
                .add("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector")
                .add("file", file.toString()).add("topics", topic));
    }

    private static JsonObject connector(String name, jakarta.json.JsonObjectBuilder config) {
        return Json.createObjectBuilder().add("name", name).add("config", config).build();
    }

    /** Appends {@code count} numbered lines from {@code first}; with {@code nonAscii} every seventh has such text. */
    private static void append(Path file, int first, int count, boolean nonAscii) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            lines.append("line ").append(i);
            if (nonAscii && i % 7 == 0) {
                lines.append(" grüße, 日本語, Ελληνικά, emoji 🚀");
            }
            lines.append('\n');
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
