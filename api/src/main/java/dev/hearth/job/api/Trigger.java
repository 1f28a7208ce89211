package dev.hearth.job.api;

import java.time.Duration;
import java.util.Objects;

/**
 * When a job's results become visible. {@link #continuous()} (the default): every poll of input is processed and
 * committed as it arrives, for the lowest latency. {@link #microBatch(Duration)}: input is processed as it
 * arrives but committed (and so made visible to read_committed readers, with its state and offsets) once per
 * interval, as one transaction: fewer, larger transactions for throughput. Either way exactly-once.
 *
 * @param intervalMs 0 for continuous, else the micro-batch interval
 */
public record Trigger(long intervalMs) {

    public Trigger {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("a trigger interval must not be negative: " + intervalMs + " ms");
        }
    }

    public static Trigger continuous() {
        return new Trigger(0);
    }

    public static Trigger microBatch(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("a micro-batch interval must be positive: " + interval);
        }
        return new Trigger(interval.toMillis());
    }

    public boolean isContinuous() {
        return intervalMs == 0;
    }

    @Override
    public String toString() {
        return isContinuous() ? "continuous" : "micro-batch every " + intervalMs + " ms";
    }
}
