package dev.hearth.job.boundary;

import jakarta.ejb.ApplicationException;

/** No stream job of that name is deployed, or it has no bounded run of that id. */
@ApplicationException
public class JobNotFoundException extends RuntimeException {

    private final String job;

    public JobNotFoundException(String job) {
        this(job, "No stream job named '" + job + "' is deployed");
    }

    private JobNotFoundException(String job, String message) {
        super(message);
        this.job = job;
    }

    /** The job exists but has no bounded run with that id (they are kept until undeployment). */
    public static JobNotFoundException unknownRun(String job, String runId) {
        return new JobNotFoundException(job, "Job '" + job + "' has no bounded run '" + runId + "'");
    }

    public String job() {
        return job;
    }
}
