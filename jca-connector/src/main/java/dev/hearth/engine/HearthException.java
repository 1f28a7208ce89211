package dev.hearth.engine;

/**
 * Base of every failure the engine reports to its callers. Unchecked: callers translate it once, at their
 * boundary (a Kafka error code, an RFC 9457 problem, a JCA {@code ResourceException}).
 */
public abstract class HearthException extends RuntimeException {

    protected HearthException(String message) {
        super(message);
    }

    protected HearthException(String message, Throwable cause) {
        super(message, cause);
    }
}
