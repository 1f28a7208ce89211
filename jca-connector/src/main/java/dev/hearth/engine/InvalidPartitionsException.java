package dev.hearth.engine;

/** A partition count is not positive, above {@link dev.hearth.engine.log.LogEngine#MAX_PARTITIONS_PER_TOPIC} or the broker's limit ({@link PartitionLimitException}), or would shrink a topic. */
public class InvalidPartitionsException extends HearthException {

    public InvalidPartitionsException(String message) {
        super(message);
    }

    /**
     * A request for {@code requestedCount} partitions of a topic that has {@code currentCount} already, in Apache
     * Kafka's controller's own words, which kafka-topics prints as they are.
     */
    public static InvalidPartitionsException notAnIncrease(String topic, int currentCount, int requestedCount) {
        return new InvalidPartitionsException(requestedCount == currentCount
                ? "Topic already has " + currentCount + " partition(s)."
                : "The topic " + topic + " currently has " + currentCount + " partition(s); " + requestedCount
                        + " would not be an increase.");
    }
}
