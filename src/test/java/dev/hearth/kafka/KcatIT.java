package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.testing.SystemPackages;

/**
 * kcat (librdkafka, a non-Java client) against Hearth on Payara Micro: metadata, produce with every codec,
 * consume. Skips when kcat is not installed, unless the build requires system packages (CI).
 */
class KcatIT {

    private static HearthServer server;

    @BeforeAll
    static void start() throws IOException {
        SystemPackages.require("kcat", "kcat");
        server = new HearthServer(Files.createDirectories(HearthServer.workDir().resolve("kcat-data-" + System.nanoTime())),
                "kcat").start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void metadataListsTheBroker() throws Exception {
        String metadata = kcat(null, "-L");
        assertTrue(metadata.contains("1 brokers:") && metadata.contains("broker 0 at 127.0.0.1"),
                "kcat -L shows Hearth as one broker: " + metadata);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void producedLinesAreConsumedBack(String codec) throws Exception {
        String topic = "kcat-" + codec;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add("line " + i + " compressed with " + codec);
        }
        kcat(String.join("\n", lines) + "\n", "-P", "-t", topic, "-p", "0", "-z", codec);
        String consumed = kcat(null, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q");
        assertEquals(lines, consumed.lines().toList(), "kcat reads back what it produced with " + codec);
    }

    private static String kcat(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", server.bootstrapServers()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("kcat", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kcat " + String.join(" ", args) + " finished within 60 s");
        String text = Files.readString(output);
        assertEquals(0, process.exitValue(), "kcat " + String.join(" ", args) + " succeeded: " + text);
        return text;
    }
}
