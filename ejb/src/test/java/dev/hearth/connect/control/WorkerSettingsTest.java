package dev.hearth.connect.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.connector.api.HearthConnection;

class WorkerSettingsTest {

    private static final Map<String, String> SASL_LISTENER = Map.of(
            "bootstrap.servers", "127.0.0.1:9092",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
            HearthConnection.INSTANCE_ID_PROPERTY, "node-1");

    @Test
    void defaultsAreHearthsGroupTopicsConvertersAndPluginDirectory() {
        Map<String, String> settings = WorkerSettings.of(Map.of("bootstrap.servers", "127.0.0.1:9092"), Map.of(),
                Path.of("/var/hearth"));

        assertEquals("hearth-connect", settings.get("group.id"));
        assertEquals("hearth-connect-configs", settings.get("config.storage.topic"));
        assertEquals("hearth-connect-offsets", settings.get("offset.storage.topic"));
        assertEquals("hearth-connect-status", settings.get("status.storage.topic"));
        assertEquals("1", settings.get("offset.storage.replication.factor"), "one broker: replication factor 1");
        assertEquals("org.apache.kafka.connect.json.JsonConverter", settings.get("value.converter"));
        assertEquals("service_load", settings.get("plugin.discovery"));
        assertEquals("/var/hearth/connect-plugins", settings.get("plugin.path"));
        assertEquals("127.0.0.1:9092", settings.get("bootstrap.servers"));
    }

    @Test
    void theListenersSecurityReachesEveryClientOfTheWorker() {
        Map<String, String> settings = WorkerSettings.of(SASL_LISTENER, Map.of(), Path.of("data"));

        for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
            assertEquals("SASL_PLAINTEXT", settings.get(prefix + "security.protocol"),
                    "Connect gives task clients only their prefixed settings: " + prefix);
            assertEquals(SASL_LISTENER.get("sasl.jaas.config"), settings.get(prefix + "sasl.jaas.config"), prefix);
        }
        assertFalse(settings.containsKey("producer.bootstrap.servers"), "bootstrap.servers is inherited by Connect");
        assertFalse(settings.keySet().stream().anyMatch(key -> key.endsWith(HearthConnection.INSTANCE_ID_PROPERTY)),
                "Hearth's instance id is not a Kafka property: " + settings.keySet());
    }

    @Test
    void passThroughKeysWinOverDefaultsAndListenerSettings() {
        Map<String, String> settings = WorkerSettings.of(SASL_LISTENER,
                Map.of("group.id", "etl", "plugin.path", "/opt/plugins", "producer.security.protocol", "SASL_SSL"),
                Path.of("data"));

        assertEquals("etl", settings.get("group.id"));
        assertEquals("/opt/plugins", settings.get("plugin.path"));
        assertEquals("SASL_SSL", settings.get("producer.security.protocol"));
    }
}
