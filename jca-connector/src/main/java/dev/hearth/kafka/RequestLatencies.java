package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Latency histograms of Kafka requests per API key, from a frame's arrival to its response being queued
 * (a Fetch's long-poll wait included, as Kafka's {@code TotalTimeMs}). Buckets are fixed
 * ({@link #UPPER_BOUNDS_NANOS}, 0.5 ms to 10 s, plus +Inf) and allocated once, so {@link #record} allocates
 * nothing: one bounded search and two {@link LongAdder} additions.
 *
 * <p>Thread-safety: {@link #record} from any event loop; {@link #snapshot} from any thread, without
 * stopping writers, so a snapshot may be a few requests inconsistent between count and buckets.
 */
public final class RequestLatencies {

    /** Upper bounds of the finite buckets, ascending; a last, implicit bucket holds the rest. */
    public static final long[] UPPER_BOUNDS_NANOS = {
            500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
            100_000_000L, 250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L,
            10_000_000_000L};

    /** Per API key id, then per bucket (the last is beyond every bound): requests in that bucket alone. */
    private final LongAdder[][] buckets;
    /** Per API key id: total nanoseconds. */
    private final LongAdder[] sumNanos;

    public RequestLatencies() {
        int apis = 0;
        for (ApiKeys key : ApiKeys.values()) {
            apis = Math.max(apis, key.id + 1);
        }
        buckets = new LongAdder[apis][UPPER_BOUNDS_NANOS.length + 1];
        sumNanos = new LongAdder[apis];
        for (int api = 0; api < apis; api++) {
            sumNanos[api] = new LongAdder();
            for (int bucket = 0; bucket <= UPPER_BOUNDS_NANOS.length; bucket++) {
                buckets[api][bucket] = new LongAdder();
            }
        }
    }

    void record(ApiKeys api, long elapsedNanos) {
        int bucket = 0;
        while (bucket < UPPER_BOUNDS_NANOS.length && elapsedNanos > UPPER_BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        buckets[api.id][bucket].increment();
        sumNanos[api.id].add(elapsedNanos);
    }

    /** Every API with at least one request, in API key order. */
    public List<ApiLatency> snapshot() {
        List<ApiLatency> result = new ArrayList<>();
        for (ApiKeys key : ApiKeys.values()) {
            long[] counts = new long[UPPER_BOUNDS_NANOS.length + 1];
            long total = 0;
            for (int bucket = 0; bucket < counts.length; bucket++) {
                counts[bucket] = buckets[key.id][bucket].sum();
                total += counts[bucket];
            }
            if (total > 0) {
                result.add(new ApiLatency(key.name, counts, total, sumNanos[key.id].sum()));
            }
        }
        return result;
    }

    /**
     * One API's distribution.
     *
     * @param api          Kafka's name of the API, e.g. {@code Produce}
     * @param bucketCounts requests per bucket (not cumulative), aligned with {@link #UPPER_BOUNDS_NANOS} plus one
     */
    public record ApiLatency(String api, long[] bucketCounts, long count, long sumNanos) {
    }
}
