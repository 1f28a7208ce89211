package dev.hearth.job.exec;

/**
 * A windowed operator, told when the task's event-time frontier advances. Confined to the task's thread.
 * <p>
 * Invariant (what lets a downstream stage inherit this stage's watermark): once the frontier is {@code f}, no
 * record the operator emits later carries an event time below {@link #outputWatermarkMs outputWatermarkMs(f)}.
 * The task broadcasts the minimum of these downstream instead of its raw frontier, so a window fed by another
 * window closes exactly when its input can no longer change, without repeating the upstream
 * {@code outOfOrderness}.
 */
interface WatermarkListener {

    /** Emits and forgets every window that is final at {@code frontierMs} (see {@link EventTimes}). */
    void onFrontier(long frontierMs);

    /**
     * A lower bound on the event time of every record this operator may still emit once the frontier is
     * {@code frontierMs} (saturating as {@link EventTimes} does); never above {@code frontierMs}.
     */
    long outputWatermarkMs(long frontierMs);
}
