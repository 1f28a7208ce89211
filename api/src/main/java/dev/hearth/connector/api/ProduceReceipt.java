package dev.hearth.connector.api;

/**
 * Where a sent record landed.
 *
 * @param timestamp the record's timestamp as stored (LogAppendTime topics: the broker's clock)
 */
public record ProduceReceipt(String topic, int partition, long offset, long timestamp) {
}
