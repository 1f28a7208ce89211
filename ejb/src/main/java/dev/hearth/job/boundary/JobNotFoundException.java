package dev.hearth.job.boundary;

import jakarta.ejb.ApplicationException;

/** No stream job of that name is deployed. */
@ApplicationException
public class JobNotFoundException extends RuntimeException {

    private final String job;

    public JobNotFoundException(String job) {
        super("No stream job named '" + job + "' is deployed");
        this.job = job;
    }

    public String job() {
        return job;
    }
}
