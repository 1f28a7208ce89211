package dev.hearth.job.exec;

import java.util.List;

/**
 * Session windows per key. A session is {@code [startMs, endMs]}, the event times of its first and last record;
 * sessions of one key never overlap. Changelog layout: key = {@code int64 startMs, int64 endMs} (big-endian)
 * followed by the key bytes; value = the serialized aggregate (tombstone when merged away or expired).
 * Confined to the task's thread.
 */
public interface SessionStore<K, A> extends StateStore {

    /** A stored session. */
    record Session<K, A>(Bytes key, K keyObject, long startMs, long endMs, A aggregate) {
    }

    /**
     * Adds to {@code result} (cleared first) the sessions of {@code key} with {@code startMs < toMs} and
     * {@code endMs > fromMs}, latest first.
     */
    void findOverlapping(Bytes key, long fromMs, long toMs, List<Session<K, A>> result);

    void put(Session<K, A> session);

    void remove(Session<K, A> session);

    /** Removes every session with {@code endMs <= maxEndMs}, earliest end first, handing each to consumer. */
    void expire(long maxEndMs, java.util.function.Consumer<Session<K, A>> consumer);
}
