package dev.hearth.engine;

/** A partition count is not positive, above {@link LogEngine#MAX_PARTITIONS_PER_TOPIC}, or would shrink a topic. */
public class InvalidPartitionsException extends HearthException {

    public InvalidPartitionsException(String message) {
        super(message);
    }
}
