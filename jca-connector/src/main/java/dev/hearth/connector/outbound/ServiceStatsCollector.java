package dev.hearth.connector.outbound;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.hearth.connector.api.DeliveryStats;
import dev.hearth.connector.api.LatencyHistogram;
import dev.hearth.connector.api.ServiceStats;
import dev.hearth.kafka.ConnectionCounts;
import dev.hearth.kafka.RequestLatencies;

/**
 * Turns the adapter's live counters (Kafka request latencies, error codes and connections, MDB delivery counts) into the API's
 * {@link ServiceStats}. Runs per metrics scrape, never on a request path. Stateless; thread-safe.
 */
public final class ServiceStatsCollector {

    private ServiceStatsCollector() {
    }

    public static ServiceStats collect(RequestLatencies kafkaLatencies, List<DeliveryStats> deliveries) {
        List<LatencyHistogram> histograms = new ArrayList<>();
        for (RequestLatencies.ApiLatency api : kafkaLatencies.snapshot()) {
            histograms.add(histogram(api));
        }
        histograms.sort(Comparator.comparing(LatencyHistogram::name));
        List<ServiceStats.KafkaErrorCount> errors = new ArrayList<>();
        for (RequestLatencies.ApiError error : kafkaLatencies.errorsSnapshot()) {
            errors.add(new ServiceStats.KafkaErrorCount(error.api(), error.error(), error.count()));
        }
        errors.sort(Comparator.comparing(ServiceStats.KafkaErrorCount::api)
                .thenComparing(ServiceStats.KafkaErrorCount::error));
        ConnectionCounts connections = kafkaLatencies.connections();
        return new ServiceStats(histograms, deliveries, errors, new ServiceStats.KafkaListenerStats(
                connections.open(), connections.acceptedTotal(),
                connections.refusedTotal(ConnectionCounts.Refusal.MAX_CONNECTIONS),
                connections.refusedTotal(ConnectionCounts.Refusal.MAX_CONNECTIONS_PER_IP),
                kafkaLatencies.malformedRequests()));
    }

    private static LatencyHistogram histogram(RequestLatencies.ApiLatency api) {
        long[] counts = api.bucketCounts();
        List<LatencyHistogram.Bucket> buckets = new ArrayList<>(counts.length);
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            double bound = i < RequestLatencies.UPPER_BOUNDS_NANOS.length
                    ? RequestLatencies.UPPER_BOUNDS_NANOS[i] / 1e9 : Double.POSITIVE_INFINITY;
            buckets.add(new LatencyHistogram.Bucket(bound, cumulative));
        }
        return new LatencyHistogram(api.api(), buckets, cumulative, api.sumNanos() / 1e9);
    }
}
