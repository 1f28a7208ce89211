package dev.hearth.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hearth.engine.InvalidConfigException;
import dev.hearth.kafka.ListenerSecurity;
import dev.hearth.security.InternalUser;

/** The listener's security settings as {@code hearth.kafka.*} names them (read here from system properties). */
class AdapterSettingsTest {

    private static final List<String> KEYS = List.of("hearth.kafka.security.protocol",
            "hearth.kafka.ssl.keystore.location", "hearth.kafka.ssl.keystore.password", "hearth.kafka.ssl.client.auth",
            "hearth.kafka.ssl.enabled.protocols", "hearth.kafka.sasl.enabled.mechanisms",
            "hearth.kafka.allow.unauthenticated", "hearth.kafka.connection.failed.authentication.delay.ms",
            "hearth.jobs.user", "hearth.jobs.password");

    @AfterEach
    void clear() {
        KEYS.forEach(System::clearProperty);
    }

    private static AdapterSettings settings(Map<String, String> properties) {
        properties.forEach(System::setProperty);
        return new AdapterSettings(new HearthResourceAdapter());
    }

    @Test
    void plaintextByDefault() {
        ListenerSecurity security = settings(Map.of()).kafkaListenerConfig().security();
        assertEquals(SecurityProtocol.PLAINTEXT, security.protocol());
        assertEquals(ListenerSecurity.MECHANISMS, security.saslMechanisms());
        assertEquals(100, security.failedAuthenticationDelayMs());
        assertEquals(InternalUser.DEFAULT_NAME, settings(Map.of()).jobsUser().name());
    }

    @Test
    void saslSslWithItsTlsAndMechanisms() {
        ListenerSecurity security = settings(Map.of(
                "hearth.kafka.security.protocol", "sasl_ssl",
                "hearth.kafka.ssl.keystore.location", "/etc/hearth/broker.p12",
                "hearth.kafka.ssl.keystore.password", "changeit",
                "hearth.kafka.ssl.client.auth", "requested",
                "hearth.kafka.ssl.enabled.protocols", "TLSv1.3",
                "hearth.kafka.sasl.enabled.mechanisms", "scram-sha-512, PLAIN",
                "hearth.kafka.allow.unauthenticated", "true",
                "hearth.kafka.connection.failed.authentication.delay.ms", "250",
                "hearth.jobs.user", "jobs")).kafkaListenerConfig().security();
        assertEquals(SecurityProtocol.SASL_SSL, security.protocol());
        assertEquals(List.of("SCRAM-SHA-512", "PLAIN"), security.saslMechanisms());
        assertEquals("PKCS12", security.tls().keystoreType());
        assertEquals("/etc/hearth/broker.p12", security.tls().keystoreLocation());
        assertEquals("changeit", new String(security.tls().keystorePassword()));
        assertEquals(ListenerSecurity.ClientAuth.REQUESTED, security.tls().clientAuth());
        assertEquals(List.of("TLSv1.3"), security.tls().enabledProtocols());
        assertEquals(250, security.failedAuthenticationDelayMs());
        assertTrue(security.allowUnauthenticated());
        assertTrue(security.authenticatesClients());
    }

    @Test
    void misconfigurationsNameTheSetting() {
        InvalidConfigException unknown = assertThrows(InvalidConfigException.class,
                () -> settings(Map.of("hearth.kafka.security.protocol", "TLS")).kafkaListenerConfig());
        assertTrue(unknown.getMessage().contains("hearth.kafka.security.protocol"), unknown.getMessage());
        InvalidConfigException noKeystore = assertThrows(InvalidConfigException.class,
                () -> settings(Map.of("hearth.kafka.security.protocol", "SSL")).kafkaListenerConfig());
        assertTrue(noKeystore.getMessage().contains("hearth.kafka.ssl.keystore.location"), noKeystore.getMessage());
        clear();
        InvalidConfigException mechanism = assertThrows(InvalidConfigException.class,
                () -> settings(Map.of("hearth.kafka.sasl.enabled.mechanisms", "GSSAPI")).kafkaListenerConfig());
        assertTrue(mechanism.getMessage().contains("hearth.kafka.sasl.enabled.mechanisms"), mechanism.getMessage());
    }
}
