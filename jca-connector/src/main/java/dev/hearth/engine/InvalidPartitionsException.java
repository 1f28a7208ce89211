package dev.hearth.engine;

/** A partition count is not positive, or would shrink a topic. */
public class InvalidPartitionsException extends HearthException {

    public InvalidPartitionsException(String message) {
        super(message);
    }
}
