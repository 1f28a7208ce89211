package dev.hearth.platform.metrics;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import dev.hearth.connector.api.DeliveryStats;
import dev.hearth.connector.api.LatencyHistogram;
import dev.hearth.connector.api.ServiceStats;
import dev.hearth.platform.control.LogConnections;

/**
 * Publishes how the broker serves clients: Kafka request latency histograms per API and message-driven-bean
 * delivery counts, read from the adapter's {@link ServiceStats} when {@code /metrics} is scraped (one snapshot
 * per {@link #MAX_AGE_NANOS}). A histogram is rendered in Prometheus's layout, as gauges (MP Metrics 5.1
 * cannot publish a histogram it did not record itself): {@code hearth_kafka_request_latency_seconds_bucket}
 * with labels {@code api} and cumulative {@code le}, plus {@code _count} and {@code _sum}, so
 * {@code histogram_quantile} works on them. Series for an API or a group and topic appear from the scrape after
 * the first one that saw them.
 *
 * <p>Thread-safety: a {@link ScrapeCache} reads the snapshots; the registered set changes only under this bean's
 * monitor; gauges read the cached snapshot without locking.
 */
@ApplicationScoped
public class ServiceMetrics {

    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    static final Metadata KAFKA_REQUESTS = metadata("hearth_kafka_requests_total",
            "Kafka-protocol requests answered since the broker started, all APIs");
    static final Metadata LATENCY_BUCKET = metadata("hearth_kafka_request_latency_seconds_bucket",
            "Kafka requests of the API answered within le seconds (arrival to response queued), cumulative");
    static final Metadata LATENCY_COUNT = metadata("hearth_kafka_request_latency_seconds_count",
            "Kafka requests of the API answered since the broker started");
    static final Metadata LATENCY_SUM = metadata("hearth_kafka_request_latency_seconds_sum",
            "Total latency of the API's Kafka requests since the broker started");
    static final Metadata DELIVERIES = metadata("hearth_mdb_deliveries_total",
            "Records delivered successfully to message-driven beans of the group from the topic");
    static final Metadata FAILURES = metadata("hearth_mdb_delivery_failures_total",
            "Failed delivery attempts (exception or rollback), retries included");
    static final Metadata DEAD_LETTERED = metadata("hearth_mdb_dead_lettered_total",
            "Records published to the dead-letter topic after their last failed retry");

    @Inject
    MetricRegistry registry;

    @Inject
    LogConnections connections;

    private final ScrapeCache<Snapshot> snapshots = new ScrapeCache<>(Snapshot.EMPTY, MAX_AGE_NANOS,
            () -> Snapshot.of(connections.apply(connection -> connection.serviceStats())), this::register);
    /** Gauges registered for APIs and for groups and topics; guarded by this. */
    private final Set<MetricID> dynamic = new HashSet<>();

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        registry.gauge(KAFKA_REQUESTS, () -> current().kafkaRequests());
        snapshots.refresh();
    }

    Snapshot current() {
        return snapshots.current();
    }

    private synchronized void register(Snapshot next) {
        Set<MetricID> seen = new HashSet<>(dynamic);
        for (LatencyHistogram histogram : next.histograms().values()) {
            String api = histogram.name();
            Tag apiTag = new Tag("api", api);
            for (int i = 0; i < histogram.buckets().size(); i++) {
                int bucket = i;
                Tag[] tags = {apiTag, new Tag("le", le(histogram.buckets().get(i).upperBoundSeconds()))};
                maybeRegister(seen, LATENCY_BUCKET, () -> {
                    LatencyHistogram now = current().histograms().get(api);
                    return now == null ? 0L : now.buckets().get(bucket).cumulativeCount();
                }, tags);
            }
            maybeRegister(seen, LATENCY_COUNT, () -> {
                LatencyHistogram now = current().histograms().get(api);
                return now == null ? 0L : now.count();
            }, apiTag);
            maybeRegister(seen, LATENCY_SUM, () -> {
                LatencyHistogram now = current().histograms().get(api);
                return now == null ? 0.0 : now.sumSeconds();
            }, apiTag);
        }
        for (String key : next.deliveries().keySet()) {
            DeliveryStats stats = next.deliveries().get(key);
            Tag[] tags = {new Tag("group", stats.group()), new Tag("topic", stats.topic())};
            deliveryGauge(seen, DELIVERIES, key, DeliveryStats::deliveries, tags);
            deliveryGauge(seen, FAILURES, key, DeliveryStats::failures, tags);
            deliveryGauge(seen, DEAD_LETTERED, key, DeliveryStats::deadLettered, tags);
        }
        // Counters only grow while the adapter runs, so series are never removed: their API or group existed.
        dynamic.addAll(seen);
    }

    private void deliveryGauge(Set<MetricID> seen, Metadata metadata, String key, ToLongFunction<DeliveryStats> value,
                               Tag... tags) {
        maybeRegister(seen, metadata, () -> {
            DeliveryStats now = current().deliveries().get(key);
            return now == null ? 0L : value.applyAsLong(now);
        }, tags);
    }

    private void maybeRegister(Set<MetricID> seen, Metadata metadata, java.util.function.Supplier<Number> value,
                               Tag... tags) {
        MetricID id = new MetricID(metadata.getName(), tags);
        if (!dynamic.contains(id) && seen.add(id)) {
            registry.gauge(metadata, value, tags);
        }
    }

    /** Prometheus's {@code le}: {@code +Inf}, or the bound without trailing zeros ({@code 0.0005}, {@code 2.5}). */
    static String le(double upperBoundSeconds) {
        return Double.isInfinite(upperBoundSeconds) ? "+Inf"
                : BigDecimal.valueOf(upperBoundSeconds).stripTrailingZeros().toPlainString();
    }

    private static Metadata metadata(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }

    /**
     * What one refresh read.
     *
     * @param histograms Kafka request latency by API name
     * @param deliveries delivery counts by group and topic, NUL-separated
     */
    record Snapshot(Map<String, LatencyHistogram> histograms, Map<String, DeliveryStats> deliveries,
                    long kafkaRequests) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0);

        static Snapshot of(ServiceStats stats) {
            Map<String, LatencyHistogram> histograms = new HashMap<>();
            long requests = 0;
            for (LatencyHistogram histogram : stats.kafkaRequests()) {
                histograms.put(histogram.name(), histogram);
                requests += histogram.count();
            }
            Map<String, DeliveryStats> deliveries = new HashMap<>();
            for (DeliveryStats delivery : stats.deliveries()) {
                deliveries.put(delivery.group() + "\u0000" + delivery.topic(), delivery);
            }
            return new Snapshot(histograms, deliveries, requests);
        }
    }
}
