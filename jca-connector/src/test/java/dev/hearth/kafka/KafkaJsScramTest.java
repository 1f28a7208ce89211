package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;
import dev.hearth.testing.KafkaJs;
import dev.hearth.testing.SystemPackages;
import dev.hearth.testing.TestCertificates;

/**
 * KafkaJS 2.2.4 (its own protocol implementation, in JavaScript) with SCRAM-SHA-512 and SCRAM-SHA-256 over TLS
 * against a SASL_SSL listener: produces, consumes in a group, and is refused with a wrong password. Needs Node.js and
 * npm (Debian packages nodejs, npm; skipped, saying why, without them unless HEARTH_REQUIRE_SYSTEM_PACKAGES=true)
 * and installs KafkaJS into {@code target/kafkajs} once.
 */
class KafkaJsScramTest {


    @TempDir
    Path dir;

    @Test
    void kafkaJsAuthenticatesWithScramOverTls() throws Exception {
        SystemPackages.require("node", "nodejs");
        SystemPackages.require("npm", "npm");
        Path modules = KafkaJs.install(Path.of("target", "kafkajs"));
        Path script = Path.of(KafkaJsScramTest.class.getResource("/kafkajs/sasl-roundtrip.js").toURI());
        TestCertificates certificates = TestCertificates.create(Files.createDirectories(dir.resolve("tls")));
        ListenerSecurity security = new ListenerSecurity(SecurityProtocol.SASL_SSL,
                ListenerSecurity.Tls.pkcs12(certificates.serverKeystore.toString(), TestCertificates.PASSWORD.toCharArray()),
                ListenerSecurity.MECHANISMS, 100, false);
        KafkaListenerConfig defaults = KafkaListenerConfig.defaults();
        KafkaListenerConfig config = new KafkaListenerConfig("127.0.0.1", 0, "localhost", defaults.maxRequestBytes(),
                true, 1, defaults.clusterId(), 2, defaults.limits(), security);
        try (KafkaBroker broker = new KafkaBroker(EngineConfig.defaults(dir.resolve("data")), config,
                ListenerSecurityTest.users())) {
            for (String mechanism : List.of("scram-sha-512", "scram-sha-256")) {
                String topic = "kafkajs-" + mechanism;
                String output = KafkaJs.run(List.of("node", script.toString(), "localhost:" + broker.listener.boundPort(),
                        certificates.serverCertificatePem.toString(), mechanism, "alice", "alice-secret", topic, "5"),
                        modules);
                String result = output.lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                        .orElseThrow(() -> new AssertionError("no result line from KafkaJS:\n" + output));
                assertTrue(result.contains("\"refused\":\"KafkaJSSASLAuthenticationError\""),
                        "KafkaJS with a wrong password gets an authentication error (" + mechanism + "): " + result);
                assertTrue(result.contains("\"seen\":[\"v0\",\"v1\",\"v2\",\"v3\",\"v4\"]"),
                        "KafkaJS reads back what it wrote with " + mechanism + ": " + result);
            }
        }
    }
}
