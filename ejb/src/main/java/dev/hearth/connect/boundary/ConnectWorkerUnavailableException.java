package dev.hearth.connect.boundary;

import jakarta.ejb.ApplicationException;

/**
 * The hosted Kafka Connect worker cannot answer: it is disabled ({@code hearth.connect.enabled=false}, the
 * default), still starting, or failed to start. The message says which and, when disabled, how to enable it.
 */
@ApplicationException
public class ConnectWorkerUnavailableException extends RuntimeException {

    private final boolean disabled;

    public ConnectWorkerUnavailableException(String message, boolean disabled) {
        super(message);
        this.disabled = disabled;
    }

    /** Whether the worker is switched off by configuration (rather than starting or failed). */
    public boolean disabled() {
        return disabled;
    }
}
