package dev.hearth.connector.api;

/**
 * Message-driven-bean delivery counters of one group and topic since the adapter started.
 *
 * @param deliveries   calls of {@code onRecord}, or records handed to {@code onRecords}, that succeeded
 * @param failures     failed attempts (the bean threw, or its transaction rolled back), retries included
 * @param deadLettered records published to the dead-letter topic after their last retry
 */
public record DeliveryStats(String group, String topic, long deliveries, long failures, long deadLettered) {
}
