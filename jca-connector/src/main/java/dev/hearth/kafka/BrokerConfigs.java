package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;

import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.TopicConfig;
import dev.hearth.txn.TransactionalIdExpiry;

/**
 * Hearth's settings under the names a one-node Kafka in KRaft combined mode reports for its broker
 * ({@code kafka-configs --entity-type brokers --entity-name 0 --describe --all}, DescribeConfigs of a BROKER
 * resource): the effective value of each, with source DEFAULT_CONFIG where it equals Kafka's default and
 * STATIC_BROKER_CONFIG where Hearth's configuration (or its being one node) makes it differ, as a value set in
 * {@code server.properties} would. Every entry is read-only: Hearth has no dynamic broker configs.
 *
 * <p>The topic-level defaults ({@code log.retention.ms}, {@code log.segment.bytes}…) come from the engine's topic
 * defaults, so they are what a topic without overrides gets. Thread-safety: immutable.
 */
final class BrokerConfigs {

    /** One broker config: its effective value, Kafka's default (null: none) and its type. */
    record Entry(String name, String value, String kafkaDefault, ConfigType type) {

        ConfigSource source() {
            return Objects.equals(value, kafkaDefault) ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG;
        }
    }

    private final KafkaListenerConfig listener;
    private final EngineConfig engine;
    /** The listener's port, known once it is bound. */
    private final IntSupplier port;

    BrokerConfigs(KafkaListenerConfig listener, EngineConfig engine, IntSupplier port) {
        this.listener = listener;
        this.engine = engine;
        this.port = port;
    }

    /** Every entry, in a stable order; built per call (a describe is rare), so it shows the bound port. */
    List<Entry> entries() {
        int boundPort = port.getAsInt();
        Map<String, String> topic = engine.topicDefaults().toMap();
        String listenerName = listener.security().protocol().name;
        List<Entry> all = new ArrayList<>();
        all.add(new Entry("node.id", Integer.toString(KafkaListenerConfig.NODE_ID), null, ConfigType.INT));
        all.add(new Entry("broker.id", Integer.toString(KafkaListenerConfig.NODE_ID), "-1", ConfigType.INT));
        all.add(new Entry("process.roles", "broker,controller", "", ConfigType.LIST));
        all.add(new Entry("listeners", listenerName + "://" + listener.host() + ":" + boundPort,
                "PLAINTEXT://:9092", ConfigType.LIST));
        all.add(new Entry("advertised.listeners", listenerName + "://" + listener.advertisedHost() + ":" + boundPort,
                null, ConfigType.LIST));
        all.add(new Entry("log.dirs", engine.dataDir().toAbsolutePath().toString(), null, ConfigType.LIST));
        all.add(new Entry("auto.create.topics.enable", Boolean.toString(listener.autoCreateTopics()), "true",
                ConfigType.BOOLEAN));
        all.add(new Entry("delete.topic.enable", "true", "true", ConfigType.BOOLEAN));
        all.add(new Entry("num.partitions", Integer.toString(listener.defaultPartitions()), "1", ConfigType.INT));
        all.add(new Entry("default.replication.factor", "1", "1", ConfigType.INT));
        all.add(new Entry("min.insync.replicas", "1", "1", ConfigType.INT));
        // One node cannot hold three replicas: set to 1, as a one-node Kafka's server.properties does.
        all.add(new Entry("offsets.topic.replication.factor", "1", "3", ConfigType.SHORT));
        all.add(new Entry("transaction.state.log.replication.factor", "1", "3", ConfigType.SHORT));
        all.add(new Entry("transaction.state.log.min.isr", "1", "2", ConfigType.INT));
        all.add(new Entry("transactional.id.expiration.ms",
                Long.toString(TransactionalIdExpiry.KAFKA_DEFAULT.defaultMs()), "604800000", ConfigType.INT));
        all.add(new Entry("log.retention.ms", topic.get(TopicConfig.RETENTION_MS), "604800000", ConfigType.LONG));
        all.add(new Entry("log.retention.bytes", topic.get(TopicConfig.RETENTION_BYTES), "-1", ConfigType.LONG));
        all.add(new Entry("log.retention.check.interval.ms", Long.toString(engine.retentionCheckIntervalMs()),
                "300000", ConfigType.LONG));
        all.add(new Entry("log.segment.bytes", topic.get(TopicConfig.SEGMENT_BYTES), "1073741824", ConfigType.INT));
        all.add(new Entry("log.roll.ms", topic.get(TopicConfig.SEGMENT_MS), "604800000", ConfigType.LONG));
        all.add(new Entry("log.cleanup.policy", topic.get(TopicConfig.CLEANUP_POLICY), "delete", ConfigType.LIST));
        all.add(new Entry("log.cleaner.delete.retention.ms", topic.get(TopicConfig.DELETE_RETENTION_MS), "86400000",
                ConfigType.LONG));
        all.add(new Entry("log.cleaner.min.cleanable.ratio", topic.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO), "0.5",
                ConfigType.DOUBLE));
        all.add(new Entry("log.message.timestamp.type", topic.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE), "CreateTime",
                ConfigType.STRING));
        all.add(new Entry("message.max.bytes", topic.get(TopicConfig.MAX_MESSAGE_BYTES), "1048588", ConfigType.INT));
        all.add(new Entry("socket.request.max.bytes", Integer.toString(listener.maxRequestBytes()), "104857600",
                ConfigType.INT));
        all.add(new Entry("num.network.threads", Integer.toString(listener.eventLoopThreads()), "3", ConfigType.INT));
        all.add(new Entry("num.io.threads", Integer.toString(listener.limits().numIoThreads()), "8", ConfigType.INT));
        all.add(new Entry("queued.max.requests", Integer.toString(listener.limits().queuedMaxRequests()), "500",
                ConfigType.INT));
        all.add(new Entry("connections.max.idle.ms", Long.toString(listener.limits().connectionsMaxIdleMs()),
                "600000", ConfigType.LONG));
        all.add(new Entry("max.connections.per.ip", Integer.toString(listener.limits().maxConnectionsPerIp()),
                "2147483647", ConfigType.INT));
        all.add(new Entry("max.connections", Integer.toString(listener.limits().maxConnections()), "2147483647",
                ConfigType.INT));
        all.add(new Entry("metadata.log.dir", engine.dataDir().toAbsolutePath().toString(), null, ConfigType.STRING));
        return List.copyOf(all);
    }
}
