package dev.hearth.connector.api;

import java.util.List;

/**
 * How the broker serves its clients, for metrics; cumulative since the adapter started.
 *
 * @param kafkaRequests     latency per Kafka API, from a request's arrival to its response being queued;
 *                          only APIs that were called, ordered by name
 * @param deliveries        message-driven-bean deliveries, ordered by group and topic
 * @param kafkaErrors       error codes of Kafka responses per API ({@code NONE} excluded), ordered by API and error
 * @param kafkaListener     the Kafka listener's connections and malformed frames (all 0 when it is off)
 */
public record ServiceStats(List<LatencyHistogram> kafkaRequests, List<DeliveryStats> deliveries,
                           List<KafkaErrorCount> kafkaErrors, KafkaListenerStats kafkaListener) {

    public ServiceStats {
        kafkaRequests = List.copyOf(kafkaRequests);
        deliveries = List.copyOf(deliveries);
        kafkaErrors = List.copyOf(kafkaErrors);
    }

    /**
     * How often responses of one Kafka API carried one error code.
     *
     * @param api   Kafka's name of the API, e.g. {@code Produce}
     * @param error Kafka's name of the error code, e.g. {@code UNSUPPORTED_VERSION}
     */
    public record KafkaErrorCount(String api, String error, long count) {
    }

    /**
     * The Kafka listener's connections since it started.
     *
     * @param openConnections              admitted connections open now
     * @param acceptedConnections          connections admitted past the quotas
     * @param refusedMaxConnections        connections refused by {@code max.connections}
     * @param refusedMaxConnectionsPerIp   connections refused by {@code max.connections.per.ip}
     * @param malformedRequests            frames that closed their connection (unparseable, or no client's request)
     */
    public record KafkaListenerStats(long openConnections, long acceptedConnections, long refusedMaxConnections,
                                     long refusedMaxConnectionsPerIp, long malformedRequests) {
    }
}
