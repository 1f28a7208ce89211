package dev.hearth.job.exec;

/**
 * One side of a windowed stream–stream join: every record of that side still inside its retention, by key and
 * event time. Several records may share a key and an event time; each is a separate entry, told apart by a
 * sequence number the store assigns.
 * <p>
 * Changelog layout: key = {@code int64 big-endian eventTimeMs}, {@code int64 big-endian sequence}, then the key
 * bytes; value = the serialized record value, a tombstone when the record is expired. Replaying the changelog
 * partition rebuilds the same entries, and the next sequence number continues above every one replayed.
 * Confined to the task's thread.
 *
 * @param <V> the deserialized record value
 */
public interface JoinWindowStore<V> extends StateStore {

    /** Adds one record and writes it to the changelog. {@code value} is not {@code null}. */
    void put(Bytes key, long eventTimeMs, V value);

    /**
     * Hands every record of {@code key} with {@code fromMs <= eventTimeMs <= toMs} to {@code consumer}, in event-time
     * order, then in the order they were put. The consumer must not modify this store.
     */
    void fetch(Bytes key, long fromMs, long toMs, Match<V> consumer);

    /** Removes every record with {@code eventTimeMs <= maxEventTimeMs}, writing a tombstone for each. */
    void expire(long maxEventTimeMs);

    /** Records held, for metrics and tests. */
    long sizeInRecords();

    /** Receives a stored record that matches a probe. */
    @FunctionalInterface
    interface Match<V> {
        void accept(long eventTimeMs, V value);
    }
}
