package dev.hearth.job.exec;

import java.util.List;

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
     * The windows of {@code key} with {@code fromStartMs <= windowStartMs <= toStartMs} (both bounds inclusive),
     * in ascending order of their start, at most {@code limit} of them; for interactive queries. Only windows
     * still in the store are found: a window is removed once final (see {@link #expire}). The next page of a
     * range starts at the last start returned + 1. The list is a copy; the aggregates are the stored objects
     * (callers must not modify them).
     *
     * @param limit at least 1
     */
    List<Window<A>> fetch(Bytes key, long fromStartMs, long toStartMs, int limit);

    /** A window of one key, as {@link #fetch} returns it. */
    record Window<A>(long windowStartMs, A aggregate) {
    }

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
