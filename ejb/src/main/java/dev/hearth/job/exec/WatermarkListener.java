package dev.hearth.job.exec;

/** A windowed operator, told when the task's event-time frontier advances. Confined to the task's thread. */
interface WatermarkListener {

    /** Emits and forgets every window that is final at {@code frontierMs} (see {@link EventTimes}). */
    void onFrontier(long frontierMs);
}
