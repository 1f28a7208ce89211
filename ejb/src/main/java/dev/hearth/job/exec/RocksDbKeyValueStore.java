package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;
import org.rocksdb.RocksIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link KeyValueStore} in RocksDB. Layout (default column family): key = the store key bytes, value = the
 * serialized value; the same bytes as the changelog's, so a restore copies records as they are. Each put or
 * delete writes its changelog record at once (as {@link InMemoryKeyValueStore}) and waits in the batch until the
 * next flush; gets deserialize on every call (no object cache). Confined to the task's thread.
 */
final class RocksDbKeyValueStore<V> extends RocksDbStore implements KeyValueStore<V> {
    private final Serde<V> valueSerde;

    RocksDbKeyValueStore(String name, String changelogTopic, Serde<V> valueSerde, TaskContext context,
                         TaskStateDirectory directory) {
        super(name, changelogTopic, context, directory, List.of("default"));
        this.valueSerde = valueSerde;
    }

    @Override
    public V get(Bytes key) {
        byte[] value = get(family(0), key.get());
        return value == null ? null : valueSerde.deserialize(value);
    }

    @Override
    public void put(Bytes key, V value) {
        byte[] serialized = valueSerde.serialize(value);
        put(family(0), key.get(), serialized);
        context.sendChangelog(changelogTopic, key.get(), serialized, context.changelogTimestampMs());
    }

    @Override
    public void delete(Bytes key) {
        if (get(family(0), key.get()) != null) {
            delete(family(0), key.get());
            context.sendChangelog(changelogTopic, key.get(), null, context.changelogTimestampMs());
        }
    }

    /** RocksDB's default order is the unsigned byte order of {@link Bytes#compareTo}: a seek and a walk. */
    @Override
    public List<Entry<V>> scan(Bytes afterKey, int limit) {
        List<Entry<V>> page = new ArrayList<>(Math.min(limit, 1_000));
        try (RocksIterator entries = iterator(family(0))) {
            if (afterKey == null) {
                entries.seekToFirst();
            } else {
                entries.seek(afterKey.get());
                if (entries.isValid() && Arrays.equals(entries.key(), afterKey.get())) {
                    entries.next();
                }
            }
            for (; entries.isValid() && page.size() < limit; entries.next()) {
                page.add(new Entry<>(new Bytes(entries.key()), valueSerde.deserialize(entries.value())));
            }
        }
        return page;
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        if (value == null) {
            delete(family(0), key);
        } else {
            put(family(0), key, value);
        }
        restored();
    }
}
