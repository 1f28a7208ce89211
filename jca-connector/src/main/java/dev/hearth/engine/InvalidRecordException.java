package dev.hearth.engine;

/** A record batch failed validation (CRC, magic, offsets, size); nothing of the request was appended. */
public class InvalidRecordException extends HearthException {

    public InvalidRecordException(String message) {
        super(message);
    }
}
