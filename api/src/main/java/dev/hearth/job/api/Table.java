package dev.hearth.job.api;

/**
 * A topic read as a table: the latest value per key, a {@code null} value deleting the key. Materialized in a
 * key-value store by every task that joins against it. Joins in one stage share that store; a join the planner
 * must put in another stage (the same stream joined as-is and re-keyed) reads the topic into a copy of its own,
 * {@code <store>-copy<n>}, with its own changelog.
 */
public interface Table<K, V> {

    String topic();
}
