package dev.hearth.job.plan;

/**
 * Job-wide settings the planner bakes into the plan.
 *
 * @param defaultLateTopic               side output of windows that do not name one ({@code <job>-late})
 * @param watermarkBroadcastIntervalMs   event-time distance the frontier of a task must advance before the task
 *                                       broadcasts it from {@code process} (it always does at punctuate/finish)
 */
public record PlanOptions(String defaultLateTopic, long watermarkBroadcastIntervalMs) {

    public PlanOptions {
        if (watermarkBroadcastIntervalMs < 0) {
            throw new IllegalArgumentException("watermarkBroadcastIntervalMs must not be negative: "
                    + watermarkBroadcastIntervalMs);
        }
    }
}
