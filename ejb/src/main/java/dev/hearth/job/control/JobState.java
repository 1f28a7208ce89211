package dev.hearth.job.control;

/** Where a stream job stands, as the admin API and the console show it. */
public enum JobState {
    /** Discovered; its topics are being checked and created. */
    STARTING,
    /** A source topic does not exist yet; the job starts when it does. */
    WAITING_FOR_TOPICS,
    RUNNING,
    /** Consuming nothing, keeping its group membership and state. */
    PAUSED,
    /**
     * A worker failed (see the last error) and restarts from the last committed transaction after a back-off; a
     * record that keeps failing is retried, then dead-lettered. Back to {@link #RUNNING} (the last error still
     * shown) once the worker runs again.
     */
    RETRYING,
    /**
     * Stopped for good without being asked to: a worker hit an error a restart cannot cure (its classes are gone,
     * a {@link LinkageError}) and ended (see the last error). Undeploying or redeploying the application clears it.
     */
    FAILED,
    /**
     * Does not run: its {@code @StreamJob} method or its plan failed, or its plan no longer fits the state it left
     * (see the last error). A corrected version of its application, or a reset, brings it back.
     */
    REJECTED,
    /** Undeployed or shut down. */
    STOPPED
}
