package dev.hearth.job.api;

/**
 * Folds one record into an aggregate. May return a new object or the mutated {@code aggregate}; the
 * aggregate is serialized to the changelog after every call, so mutation is safe. Shared by all tasks:
 * must not keep state of its own.
 */
@FunctionalInterface
public interface Aggregator<K, V, A> {

    A apply(K key, V value, A aggregate);
}
