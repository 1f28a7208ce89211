package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Latency histograms of Kafka requests per API key, from a frame's arrival to its response being queued
 * (a Fetch's long-poll wait included, as Kafka's {@code TotalTimeMs}). Buckets are fixed
 * ({@link #UPPER_BOUNDS_NANOS}, 0.5 ms to 10 s, plus +Inf) and allocated once, so {@link #record} allocates
 * nothing: one bounded search and two {@link LongAdder} additions.
 *
 * <p>Also counts, as Kafka's {@code RequestMetrics ErrorsPerSec} does, the error codes of the responses per API
 * ({@link #recordErrors}; {@code NONE} is not counted), the frames that closed their connection as malformed, and
 * the listener's connections ({@link #connections}): what a dashboard needs to see failing and unsupported requests.
 *
 * <p>Thread-safety: {@link #record} and {@link #recordErrors} from any thread; {@link #snapshot} and
 * {@link #errorsSnapshot} from any thread, without stopping writers, so a snapshot may be a few requests
 * inconsistent between count and buckets.
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
    /**
     * Responses' error codes: key {@code apiKeyId << 16 | (errorCode & 0xffff)}, value how often. Filled lazily:
     * errors are rare and an eager table would hold every API times every error code.
     */
    private final ConcurrentHashMap<Integer, LongAdder> errors = new ConcurrentHashMap<>();
    /** Frames that closed their connection: unparseable, or a request no client sends. */
    private final LongAdder malformed = new LongAdder();
    private final ConnectionCounts connections = new ConnectionCounts();

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

    /**
     * Counts the error codes of one answer: {@code failure}'s when the handler failed (then {@code response} is
     * unused), else every code of {@code response}'s {@link AbstractResponse#errorCounts()} but {@code NONE}
     * (a Produce to three partitions of which two fail counts 2). Allocates a map per answer, as Kafka's broker
     * does for the same metric.
     */
    void recordErrors(ApiKeys api, AbstractResponse response, Throwable failure) {
        if (failure != null) {
            add(api, Errors.forException(failure), 1);
            return;
        }
        if (response == null) {
            return;
        }
        for (Map.Entry<Errors, Integer> entry : response.errorCounts().entrySet()) {
            if (entry.getKey() != Errors.NONE) {
                add(api, entry.getKey(), entry.getValue());
            }
        }
    }

    private void add(ApiKeys api, Errors error, int count) {
        errors.computeIfAbsent(api.id << 16 | (error.code() & 0xffff), key -> new LongAdder()).add(count);
    }

    /** A frame that closed its connection as malformed. */
    void recordMalformed() {
        malformed.increment();
    }

    /** Frames that closed their connection as malformed since the listener started. */
    public long malformedRequests() {
        return malformed.sum();
    }

    /** The listener's connection counts. */
    public ConnectionCounts connections() {
        return connections;
    }

    /** Every (API, error) pair counted at least once, in no particular order. */
    public List<ApiError> errorsSnapshot() {
        List<ApiError> result = new ArrayList<>();
        errors.forEach((key, count) -> result.add(new ApiError(ApiKeys.forId(key >>> 16).name,
                Errors.forCode((short) (key & 0xffff)).name(), count.sum())));
        return result;
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

    /**
     * How often answers of one API carried one error code.
     *
     * @param api   Kafka's name of the API, e.g. {@code Produce}
     * @param error Kafka's name of the error, e.g. {@code UNKNOWN_TOPIC_OR_PARTITION}
     */
    public record ApiError(String api, String error, long count) {
    }
}
