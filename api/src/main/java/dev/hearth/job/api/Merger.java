package dev.hearth.job.api;

/**
 * Combines the aggregates of two session windows that a record has bridged. Must be associative.
 */
@FunctionalInterface
public interface Merger<K, A> {

    A merge(K key, A left, A right);
}
