package dev.hearth.engine;

/** A partition count is not positive, above {@link dev.hearth.engine.log.LogEngine#MAX_PARTITIONS_PER_TOPIC} or the broker's limit ({@link PartitionLimitException}), or would shrink a topic. */
public class InvalidPartitionsException extends HearthException {

    public InvalidPartitionsException(String message) {
        super(message);
    }
}
