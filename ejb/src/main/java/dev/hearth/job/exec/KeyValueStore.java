package dev.hearth.job.exec;

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
}
