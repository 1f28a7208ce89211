package dev.hearth.security.control;

/** The Kafka resource types that Hearth's HTTP API names, spelled as Kafka's {@code ResourceType} constants. */
public enum AclResourceType {
    TOPIC, GROUP, CLUSTER;

    /** The name of the one cluster resource, as in Kafka. */
    public static final String CLUSTER_NAME = "kafka-cluster";
}
