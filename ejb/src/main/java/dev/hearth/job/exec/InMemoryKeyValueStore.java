package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

import java.util.HashMap;
import java.util.Map;

/** {@link KeyValueStore} on a {@link HashMap}. Values are kept deserialized. Confined to the task's thread. */
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
