package dev.hearth.engine;

/**
 * An idempotent producer's batch does not follow the last batch the partition holds from it (a gap or a
 * reordering), and is not a retry of one of its last few batches either. Nothing was appended; the producer
 * must not go on at this epoch (Kafka clients bump their epoch and resend).
 */
public class OutOfOrderSequenceException extends HearthException {

    public OutOfOrderSequenceException(String message) {
        super(message);
    }
}
