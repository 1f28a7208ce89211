package dev.hearth.engine;

/**
 * A producer wrote with an epoch older than the newest the partition has seen for its producer id: a newer
 * instance of the same producer (or the transaction coordinator, on a timeout) has fenced it. Nothing was
 * appended.
 */
public class InvalidProducerEpochException extends HearthException {

    public InvalidProducerEpochException(String message) {
        super(message);
    }
}
