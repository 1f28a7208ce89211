package dev.hearth.connector;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.hearth.connector.cluster.ClusterOutbox;
import dev.hearth.connector.cluster.ClusterSettings;
import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.FlushPolicy;
import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.log.TopicAutoCreation;
import dev.hearth.kafka.KafkaListenerConfig;
import dev.hearth.kafka.ListenerLimits;
import dev.hearth.kafka.ListenerSecurity;
import dev.hearth.engine.InvalidConfigException;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import dev.hearth.security.InternalUser;
import dev.hearth.security.SecuritySettings;

/**
 * Resolves the adapter's settings. Precedence, highest first: MicroProfile Config ({@code hearth.*}, which
 * includes system properties and environment variables such as {@code HEARTH_DATA_DIR}), then the RA
 * config property (camelCase twin, from ra.xml or {@code create-resource-adapter-config}), then the
 * built-in default. Where the container offers no MicroProfile Config to a resource adapter, system
 * properties and environment variables are read directly with the same names.
 */
final class AdapterSettings {

    private static final Logger LOG = Logger.getLogger(AdapterSettings.class.getName());

    private final HearthResourceAdapter adapter;
    private final Config config;

    AdapterSettings(HearthResourceAdapter adapter) {
        this.adapter = adapter;
        this.config = microProfileConfig();
    }

    private static Config microProfileConfig() {
        try {
            return ConfigProvider.getConfig(HearthResourceAdapter.class.getClassLoader());
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.INFO, "HEARTH-0201 MicroProfile Config is not available to the resource adapter ("
                    + e + "); reading hearth.* from system properties and environment variables");
            return null;
        }
    }

    /** The value of {@code key} (e.g. {@code hearth.data.dir}) from MP Config, system properties or the environment. */
    Optional<String> lookup(String key) {
        if (config != null) {
            Optional<String> value = config.getOptionalValue(key, String.class);
            if (value.isPresent()) {
                return value;
            }
        }
        String property = System.getProperty(key);
        if (property != null) {
            return Optional.of(property);
        }
        return Optional.ofNullable(System.getenv(key.toUpperCase().replace('.', '_').replace('-', '_')));
    }

    private String string(String key, String adapterValue, String defaultValue) {
        return lookup(key).filter(v -> !v.isBlank())
                .orElse(adapterValue != null && !adapterValue.isBlank() ? adapterValue : defaultValue);
    }

    private long number(String key, Number adapterValue, long defaultValue) {
        Optional<String> value = lookup(key).filter(v -> !v.isBlank());
        if (value.isPresent()) {
            try {
                return Long.parseLong(value.get().trim());
            } catch (NumberFormatException e) {
                throw new dev.hearth.engine.InvalidConfigException(key + " must be a whole number, not '" + value.get() + "'");
            }
        }
        return adapterValue != null ? adapterValue.longValue() : defaultValue;
    }

    /** Where the log lives: {@code hearth.backend} (env {@code HEARTH_BACKEND}). */
    enum Backend {
        /** Hearth's own engine and Kafka listener, in this app server (the default). */
        EMBEDDED,
        /** Any cluster that speaks the Kafka protocol, through kafka-clients. */
        KAFKA
    }

    Backend backend() {
        String value = string("hearth.backend", null, "embedded").trim();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "embedded" -> Backend.EMBEDDED;
            case "kafka" -> Backend.KAFKA;
            default -> throw new InvalidConfigException("hearth.backend must be 'embedded' or 'kafka', not '" + value + "'");
        };
    }

    /**
     * The cluster of {@code hearth.backend=kafka}: {@code hearth.backend.bootstrap.servers} (required) and every
     * {@code hearth.backend.kafka.<property>} passed to kafka-clients as {@code <property>} (from MicroProfile Config,
     * system properties, or environment variables {@code HEARTH_BACKEND_KAFKA_<PROPERTY>} with dots as underscores).
     */
    ClusterSettings clusterSettings() {
        String bootstrap = optional("hearth.backend.bootstrap.servers");
        if (bootstrap == null) {
            throw new InvalidConfigException("hearth.backend=kafka needs hearth.backend.bootstrap.servers "
                    + "(env HEARTH_BACKEND_BOOTSTRAP_SERVERS): the cluster's host:port list");
        }
        String prefix = "hearth.backend.kafka.";
        java.util.Map<String, String> properties = new java.util.TreeMap<>();
        String envPrefix = "HEARTH_BACKEND_KAFKA_";
        System.getenv().forEach((name, value) -> {
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                properties.put(name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        java.util.Set<String> names = new java.util.TreeSet<>(System.getProperties().stringPropertyNames());
        if (config != null) {
            config.getPropertyNames().forEach(names::add);
        }
        for (String name : names) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                lookup(name).ifPresent(value -> properties.put(name.substring(prefix.length()), value));
            }
        }
        properties.put("bootstrap.servers", bootstrap.trim());
        Path dataDir = dataDir();
        String instanceId = string("hearth.instance.id", null, defaultInstanceId(dataDir));
        return new ClusterSettings(properties, clusterId(), instanceId, dataDir,
                string("hearth.backend.outbox.datasource", null, ClusterOutbox.DEFAULT_DATA_SOURCE).trim());
    }

    /** This host's name and a hash of the data directory: stable across restarts, distinct per instance. */
    private static String defaultInstanceId(Path dataDir) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
    }

    Path dataDir() {
        return Path.of(string("hearth.data.dir", adapter.getDataDir(), "hearth-data")).toAbsolutePath();
    }

    /** {@code hearth.cluster.id}: the id in REST paths and the one Kafka clients are told. */
    String clusterId() {
        return string("hearth.cluster.id", null, "hearth");
    }

    /**
     * Whether writes to unknown topics create them ({@code hearth.kafka.auto.create.topics}, Kafka's
     * {@code auto.create.topics.enable}, default true), with {@code hearth.kafka.num.partitions} partitions (default 1),
     * for Kafka clients and applications alike.
     */
    TopicAutoCreation topicAutoCreation() {
        return new TopicAutoCreation(Boolean.parseBoolean(string("hearth.kafka.auto.create.topics", null, "true")),
                Math.toIntExact(number("hearth.kafka.num.partitions", null,
                        KafkaListenerConfig.defaults().defaultPartitions())));
    }

    /** Users, super users and role ACLs declared by {@code hearth.security.*} (see {@link SecuritySettings}). */
    SecuritySettings securitySettings() {
        java.util.Set<String> names = new java.util.TreeSet<>(System.getProperties().stringPropertyNames());
        if (config != null) {
            config.getPropertyNames().forEach(names::add);
        }
        return SecuritySettings.read(this::lookup, names);
    }

    /** {@code hearth.jobs.user} / {@code hearth.jobs.password}: Hearth's own Kafka clients' user (see {@link InternalUser}). */
    InternalUser jobsUser() {
        return InternalUser.read(this::lookup);
    }

    /**
     * The embedded engine's Kafka-protocol listener's settings, or null when {@code hearth.kafka.enabled=false}. With
     * {@code hearth.backend=kafka} there is no listener: clients talk to the cluster.
     */
    KafkaListenerConfig kafkaListenerConfig() {
        if (!Boolean.parseBoolean(string("hearth.kafka.enabled", null, "true"))) {
            return null;
        }
        KafkaListenerConfig defaults = KafkaListenerConfig.defaults();
        String host = string("hearth.kafka.host", adapter.getKafkaHost(), defaults.host());
        TopicAutoCreation autoCreation = topicAutoCreation();
        return new KafkaListenerConfig(
                host,
                Math.toIntExact(number("hearth.kafka.port", adapter.getKafkaPort(), defaults.port())),
                string("hearth.kafka.advertised.host", null, host.equals("0.0.0.0") ? "127.0.0.1" : host),
                Math.toIntExact(number("hearth.kafka.socket.request.max.bytes", null,
                        number("hearth.kafka.max.request.bytes", null, defaults.maxRequestBytes()))),
                autoCreation.enabled(),
                autoCreation.defaultPartitions(),
                clusterId(),
                Math.toIntExact(number("hearth.kafka.num.network.threads", null,
                        number("hearth.kafka.network.threads", null, defaults.eventLoopThreads()))),
                listenerLimits(),
                listenerSecurity());
    }

    /**
     * {@code hearth.kafka.security.protocol} and what it needs: {@code hearth.kafka.sasl.*}, {@code hearth.kafka.ssl.*}
     * (names and defaults in {@link ListenerSecurity}).
     */
    ListenerSecurity listenerSecurity() {
        SecurityProtocol protocol;
        String protocolName = string("hearth.kafka.security.protocol", null, "PLAINTEXT").trim().toUpperCase(Locale.ROOT);
        try {
            protocol = SecurityProtocol.forName(protocolName);
            if (protocol == null) {
                throw new IllegalArgumentException(protocolName);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("hearth.kafka.security.protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or "
                    + "SASL_SSL, not '" + protocolName + "'");
        }
        List<String> mechanisms = list("hearth.kafka.sasl.enabled.mechanisms");
        try {
            ListenerSecurity.Tls tls = null;
            if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
                tls = new ListenerSecurity.Tls(
                        optional("hearth.kafka.ssl.keystore.type"),
                        optional("hearth.kafka.ssl.keystore.location"),
                        optional("hearth.kafka.ssl.keystore.certificate.chain.location"),
                        optional("hearth.kafka.ssl.keystore.key.location"),
                        password("hearth.kafka.ssl.keystore.password"),
                        password("hearth.kafka.ssl.key.password"),
                        optional("hearth.kafka.ssl.truststore.type"),
                        optional("hearth.kafka.ssl.truststore.location"),
                        password("hearth.kafka.ssl.truststore.password"),
                        ListenerSecurity.ClientAuth.parse(string("hearth.kafka.ssl.client.auth", null, "none")),
                        list("hearth.kafka.ssl.enabled.protocols"),
                        list("hearth.kafka.ssl.cipher.suites"));
            }
            return new ListenerSecurity(protocol, tls,
                    mechanisms.isEmpty() ? ListenerSecurity.MECHANISMS
                            : mechanisms.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList(),
                    number("hearth.kafka.connection.failed.authentication.delay.ms", null,
                            ListenerSecurity.DEFAULT_FAILED_AUTHENTICATION_DELAY_MS),
                    Boolean.parseBoolean(string("hearth.kafka.allow.unauthenticated", null, "false").trim()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    private String optional(String key) {
        return lookup(key).filter(v -> !v.isBlank()).map(String::trim).orElse(null);
    }

    private char[] password(String key) {
        return lookup(key).filter(v -> !v.isEmpty()).map(String::toCharArray).orElse(null);
    }

    /** A comma list; empty when unset. */
    private List<String> list(String key) {
        return lookup(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
                .orElse(List.of());
    }

    /** Kafka's names under {@code hearth.kafka.}; see {@link ListenerLimits} for meaning and defaults. */
    ListenerLimits listenerLimits() {
        ListenerLimits defaults = ListenerLimits.DEFAULTS;
        return new ListenerLimits(
                Math.toIntExact(number("hearth.kafka.num.io.threads", null, defaults.numIoThreads())),
                Math.toIntExact(number("hearth.kafka.queued.max.requests", null, defaults.queuedMaxRequests())),
                number("hearth.kafka.connections.max.idle.ms", null, defaults.connectionsMaxIdleMs()),
                Math.toIntExact(number("hearth.kafka.max.connections.per.ip", null, defaults.maxConnectionsPerIp())),
                Math.toIntExact(number("hearth.kafka.max.connections", null, defaults.maxConnections())));
    }

    EngineConfig engineConfig() {
        TopicConfig defaults = TopicConfig.DEFAULTS;
        TopicConfig topicDefaults = new TopicConfig(
                number("hearth.retention.ms", adapter.getRetentionMs(), defaults.retentionMs()),
                number("hearth.retention.bytes", adapter.getRetentionBytes(), defaults.retentionBytes()),
                Math.toIntExact(number("hearth.segment.bytes", adapter.getSegmentBytes(), defaults.segmentBytes())),
                number("hearth.segment.ms", adapter.getSegmentMs(), defaults.segmentMs()),
                defaults.cleanupPolicy(),
                Math.toIntExact(number("hearth.max.message.bytes", adapter.getMaxMessageBytes(), defaults.maxMessageBytes())),
                defaults.messageTimestampType());
        FlushPolicy flushPolicy = new FlushPolicy(number("hearth.flush.interval.ms", adapter.getFlushIntervalMs(), 0));
        return EngineConfig.defaults(dataDir())
                .withFlushPolicy(flushPolicy)
                .withTopicDefaults(topicDefaults)
                .withRetentionCheckIntervalMs(
                        number("hearth.retention.check.interval.ms", adapter.getRetentionCheckIntervalMs(), 30_000))
                .withCompaction(number("hearth.compaction.interval.ms", null, EngineConfig.DEFAULT_COMPACTION_INTERVAL_MS),
                        Math.toIntExact(number("hearth.compaction.map.entries", null,
                                EngineConfig.DEFAULT_COMPACTION_MAX_MAP_ENTRIES)))
                .withMaxPartitions(Math.toIntExact(number("hearth.max.partitions.per.broker", null,
                        EngineConfig.DEFAULT_MAX_PARTITIONS)));
    }
}
