package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * {@link KeyValueStore} on a {@link HashMap}: the hot path ({@code get}, {@code put}) is O(1), and the rare
 * {@link #scan} pays for the order instead, O(n log limit) per page. Values are kept deserialized. Confined to the
 * task's thread.
 */
final class InMemoryKeyValueStore<V> extends ChangelogBackedStore implements KeyValueStore<V> {
    private final Serde<V> valueSerde;
    private final Map<Bytes, V> values = new HashMap<>();

    InMemoryKeyValueStore(String name, String changelogTopic, Serde<V> valueSerde, TaskContext context) {
        super(name, changelogTopic, context);
        this.valueSerde = valueSerde;
    }

    @Override
    public V get(Bytes key) {
        return values.get(key);
    }

    @Override
    public void put(Bytes key, V value) {
        values.put(key, value);
        context.sendChangelog(changelogTopic, key.get(), valueSerde.serialize(value), context.changelogTimestampMs());
    }

    @Override
    public void delete(Bytes key) {
        if (values.remove(key) != null) {
            context.sendChangelog(changelogTopic, key.get(), null, context.changelogTimestampMs());
        }
    }

    @Override
    public List<Entry<V>> scan(Bytes afterKey, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        // The page's keys: the `limit` smallest keys after afterKey, the largest of them at the head.
        PriorityQueue<Bytes> page = new PriorityQueue<>(Math.min(limit, Math.max(1, values.size())),
                Comparator.reverseOrder());
        for (Bytes key : values.keySet()) {
            if (afterKey != null && key.compareTo(afterKey) <= 0) {
                continue;
            }
            if (page.size() < limit) {
                page.add(key);
            } else if (key.compareTo(page.peek()) < 0) {
                page.poll();
                page.add(key);
            }
        }
        List<Bytes> keys = new ArrayList<>(page);
        keys.sort(null);
        List<Entry<V>> entries = new ArrayList<>(keys.size());
        for (Bytes key : keys) {
            entries.add(new Entry<>(key, values.get(key)));
        }
        return entries;
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        if (value == null) {
            values.remove(new Bytes(key));
        } else {
            values.put(new Bytes(key), valueSerde.deserialize(value));
        }
    }

    int size() {
        return values.size();
    }
}
