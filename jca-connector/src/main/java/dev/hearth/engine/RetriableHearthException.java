package dev.hearth.engine;

/** A failure that may succeed when the same request is sent again later, unchanged. */
public abstract class RetriableHearthException extends HearthException {

    protected RetriableHearthException(String message) {
        super(message);
    }

    protected RetriableHearthException(String message, Throwable cause) {
        super(message, cause);
    }
}
