package dev.hearth.connector.outbound;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.hearth.connector.api.DeliveryStats;
import dev.hearth.connector.api.LatencyHistogram;
import dev.hearth.connector.api.ServiceStats;
import dev.hearth.kafka.RequestLatencies;

/**
 * Turns the adapter's live counters (Kafka request latencies, MDB delivery counts) into the API's
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
        return new ServiceStats(histograms, deliveries);
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
