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
    /** A worker failed (see the last error) and restarts from the last committed transaction after a back-off. */
    FAILED,
    /** Undeployed or shut down. */
    STOPPED
}
