package dev.hearth.job.exec;

import java.util.List;

/**
 * Latest value per key. Changelog layout: key = the store key bytes, value = the serialized value (tombstone on
 * delete). Confined to the task's thread.
 */
public interface KeyValueStore<V> extends StateStore {

    /** @return the value, or {@code null} if absent */
    V get(Bytes key);

    /** Stores the value and writes it to the changelog. */
    void put(Bytes key, V value);

    /** Removes the key and writes a tombstone. */
    void delete(Bytes key);

    /**
     * A page of the store in key order, for interactive queries: the entries whose key is strictly greater than
     * {@code afterKey} ({@code null}: from the first key), in ascending unsigned lexicographic order of the key
     * bytes ({@link Bytes#compareTo}), at most {@code limit} of them. The next page starts after the last key
     * returned; fewer than {@code limit} entries means there are no more. The entries are a copy: later changes
     * to the store do not show in them, but the values are the stored objects themselves (callers must not
     * modify them).
     *
     * @param limit at least 1
     */
    List<Entry<V>> scan(Bytes afterKey, int limit);

    /** A key and its value, as {@link #scan} returns them. */
    record Entry<V>(Bytes key, V value) {
    }
}
