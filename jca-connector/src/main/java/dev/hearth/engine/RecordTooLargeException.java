package dev.hearth.engine;

/** A batch is larger than the topic's max.message.bytes. */
public class RecordTooLargeException extends HearthException {

    public RecordTooLargeException(String message) {
        super(message);
    }
}
