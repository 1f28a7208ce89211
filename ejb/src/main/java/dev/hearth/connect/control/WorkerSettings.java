package dev.hearth.connect.control;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.hearth.connector.api.HearthConnection;

/**
 * The configuration of the hosted Kafka Connect worker, as Connect's {@code connect-distributed.properties} would
 * hold it: Hearth's defaults, then the listener's client settings, then the operator's {@code hearth.connect.worker.*}
 * pass-through keys, later ones winning. Defaults: group {@code hearth-connect}, internal topics
 * {@code hearth-connect-configs}/{@code -offsets}/{@code -status} with replication factor 1 (one broker), JSON
 * converters, {@code plugin.discovery=service_load} and {@code plugin.path = <data dir>/connect-plugins}.
 * <p>
 * Connect gives its connectors' producers, consumers and admin clients only {@code bootstrap.servers} and their
 * {@code producer.}/{@code consumer.}/{@code admin.}-prefixed settings, so the listener's security settings
 * (the internal super user's SASL login, TLS trust) are repeated under those prefixes: every client of the worker,
 * internal or a task's, reaches the listener as that principal. The result holds a secret
 * ({@code sasl.jaas.config}): never log it. Immutable once built; a pure function of its inputs.
 */
public final class WorkerSettings {

    /** MicroProfile Config prefix of keys passed through to the worker config without it. */
    public static final String PASS_THROUGH_PREFIX = "hearth.connect.worker.";
    /** The plugin directory under the data directory when {@code plugin.path} is not set. */
    public static final String PLUGIN_DIRECTORY = "connect-plugins";
    /** The client prefixes under which Connect reads the settings of task and per-connector clients. */
    private static final String[] CLIENT_PREFIXES = {"producer.", "consumer.", "admin."};

    private WorkerSettings() {
    }

    /**
     * @param clientProperties how Hearth's own components reach its Kafka listener
     *                         ({@link HearthConnection#internalClientProperties()}); not empty
     * @param passThrough      the operator's worker keys, already without {@link #PASS_THROUGH_PREFIX}
     * @param dataDir          Hearth's data directory, the default plugin path's parent
     * @return the worker properties, in a fresh mutable map
     */
    public static Map<String, String> of(Map<String, String> clientProperties, Map<String, String> passThrough,
                                         Path dataDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("group.id", "hearth-connect");
        settings.put("config.storage.topic", "hearth-connect-configs");
        settings.put("offset.storage.topic", "hearth-connect-offsets");
        settings.put("status.storage.topic", "hearth-connect-status");
        settings.put("config.storage.replication.factor", "1");
        settings.put("offset.storage.replication.factor", "1");
        settings.put("status.storage.replication.factor", "1");
        settings.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        settings.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        settings.put("plugin.discovery", "service_load");
        settings.put("plugin.path", dataDir.resolve(PLUGIN_DIRECTORY).toAbsolutePath().toString());
        clientProperties.forEach((key, value) -> {
            if (!key.equals(HearthConnection.INSTANCE_ID_PROPERTY)) {
                settings.put(key, value);
                if (!key.equals("bootstrap.servers")) {
                    for (String prefix : CLIENT_PREFIXES) {
                        settings.put(prefix + key, value);
                    }
                }
            }
        });
        settings.putAll(passThrough);
        return settings;
    }
}
