package dev.hearth.job.control;

import jakarta.ejb.ApplicationException;

/** The store has no value for the key (in the window range asked, for a window store). */
@ApplicationException
public class StoreKeyNotFoundException extends RuntimeException {

    private final String job;
    private final String store;
    private final String key;
    private final int partition;

    public StoreKeyNotFoundException(String job, String store, String key, int partition, String detail) {
        super(detail);
        this.job = job;
        this.store = store;
        this.key = key;
        this.partition = partition;
    }

    public String job() {
        return job;
    }

    public String store() {
        return store;
    }

    /** The key as the client gave it. */
    public String key() {
        return key;
    }

    /** The partition (task) that was asked. */
    public int partition() {
        return partition;
    }
}
