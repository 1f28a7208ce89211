package dev.hearth.platform.metrics;

import java.util.List;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.hearth.connector.api.DeliveryStats;
import dev.hearth.connector.api.LatencyHistogram;
import dev.hearth.connector.api.ServiceStats;
import dev.hearth.platform.control.LogConnections;

/**
 * How the broker serves clients, read from the adapter's {@link ServiceStats} (one read per
 * {@link #MAX_AGE_NANOS}, shared by concurrent scrapes):
 * <ul>
 *   <li>Kafka requests: the histogram {@code hearth_kafka_request_duration_seconds{api}} (arrival to response
 *       queued, as Kafka's {@code TotalTimeMs}), {@code hearth_kafka_requests_total{api}}, and
 *       {@code hearth_kafka_request_errors_total{api,error}} per Kafka error code, which counts unsupported APIs
 *       ({@code UNSUPPORTED_VERSION}) and failed handlers too; {@code hearth_kafka_malformed_requests_total} for
 *       frames that closed their connection;</li>
 *   <li>connections: {@code hearth_kafka_connections} open now, {@code hearth_kafka_connections_accepted_total},
 *       {@code hearth_kafka_connections_refused_total{quota}};</li>
 *   <li>message-driven-bean deliveries per group and topic.</li>
 * </ul>
 * Every family's header is written even before its first sample, so the first scrape lists every family.
 *
 * <p>Thread-safety: a {@link ScrapeCache} serializes reads of the adapter; writing reads an immutable snapshot.
 */
@ApplicationScoped
public class ServiceMetrics implements MetricsSource {

    private static final long MAX_AGE_NANOS = 1_000_000_000L;
    private static final ServiceStats EMPTY = new ServiceStats(List.of(), List.of(), List.of(),
            new ServiceStats.KafkaListenerStats(0, 0, 0, 0, 0));

    @Inject
    LogConnections connections;

    private final ScrapeCache<ServiceStats> snapshots = new ScrapeCache<>(EMPTY, MAX_AGE_NANOS,
            () -> connections.apply(connection -> connection.serviceStats()));

    @Override
    public void writeTo(PrometheusText text) {
        ServiceStats stats = snapshots.current();
        text.family("hearth_kafka_requests_total", PrometheusText.Type.COUNTER,
                "Kafka-protocol requests answered since the broker started, per API");
        for (LatencyHistogram histogram : stats.kafkaRequests()) {
            text.sample("hearth_kafka_requests_total", histogram.count(), "api", histogram.name());
        }
        text.family("hearth_kafka_request_duration_seconds", PrometheusText.Type.HISTOGRAM,
                "Kafka requests from arrival to response queued (a Fetch's wait included), per API");
        for (LatencyHistogram histogram : stats.kafkaRequests()) {
            List<LatencyHistogram.Bucket> buckets = histogram.buckets();
            double[] bounds = new double[buckets.size() - 1];
            long[] cumulative = new long[buckets.size()];
            for (int i = 0; i < buckets.size(); i++) {
                if (i < bounds.length) {
                    bounds[i] = buckets.get(i).upperBoundSeconds();
                }
                cumulative[i] = buckets.get(i).cumulativeCount();
            }
            text.histogram("hearth_kafka_request_duration_seconds", bounds, cumulative, histogram.sumSeconds(),
                    "api", histogram.name());
        }
        text.family("hearth_kafka_request_errors_total", PrometheusText.Type.COUNTER,
                "Error codes in Kafka responses per API and Kafka error name (NONE excluded; a response with "
                        + "three failed partitions counts 3); unsupported APIs answer UNSUPPORTED_VERSION");
        for (ServiceStats.KafkaErrorCount error : stats.kafkaErrors()) {
            text.sample("hearth_kafka_request_errors_total", error.count(), "api", error.api(), "error", error.error());
        }
        ServiceStats.KafkaListenerStats listener = stats.kafkaListener();
        text.family("hearth_kafka_malformed_requests_total", PrometheusText.Type.COUNTER,
                        "Kafka frames that closed their connection: unparseable, or a request no client sends")
                .sample("hearth_kafka_malformed_requests_total", listener.malformedRequests());
        text.family("hearth_kafka_connections", PrometheusText.Type.GAUGE, "Kafka-protocol connections open now")
                .sample("hearth_kafka_connections", listener.openConnections());
        text.family("hearth_kafka_connections_accepted_total", PrometheusText.Type.COUNTER,
                        "Kafka-protocol connections admitted since the broker started")
                .sample("hearth_kafka_connections_accepted_total", listener.acceptedConnections());
        text.family("hearth_kafka_connections_refused_total", PrometheusText.Type.COUNTER,
                        "Kafka-protocol connections closed at once by a connection quota, per quota")
                .sample("hearth_kafka_connections_refused_total", listener.refusedMaxConnections(),
                        "quota", "max.connections")
                .sample("hearth_kafka_connections_refused_total", listener.refusedMaxConnectionsPerIp(),
                        "quota", "max.connections.per.ip");
        delivery(text, stats, "hearth_mdb_deliveries_total",
                "Records delivered successfully to message-driven beans of the group from the topic",
                DeliveryStats::deliveries);
        delivery(text, stats, "hearth_mdb_delivery_failures_total",
                "Failed delivery attempts to message-driven beans (exception or rollback), retries included",
                DeliveryStats::failures);
        delivery(text, stats, "hearth_mdb_dead_lettered_total",
                "Records published to the dead-letter topic after their last failed delivery retry",
                DeliveryStats::deadLettered);
    }

    private static void delivery(PrometheusText text, ServiceStats stats, String name, String help,
                                 ToLongFunction<DeliveryStats> value) {
        text.family(name, PrometheusText.Type.COUNTER, help);
        for (DeliveryStats delivery : stats.deliveries()) {
            text.sample(name, value.applyAsLong(delivery), "group", delivery.group(), "topic", delivery.topic());
        }
    }
}
