package dev.hearth.connector.api;

import java.util.List;

/**
 * Cumulative latency distribution of one kind of request since the adapter started, in Prometheus's shape.
 *
 * @param name       what was measured, e.g. the Kafka API's name {@code Produce}
 * @param buckets    ascending upper bounds with the count of requests at or below each; the last bound is
 *                   {@link Double#POSITIVE_INFINITY} and its count equals {@code count}
 * @param count      requests measured
 * @param sumSeconds their total latency
 */
public record LatencyHistogram(String name, List<Bucket> buckets, long count, double sumSeconds) {

    public LatencyHistogram {
        buckets = List.copyOf(buckets);
    }

    /** @param cumulativeCount requests that took at most {@code upperBoundSeconds} */
    public record Bucket(double upperBoundSeconds, long cumulativeCount) {
    }
}
