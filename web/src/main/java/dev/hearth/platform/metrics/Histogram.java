package dev.hearth.platform.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram with fixed bounds in seconds: {@link #observe} is one bounded search and two adder updates,
 * no allocation. Thread-safety: observe from any thread; {@link #writeTo} reads without stopping writers, so a
 * scrape may be a request inconsistent between buckets and sum.
 */
final class Histogram {

    /** Upper bounds in seconds, Prometheus's defaults widened to 30 s: REST calls range from 1 ms to long polls. */
    static final double[] BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /** Per bucket, observations in that bucket alone; the last one is beyond every bound. */
    private final LongAdder[] counts = new LongAdder[BOUNDS_SECONDS.length + 1];
    private final DoubleAdder sumSeconds = new DoubleAdder();

    Histogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void observe(long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        int bucket = 0;
        while (bucket < BOUNDS_SECONDS.length && seconds > BOUNDS_SECONDS[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sumSeconds.add(seconds);
    }

    void writeTo(PrometheusText text, String name, String... labels) {
        long[] cumulative = new long[counts.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            total += counts[i].sum();
            cumulative[i] = total;
        }
        text.histogram(name, BOUNDS_SECONDS, cumulative, sumSeconds.sum(), labels);
    }
}
