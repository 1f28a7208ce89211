package dev.hearth.job.control;

import java.util.Collection;

import jakarta.ejb.ApplicationException;

/** The job has no queryable store of that name; the message names the ones it has. */
@ApplicationException
public class StoreNotFoundException extends RuntimeException {

    private final String job;
    private final String store;

    public StoreNotFoundException(String job, String store, Collection<String> queryable) {
        super("Job '" + job + "' has no queryable store '" + store + "'; its stores are " + queryable);
        this.job = job;
        this.store = store;
    }

    public String job() {
        return job;
    }

    public String store() {
        return store;
    }
}
