package dev.hearth.connect;

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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

import org.awaitility.Awaitility;

import dev.hearth.platform.HearthServer;
import dev.hearth.testing.KafkaCliLib;

/**
 * Apache Kafka's own distributed Kafka Connect worker ({@code org.apache.kafka.connect.cli.ConnectDistributed}, from
 * the kafka-cli lib) in a JVM of its own, so that a test can {@link #kill} it with SIGKILL and {@link #restart} it.
 * It keeps its three internal topics ({@code connect-configs}, {@code connect-offsets}, {@code connect-status}; one
 * partition each, compacted, created by the worker) on the Kafka
 * listener it is given, serves its REST API on a fixed free 127.0.0.1 port, and loads connectors from
 * {@code pluginPath} (one sub-directory per plugin).
 *
 * <p>Layout of {@code workDir} (kept after {@link #close()}, for reading the logs):
 * <pre>
 *   worker.properties     the worker's configuration
 *   logging.properties    java.util.logging (the lib logs through slf4j-jdk14)
 *   worker.log            standard output and error, appended over restarts
 * </pre>
 * Every run of the worker joins the same Connect group ({@code group.id}) and reads the same internal topics, so a
 * restarted worker resumes its connectors from the last source offsets it flushed there: anything produced after
 * that flush is produced again (Kafka Connect's at-least-once for source connectors without exactly-once support).
 *
 * <p>Thread safety: methods that change the process are serialized on this object; the REST calls may be made
 * from any thread. A JVM shutdown hook kills the worker, so none outlives the test JVM unless that one is killed.
 */
final class ConnectWorkerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(Long.getLong("it.start.timeout.minutes", 3));
    private static final Duration REST_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Path workDir;
    private final Path lib;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread shutdownHook = new Thread(this::destroy, "connect-worker-shutdown");
    /** The current worker JVM; null before {@link #start}. */
    private volatile Process process;

    private ConnectWorkerProcess(Path workDir, Path lib, int restPort) {
        this.workDir = workDir;
        this.lib = lib;
        this.restPort = restPort;
    }

    /**
     * Writes the worker's configuration and starts it, waiting until its REST API answers.
     *
     * @param bootstrapServers the Kafka listener for the internal topics and the connectors' records
     * @param pluginPath       the directory of plugin directories ({@code plugin.path})
     */
    static ConnectWorkerProcess start(Path workDir, String bootstrapServers, Path pluginPath)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        ConnectWorkerProcess worker = new ConnectWorkerProcess(workDir.toAbsolutePath(), KafkaCliLib.locate(),
                HearthServer.freePort());
        Files.writeString(worker.workDir.resolve("worker.properties"),
                worker.workerProperties(bootstrapServers, pluginPath));
        Files.writeString(worker.workDir.resolve("logging.properties"), loggingProperties());
        Runtime.getRuntime().addShutdownHook(worker.shutdownHook);
        try {
            worker.launch();
            return worker;
        } catch (IOException | RuntimeException e) {
            worker.close();
            throw e;
        }
    }

    private String workerProperties(String bootstrapServers, Path pluginPath) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("group.id", "hearth-connect");
        properties.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        properties.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        properties.put("key.converter.schemas.enable", "false");
        properties.put("value.converter.schemas.enable", "false");
        Map.of("config", "connect-configs", "offset", "connect-offsets", "status", "connect-status")
                .forEach((store, topic) -> {
                    properties.put(store + ".storage.topic", topic);
                    properties.put(store + ".storage.replication.factor", "1");
                });
        properties.put("offset.storage.partitions", "1");
        properties.put("status.storage.partitions", "1");
        // Source offsets flushed every second: the window a kill re-emits is about that long.
        properties.put("offset.flush.interval.ms", "1000");
        // A restarted worker is a new member: it takes over the dead one's connector at once instead of waiting
        // the default 5 minutes for the old member to come back.
        properties.put("scheduled.rebalance.max.delay.ms", "0");
        properties.put("session.timeout.ms", "10000");
        properties.put("heartbeat.interval.ms", "2000");
        properties.put("listeners", "http://127.0.0.1:" + restPort);
        properties.put("rest.advertised.host.name", "127.0.0.1");
        properties.put("rest.advertised.port", Integer.toString(restPort));
        properties.put("plugin.path", pluginPath.toAbsolutePath().toString());
        // Every plugin there has ServiceLoader manifests: no reflective scan of its jars at each (re)start.
        properties.put("plugin.discovery", "service_load");
        return KafkaCliLib.propertiesFile(ConnectWorkerProcess.class, properties);
    }

    /** INFO and above; without the configuration dumps of every client the worker creates. */
    private static String loggingProperties() {
        return KafkaCliLib.loggingProperties("org.apache.kafka.common.config", "org.apache.kafka.clients",
                "org.apache.kafka.common.utils.AppInfoParser", "org.apache.kafka.common.metrics",
                "org.apache.kafka.connect.runtime.isolation", "org.reflections");
    }

    /** The worker's log: standard output and error over all its runs. */
    Path log() {
        return workDir.resolve("worker.log");
    }

    /** The process id of the running worker. */
    long pid() {
        return process.pid();
    }

    /** Kills the worker's JVM with SIGKILL and waits until it has exited. */
    synchronized void kill() throws InterruptedException {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Connect worker (pid " + running.pid() + ") outlived SIGKILL by 30 s");
            }
        }
    }

    /** Starts a new worker JVM on the same configuration (killing the old one first) and waits for its REST API. */
    synchronized void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    private synchronized void launch() throws IOException {
        Files.writeString(log(), "=== " + Instant.now() + " starting the Connect worker\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = new ProcessBuilder(KafkaCliLib.javaCommand(lib, "512m", workDir.resolve("logging.properties"),
                "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of(workDir.resolve("worker.properties").toString())))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        Awaitility.await("the Connect worker's REST API (log: " + log() + ")").atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the Connect worker exited with " + process.exitValue()
                                + "; see " + log());
                    }
                    return get("/connectors").statusCode() == 200;
                });
    }

    /** Creates or updates connector {@code name} with {@code config}: {@code PUT /connectors/<name>/config}. */
    HttpResponse<String> putConnector(String name, Map<String, String> config) throws IOException, InterruptedException {
        JsonObjectBuilder body = Json.createObjectBuilder();
        config.forEach(body::add);
        return http.send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config")).timeout(REST_CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.build().toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The connector's status ({@code GET /connectors/<name>/status}), or null while the worker does not know it
     * yet.
     */
    JsonObject status(String name) throws IOException, InterruptedException {
        HttpResponse<String> reply = get("/connectors/" + name + "/status");
        if (reply.statusCode() != 200) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(reply.body()))) {
            return reader.readObject();
        }
    }

    /** Whether the connector and all its tasks (at least one) are RUNNING on the current worker. */
    boolean isRunning(String name) throws IOException, InterruptedException {
        JsonObject status = status(name);
        return status != null && "RUNNING".equals(status.getJsonObject("connector").getString("state"))
                && !status.getJsonArray("tasks").isEmpty()
                && status.getJsonArray("tasks").stream().allMatch(task -> "RUNNING".equals(task.asJsonObject()
                .getString("state")));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REST_CALL_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    private void destroy() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            try {
                running.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /** The end of the worker's log, for assertion messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
