package dev.hearth.job.exec;

/**
 * Aggregates of fixed-size windows, per key and window start. Changelog layout: key =
 * {@code int64 big-endian windowStartMs} followed by the key bytes; value = the serialized aggregate (tombstone
 * when the window is expired). Confined to the task's thread.
 *
 * @param <K> the deserialized key, kept so results need no deserialization
 * @param <A> the aggregate
 */
public interface WindowStore<K, A> extends StateStore {

    /** @return the aggregate of the window, {@code null} if absent */
    A get(Bytes key, long windowStartMs);

    void put(Bytes key, K keyObject, long windowStartMs, A aggregate);

    /**
     * Removes every window with {@code windowStartMs <= maxWindowStartMs}, oldest first (insertion order within a
     * start), writing a tombstone for each, and hands each to {@code consumer}.
     */
    void expire(long maxWindowStartMs, ExpiredWindow<K, A> consumer);

    /** Receives an expired window. */
    @FunctionalInterface
    interface ExpiredWindow<K, A> {
        void accept(K key, long windowStartMs, A aggregate);
    }
}
