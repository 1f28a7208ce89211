package dev.hearth.kafka;

import dev.hearth.engine.log.TopicAutoCreation;

/**
 * Settings of the Kafka-protocol listener.
 *
 * @param host              address to bind (default 127.0.0.1)
 * @param port              port to bind (default 9092; 0 picks a free one, for tests)
 * @param advertisedHost    host clients are told to connect to (Metadata, FindCoordinator)
 * @param maxRequestBytes   {@code socket.request.max.bytes}: largest request frame accepted; a frame announcing
 *                          more closes that connection before any buffer for it is allocated
 * @param autoCreateTopics  whether Metadata and Produce for an unknown topic create it, as Kafka's default
 * @param defaultPartitions partitions of auto-created topics and of CreateTopics asking for the default
 * @param clusterId         the cluster id reported to clients
 * @param eventLoopThreads  {@code num.network.threads}: threads that read, decode, encode and write
 * @param limits            request-handler threads and what clients may hold of the listener's resources
 * @param security          security protocol, TLS and SASL settings (default PLAINTEXT)
 */
public record KafkaListenerConfig(String host, int port, String advertisedHost, int maxRequestBytes,
                                  boolean autoCreateTopics, int defaultPartitions, String clusterId,
                                  int eventLoopThreads, ListenerLimits limits, ListenerSecurity security) {

    public KafkaListenerConfig {
        security = security == null ? ListenerSecurity.PLAINTEXT : security;
    }

    /** Without security settings: PLAINTEXT. */
    public KafkaListenerConfig(String host, int port, String advertisedHost, int maxRequestBytes,
                               boolean autoCreateTopics, int defaultPartitions, String clusterId,
                               int eventLoopThreads, ListenerLimits limits) {
        this(host, port, advertisedHost, maxRequestBytes, autoCreateTopics, defaultPartitions, clusterId,
                eventLoopThreads, limits, ListenerSecurity.PLAINTEXT);
    }

    /** Hearth is a single broker; this is its node id everywhere. */
    public static final int NODE_ID = 0;

    public static KafkaListenerConfig defaults() {
        return new KafkaListenerConfig("127.0.0.1", 9092, "127.0.0.1", 100 * 1024 * 1024, true, 1,
                "hearth-cluster-0000000", 2, ListenerLimits.DEFAULTS);
    }

    /** Auto-creation of unknown topics as these settings ask. */
    public TopicAutoCreation topicAutoCreation() {
        return new TopicAutoCreation(autoCreateTopics, defaultPartitions);
    }

    public KafkaListenerConfig withPort(int newPort) {
        return new KafkaListenerConfig(host, newPort, advertisedHost, maxRequestBytes, autoCreateTopics,
                defaultPartitions, clusterId, eventLoopThreads, limits, security);
    }

    public KafkaListenerConfig withLimits(ListenerLimits newLimits) {
        return new KafkaListenerConfig(host, port, advertisedHost, maxRequestBytes, autoCreateTopics,
                defaultPartitions, clusterId, eventLoopThreads, newLimits, security);
    }

    public KafkaListenerConfig withSecurity(ListenerSecurity newSecurity) {
        return new KafkaListenerConfig(host, port, advertisedHost, maxRequestBytes, autoCreateTopics,
                defaultPartitions, clusterId, eventLoopThreads, limits, newSecurity);
    }

    public KafkaListenerConfig withHost(String newHost) {
        return new KafkaListenerConfig(newHost, port, advertisedHost, maxRequestBytes, autoCreateTopics,
                defaultPartitions, clusterId, eventLoopThreads, limits, security);
    }

    public KafkaListenerConfig withMaxRequestBytes(int bytes) {
        return new KafkaListenerConfig(host, port, advertisedHost, bytes, autoCreateTopics,
                defaultPartitions, clusterId, eventLoopThreads, limits, security);
    }
}
