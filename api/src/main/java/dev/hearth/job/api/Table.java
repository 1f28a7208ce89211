package dev.hearth.job.api;

/**
 * A topic read as a table: the latest value per key, a {@code null} value deleting the key. Materialized in a
 * key-value store by every task that joins against it.
 */
public interface Table<K, V> {

    String topic();
}
