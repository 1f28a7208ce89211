package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;

import dev.hearth.testing.SystemPackages;
import dev.hearth.testing.TestCertificates;

/**
 * kcat (librdkafka 2.0.2, a non-Java client) with SASL PLAIN over TLS, host-name verification on: produces and
 * consumes through a SASL_SSL listener, and is refused with a wrong password. librdkafka sends SaslHandshake v1 and
 * then SaslAuthenticate when ApiVersions advertises it (its KIP-152 path): the test checks that it did.
 * Skipped, saying why, without {@code /usr/bin/kcat} unless {@code HEARTH_REQUIRE_SYSTEM_PACKAGES=true}.
 */
class KcatSaslTest {

    @TempDir
    Path dir;

    @Test
    void kcatProducesAndConsumesWithSaslPlainOverTls() throws Exception {
        SystemPackages.require("kcat", "kcat");
        TestCertificates certificates = TestCertificates.create(java.nio.file.Files.createDirectories(dir.resolve("tls")));
        ListenerSecurity security = new ListenerSecurity(SecurityProtocol.SASL_SSL,
                ListenerSecurity.Tls.pkcs12(certificates.serverKeystore.toString(), TestCertificates.PASSWORD.toCharArray()),
                List.of("PLAIN", "SCRAM-SHA-512"), 100, false);
        KafkaListenerConfig defaults = KafkaListenerConfig.defaults();
        // Advertised as localhost, a name the certificate carries, so that kcat verifies it on every connection.
        KafkaListenerConfig config = new KafkaListenerConfig("127.0.0.1", 0, "localhost", defaults.maxRequestBytes(),
                true, 1, defaults.clusterId(), 2, defaults.limits(), security);
        List<String> logins = new CopyOnWriteArrayList<>();
        Logger connections = Logger.getLogger(KafkaConnectionHandler.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (String.valueOf(record.getMessage()).startsWith("HEARTH-0426")) {
                    logins.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        connections.setLevel(Level.FINE);
        capture.setLevel(Level.ALL);
        connections.addHandler(capture);
        try (KafkaBroker broker = new KafkaBroker(EngineConfig.defaults(dir.resolve("data")), config,
                ListenerSecurityTest.users())) {
            String bootstrap = "localhost:" + broker.listener.boundPort();
            Result produced = kcat(bootstrap, certificates, "alice-secret", "one\ntwo\nthree\n",
                    "-P", "-t", "kcat-sasl");
            assertEquals(0, produced.exitCode, "kcat produced over SASL_SSL: " + produced.output);
            Result consumed = kcat(bootstrap, certificates, "alice-secret", "",
                    "-C", "-t", "kcat-sasl", "-o", "beginning", "-e", "-q", "-f", "%s\\n");
            assertEquals(0, consumed.exitCode, "kcat consumed over SASL_SSL: " + consumed.output);
            assertEquals(List.of("one", "two", "three"), lines(consumed.output), "kcat reads what kcat wrote");
            assertTrue(logins.stream().anyMatch(line -> line.contains("User:alice with PLAIN over SASL_SSL (SaslAuthenticate)")),
                    "librdkafka 2.0.2 authenticated with SaslHandshake v1 + SaslAuthenticate: " + logins);

            Result refused = kcat(bootstrap, certificates, "wrong", "", "-L", "-m", "3");
            assertNotEquals(0, refused.exitCode, "a wrong password is refused: " + refused.output);
            assertTrue(refused.output.contains("Authentication failed"),
                    "kcat reports the authentication failure: " + refused.output);
        } finally {
            connections.removeHandler(capture);
            connections.setLevel(null);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result kcat(String bootstrap, TestCertificates certificates, String password, String input,
                               String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", bootstrap,
                "-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=PLAIN",
                "-X", "sasl.username=alice", "-X", "sasl.password=" + password,
                "-X", "ssl.ca.location=" + certificates.serverCertificatePem,
                "-X", "ssl.endpoint.identification.algorithm=https"));
        command.addAll(List.of(arguments));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kcat did not finish within 30 s: " + new String(output, StandardCharsets.UTF_8));
        }
        System.out.println("kcat " + String.join(" ", arguments) + ": exit " + process.exitValue() + " after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static List<String> lines(String output) {
        List<String> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank() && !line.startsWith("%")) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}
