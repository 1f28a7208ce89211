package dev.hearth.job.exec;

/**
 * A local state store or its directory could not be read or written (disk full, permissions, RocksDB failure).
 * The task that owns it is discarded; its state is rebuilt from the changelog wherever it runs next, because the
 * changelog, not the local copy, is the source of truth.
 */
public final class StateStoreException extends RuntimeException {

    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
