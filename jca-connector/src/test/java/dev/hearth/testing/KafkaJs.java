package dev.hearth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * KafkaJS (npm {@code kafkajs}), the pure-JavaScript Kafka client, for tests: installed once per directory (npm
 * caches the download) and scripts run with Node.js. Needs {@code node} and {@code npm} (see
 * {@link SystemPackages}). Shared by the engine's tests and, through this module's test-jar, the end-to-end tests.
 */
public final class KafkaJs {

    public static final String PACKAGE = "kafkajs@2.2.4";

    private KafkaJs() {
    }

    /** Installs KafkaJS under {@code prefix} unless it is there; answers its {@code node_modules}. */
    public static Path install(Path prefix) throws IOException, InterruptedException {
        Path absolute = prefix.toAbsolutePath();
        if (!Files.isDirectory(absolute.resolve("node_modules").resolve("kafkajs"))) {
            Files.createDirectories(absolute);
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", absolute.toString(), PACKAGE),
                    absolute);
        }
        return absolute.resolve("node_modules");
    }

    /**
     * Runs a command (a {@code node} script) with {@code NODE_PATH} set to {@code nodeModules}, at most 3 minutes.
     *
     * @return its output, standard error included
     * @throws AssertionError when it fails or takes longer, with its output
     */
    public static String run(List<String> command, Path nodeModules) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", nodeModules.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
