package dev.hearth.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.hearth.testing.KafkaCliLib;

/**
 * MirrorMaker 2's dedicated driver ({@code org.apache.kafka.connect.mirror.MirrorMaker}, Apache Kafka 4.3.1) as a
 * child JVM run from the kafka-cli lib ({@link KafkaCliLib}), mirroring one flow {@code src->dst} between two clusters
 * given by their bootstrap servers.
 *
 * <p>Layout of {@code workDir} (kept after {@link #close()}, for reading the log):
 * <pre>
 *   mm2.properties        the driver's configuration (the constructor's flow, {@link #set}'s overrides)
 *   logging.properties    java.util.logging (the lib logs through slf4j-jdk14); offset translation at FINE
 *   mm2.log               the driver's standard output and error
 * </pre>
 *
 * <p>Thread safety: {@link #start} and {@link #close} are serialized on this object; {@link #log()} may be called from
 * any thread. A JVM shutdown hook kills the driver if the test JVM exits first.
 */
final class MirrorMakerProcess implements AutoCloseable {

    private final Path workDir;
    /** The driver's settings, in file order; {@link #set} overrides one before {@link #start}. */
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::destroy, "mirror-maker-shutdown");
    /** The driver's JVM; null before {@link #start}. */
    private volatile Process process;

    /**
     * A flow {@code src->dst} of {@code topics} and {@code groups} (MirrorMaker's comma-separated lists or regular
     * expressions), with the replication policy's default {@code src.<topic>} names on the target. Internal topics get
     * replication factor 1 (single-node test clusters).
     */
    MirrorMakerProcess(Path workDir, String sourceBootstrap, String targetBootstrap, String topics, String groups) {
        this.workDir = workDir;
        properties.put("clusters", "src, dst");
        properties.put("src.bootstrap.servers", sourceBootstrap);
        properties.put("dst.bootstrap.servers", targetBootstrap);
        properties.put("src->dst.enabled", "true");
        properties.put("dst->src.enabled", "false");
        properties.put("src->dst.topics", topics);
        properties.put("src->dst.groups", groups);
        properties.put("tasks.max", "1");
        for (String key : List.of("replication.factor", "checkpoints.topic.replication.factor",
                "heartbeats.topic.replication.factor", "offset-syncs.topic.replication.factor",
                "offset.storage.replication.factor", "status.storage.replication.factor",
                "config.storage.replication.factor")) {
            properties.put(key, "1");
        }
    }

    /** Sets (or overrides) one line of {@code mm2.properties}; before {@link #start} only. */
    MirrorMakerProcess set(String key, String value) {
        if (process != null) {
            throw new IllegalStateException("MirrorMaker already started with " + properties);
        }
        properties.put(key, value);
        return this;
    }

    /** Writes the configuration and launches the driver; returns without waiting for it to replicate anything. */
    synchronized MirrorMakerProcess start() throws IOException {
        if (process != null) {
            throw new IllegalStateException("MirrorMaker already started");
        }
        Files.createDirectories(workDir);
        Path config = Files.writeString(workDir.resolve("mm2.properties"),
                KafkaCliLib.propertiesFile(MirrorMakerProcess.class, properties));
        Path logging = Files.writeString(workDir.resolve("logging.properties"), loggingProperties());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        process = new ProcessBuilder(KafkaCliLib.javaCommand(KafkaCliLib.locate(), "384m", logging,
                "org.apache.kafka.connect.mirror.MirrorMaker", List.of(config.toString())))
                .redirectErrorStream(true).redirectOutput(log().toFile()).start();
        return this;
    }

    /**
     * @throws IllegalStateException when the driver's JVM has exited (it never does on its own while healthy), with
     *                               the end of its log
     */
    void requireAlive() {
        Process running = process;
        if (running != null && !running.isAlive()) {
            throw new IllegalStateException("MirrorMaker exited with " + running.exitValue() + "; the end of " + log()
                    + ":\n" + tail(60));
        }
    }

    Path log() {
        return workDir.resolve("mm2.log");
    }

    /** The last {@code lines} lines of the driver's log, or a note that it is unreadable. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + log() + " unreadable: " + e + ")";
        }
    }

    /** Stops the driver: SIGTERM (a clean Connect shutdown), SIGKILL after 30 s. Idempotent. */
    @Override
    public synchronized void close() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The JVM is shutting down (the hook runs anyway), or the hook was never added: nothing to undo.
        }
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

    /**
     * INFO and above, one line each, to standard error; the offset-sync store and the checkpoint task at FINE/FINEST
     * (slf4j's DEBUG/TRACE), so the log shows every translation a checkpoint came from.
     */
    private static String loggingProperties() {
        return KafkaCliLib.loggingProperties("org.apache.kafka.common.config", "org.apache.kafka.clients",
                "org.apache.kafka.common.utils.AppInfoParser", "org.apache.kafka.common.metrics")
                + "org.apache.kafka.connect.mirror.OffsetSyncStore.level=FINE\n"
                + "org.apache.kafka.connect.mirror.MirrorCheckpointTask.level=FINEST\n";
    }
}
