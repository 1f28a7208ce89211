package dev.hearth.job.control;

import jakarta.ejb.ApplicationException;

/**
 * A store query that cannot be answered now but may be soon: the job is starting, restarting or rebalancing,
 * the worker holding the partition did not answer within the query time-out, or the partition's owner does not
 * advertise a URL. Retriable.
 */
@ApplicationException
public class StoreUnavailableException extends RuntimeException {

    private final String job;
    private final String store;
    /** The partition asked, or -1 for a query of every partition. */
    private final int partition;

    public StoreUnavailableException(String job, String store, int partition, String message) {
        super(message);
        this.job = job;
        this.store = store;
        this.partition = partition;
    }

    public String job() {
        return job;
    }

    public String store() {
        return store;
    }

    public int partition() {
        return partition;
    }
}
