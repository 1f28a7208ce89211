package dev.hearth.connector.api;

/**
 * The one-broker cluster Hearth is.
 *
 * @param clusterId      {@code hearth.cluster.id}: the id in REST paths and the one Kafka clients are told
 * @param nodeId         the broker's node id (always 0)
 * @param kafkaHost      the host Kafka clients are told to connect to, or null when the Kafka listener is off
 * @param kafkaPort      the Kafka listener's bound port, or -1 when it is off
 * @param status         the engine's state
 * @param topicCount     topics, internal ones ({@code __consumer_offsets}) included
 * @param partitionCount partitions of those topics
 */
public record ClusterInfo(String clusterId, int nodeId, String kafkaHost, int kafkaPort, BrokerStatus status,
                          int topicCount, int partitionCount) {
}
