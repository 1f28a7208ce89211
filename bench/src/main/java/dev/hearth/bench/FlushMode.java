package dev.hearth.bench;

import java.util.Arrays;

import dev.hearth.engine.FlushPolicy;

/**
 * How a write benchmark makes its bytes durable, named as its JMH {@code flush} parameter.
 *
 * <p>Thread-safety: immutable.
 */
enum FlushMode {

    /** Every batch is forced to disk before the write returns: {@link FlushPolicy#EVERY_APPEND}. */
    PER_BATCH("per-batch", 0),
    /**
     * A background thread forces written bytes to disk every second: {@code FlushPolicy.periodic(1000)},
     * driven the way the resource adapter's engine work drives {@code LogEngine.flush()}.
     */
    PERIODIC("periodic", 1000);

    private final String paramValue;
    /** 0: every batch; above 0: milliseconds between background flushes. */
    private final long intervalMs;

    FlushMode(String paramValue, long intervalMs) {
        this.paramValue = paramValue;
        this.intervalMs = intervalMs;
    }

    static FlushMode parse(String paramValue) {
        return Arrays.stream(values())
                .filter(mode -> mode.paramValue.equals(paramValue))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("flush must be per-batch or periodic, not '"
                        + paramValue + "'"));
    }

    FlushPolicy policy() {
        return new FlushPolicy(intervalMs);
    }

    boolean forcesEveryBatch() {
        return intervalMs == 0;
    }

    /** Starts the background flush this mode needs; {@link BackgroundFlusher#NONE} for per-batch forcing. */
    BackgroundFlusher startBackgroundFlush(String threadName, BackgroundFlusher.Flush flush) {
        return forcesEveryBatch() ? BackgroundFlusher.NONE : BackgroundFlusher.every(intervalMs, threadName, flush);
    }
}
