package dev.hearth.connector.api;

import java.util.List;

/**
 * How the broker serves its clients, for metrics; cumulative since the adapter started.
 *
 * @param kafkaRequests latency per Kafka API, from a request's arrival to its response being queued;
 *                      only APIs that were called, ordered by name
 * @param deliveries    message-driven-bean deliveries, ordered by group and topic
 */
public record ServiceStats(List<LatencyHistogram> kafkaRequests, List<DeliveryStats> deliveries) {

    public ServiceStats {
        kafkaRequests = List.copyOf(kafkaRequests);
        deliveries = List.copyOf(deliveries);
    }
}
