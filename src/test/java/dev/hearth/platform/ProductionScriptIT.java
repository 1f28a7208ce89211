package dev.hearth.platform;

import static dev.hearth.platform.HearthServer.freePort;
import static dev.hearth.platform.HearthServer.requiredFile;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/hearth} as docs/operations.md tells an operator to run it: its settings in a configuration file, a fixed
 * heap, a kept Payara instance directory ({@code HEARTH_ROOT_DIR}) and log files ({@code HEARTH_LOG_DIR}). Two starts
 * of the script on one configuration: the first with {@code --config}, the second with {@code HEARTH_CONFIG} and a
 * heap from the environment, which wins over the file. The script runs the reactor's archives and Payara Micro jar,
 * so it neither builds nor downloads.
 */
class ProductionScriptIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final String USER = "ops";
    /** Spaces and quotes: the file's value reaches the JVM unchanged, not split or unquoted by a shell. */
    private static final String PASSWORD = "Ops Secret \"1\" $HOME";
    private static final Pattern MAX_HEAP = Pattern.compile("(?m)^jvm_memory_max_bytes\\{area=\"heap\"\\} (\\S+)$");
    /** Logged once per start of the resource adapter. */
    private static final String ADAPTER_STARTED = "HEARTH-0203";

    private final HttpClient http = HttpClient.newHttpClient();
    private Process hearth;
    private Path console;

    @AfterEach
    void stop() throws InterruptedException {
        if (hearth != null && hearth.isAlive()) {
            hearth.destroy();
            if (!hearth.waitFor(2, TimeUnit.MINUTES)) {
                hearth.destroyForcibly();
            }
        }
    }

    @Test
    void runsFromAConfigurationFileWithAFixedHeapAKeptInstanceDirectoryAndPlainLogFiles() throws Exception {
        Path dir = Files.createDirectories(HearthServer.workDir().resolve("production-script-" + System.nanoTime()))
                .toAbsolutePath();
        Path rootDir = dir.resolve("server");
        Path logDir = dir.resolve("logs");
        int httpPort = freePort();
        Path config = Files.writeString(dir.resolve("hearth.conf"), String.join("\n",
                "# Hearth's configuration, as docs/operations.md shows it",
                "HEARTH_DATA_DIR=" + dir.resolve("data"),
                "HEARTH_ROOT_DIR = " + rootDir,
                "HEARTH_LOG_DIR=\"" + logDir + "\"",
                "HEARTH_HTTP_PORT=" + httpPort,
                "HEARTH_KAFKA_PORT=" + freePort(),
                "HEARTH_HEAP=640m",
                "",
                "hearth.security.user." + USER + ".password=" + PASSWORD,
                "hearth.security.user." + USER + ".roles=admin"), StandardCharsets.UTF_8);

        start("production-script-1", Map.of(), "--config", config.toString());
        awaitReady(httpPort);
        assertEquals(640L << 20, maxHeapBytes(httpPort), "HEARTH_HEAP from the file is the JVM's heap");
        assertEquals(200, get(httpPort, "/api/v3/clusters/hearth", USER + ":" + PASSWORD).statusCode(),
                "the user declared by the file's system properties logs in with the password exactly as written");
        assertEquals(401, get(httpPort, "/api/v3/clusters/hearth", USER + ":Ops").statusCode(), "and only with it");
        Path bootFile = rootDir.resolve("config/boot.txt");
        assertTrue(Files.isRegularFile(bootFile), "Payara Micro's instance is in HEARTH_ROOT_DIR");
        FileTime bootFileWritten = Files.getLastModifiedTime(bootFile);
        assertTrue(Files.isDirectory(rootDir.resolve("applications/hearth-connector")),
                "Micro stores the deployed archives in the instance directory, which is what a restart would re-deploy");
        hearth.destroy(); // SIGTERM, as systemctl stop: the script exec'd Java
        assertTrue(hearth.waitFor(2, TimeUnit.MINUTES), "Hearth exits after SIGTERM; see " + console);
        assertTrue(List.of(0, 143).contains(hearth.exitValue()), "a clean stop (143: 128 + SIGTERM), not " + hearth.exitValue());

        start("production-script-2", Map.of("HEARTH_CONFIG", config.toString(), "HEARTH_HEAP", "704m"));
        awaitReady(httpPort);
        assertEquals(704L << 20, maxHeapBytes(httpPort), "HEARTH_HEAP in the environment wins over the file's");
        assertEquals(bootFileWritten, Files.getLastModifiedTime(bootFile),
                "the instance directory was kept, not made afresh");
        String secondRun = Files.readString(console);
        assertEquals(1, occurrences(secondRun, ADAPTER_STARTED),
                "the restart on the kept instance directory starts the resource adapter once, not first the stored "
                        + "copy and then the new one: " + console);
        assertTrue(secondRun.contains("Deployed 2 archive"), "both of Hearth's archives deployed: " + console);

        List<Path> logFiles;
        try (Stream<Path> files = Files.list(logDir)) {
            logFiles = files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        assertEquals(List.of(logDir.resolve("server.0.log")), logFiles, "one log file so far, the newest is number 0");
        String logged = Files.readString(logDir.resolve("server.0.log"));
        assertEquals(2, occurrences(logged, ADAPTER_STARTED), "the log file has both runs: " + logged.length() + " chars");
        List<Path> checked = new ArrayList<>(logFiles);
        checked.add(HearthServer.workDir().resolve("production-script-1.log"));
        checked.add(console);
        for (Path file : checked) {
            assertFalse(Files.readString(file).contains("\u001b"), file + " has no ANSI escape sequences (ESC)");
        }
    }

    private void start(String name, Map<String, String> settings, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", script().toString()));
        command.addAll(List.of(arguments));
        console = HearthServer.workDir().resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(console.toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("HEARTH_"));
        environment.put("HEARTH_RAR", requiredFile("hearth.rar"));
        environment.put("HEARTH_WAR", requiredFile("hearth.war"));
        environment.put("HEARTH_PAYARA_MICRO_JAR", requiredFile("payara.microJar"));
        environment.putAll(settings);
        hearth = builder.start();
    }

    private void awaitReady(int httpPort) {
        await("bin/hearth ready on port " + httpPort + " (log: " + console + ")")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    if (!hearth.isAlive()) {
                        throw new AssertionError("bin/hearth exited with " + hearth.exitValue() + "; see " + console);
                    }
                    return get(httpPort, "/health/ready", null).statusCode() == 200;
                });
    }

    /** The JVM's own figure (Hearth's /metrics, jvm_memory_max_bytes), not the command line's. */
    private long maxHeapBytes(int httpPort) throws IOException, InterruptedException {
        String metrics = get(httpPort, "/metrics", null).body();
        Matcher matcher = MAX_HEAP.matcher(metrics);
        assertTrue(matcher.find(), "jvm_memory_max_bytes{area=\"heap\"} in /metrics: " + metrics);
        return (long) Double.parseDouble(matcher.group(1));
    }

    private HttpResponse<String> get(int httpPort, String path, String credentials) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path));
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int occurrences(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
            count++;
        }
        return count;
    }

    /** bin/hearth of this source tree: next to the pre-boot command file the build names. */
    private static Path script() {
        return Path.of(requiredFile("hearth.preboot")).toAbsolutePath().resolveSibling("hearth");
    }
}
