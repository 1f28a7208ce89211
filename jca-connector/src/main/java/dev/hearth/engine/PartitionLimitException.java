package dev.hearth.engine;

/**
 * Creating a topic or adding partitions would take the broker past {@link EngineConfig#maxPartitions}; nothing
 * was created. Over the Kafka protocol POLICY_VIOLATION, as Kafka answers a creation its policies refuse.
 */
public class PartitionLimitException extends InvalidPartitionsException {

    public PartitionLimitException(String message) {
        super(message);
    }
}
