package dev.hearth.job.plan;

import dev.hearth.job.api.StoreKind;

import java.util.Map;

/**
 * Job-wide settings the planner bakes into the plan.
 *
 * @param defaultLateTopic               side output of windows that do not name one ({@code <job>-late})
 * @param watermarkBroadcastIntervalMs   event-time distance the frontier of a task must advance before the task
 *                                       broadcasts it from {@code process} (it always does at punctuate/finish)
 * @param defaultStoreKind               kind of the state stores not named in {@code storeKinds}
 * @param storeKinds                     kind of each store given its own, by store name
 */
public record PlanOptions(String defaultLateTopic, long watermarkBroadcastIntervalMs, StoreKind defaultStoreKind,
                          Map<String, StoreKind> storeKinds) {

    /** Every store {@link StoreKind#PERSISTENT}. */
    public PlanOptions(String defaultLateTopic, long watermarkBroadcastIntervalMs) {
        this(defaultLateTopic, watermarkBroadcastIntervalMs, StoreKind.PERSISTENT, Map.of());
    }

    /** The kind of store {@code storeName}. */
    public StoreKind storeKind(String storeName) {
        return storeKinds.getOrDefault(storeName, defaultStoreKind);
    }

    public PlanOptions {
        storeKinds = Map.copyOf(storeKinds);
        if (watermarkBroadcastIntervalMs < 0) {
            throw new IllegalArgumentException("watermarkBroadcastIntervalMs must not be negative: "
                    + watermarkBroadcastIntervalMs);
        }
    }
}
