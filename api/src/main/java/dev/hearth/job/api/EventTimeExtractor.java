package dev.hearth.job.api;

/**
 * Derives a record's event time (epoch milliseconds) from its key, value and record timestamp.
 * Must be pure and thread-safe: it is shared by every task of the job.
 */
@FunctionalInterface
public interface EventTimeExtractor<K, V> {

    long extract(K key, V value, long recordTimestampMs);
}
