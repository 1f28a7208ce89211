package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@link WindowStore} on a {@link TreeMap} from window start to the windows of that start, so expiry takes the
 * oldest windows without scanning the rest. Confined to the task's thread.
 */
final class InMemoryWindowStore<K, A> implements WindowStore<K, A> {
    private final String name;
    private final String changelogTopic;
    private final Serde<K> keySerde;
    private final Serde<A> aggregateSerde;
    private final TaskContext context;
    private final NavigableMap<Long, Map<Bytes, Slot<K, A>>> windowsByStart = new TreeMap<>();

    InMemoryWindowStore(String name, String changelogTopic, Serde<K> keySerde, Serde<A> aggregateSerde,
                        TaskContext context) {
        this.name = name;
        this.changelogTopic = changelogTopic;
        this.keySerde = keySerde;
        this.aggregateSerde = aggregateSerde;
        this.context = context;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String changelogTopic() {
        return changelogTopic;
    }

    @Override
    public A get(Bytes key, long windowStartMs) {
        Map<Bytes, Slot<K, A>> windows = windowsByStart.get(windowStartMs);
        if (windows == null) {
            return null;
        }
        Slot<K, A> slot = windows.get(key);
        return slot == null ? null : slot.aggregate;
    }

    @Override
    public void put(Bytes key, K keyObject, long windowStartMs, A aggregate) {
        Map<Bytes, Slot<K, A>> windows = windowsByStart.computeIfAbsent(windowStartMs, s -> new LinkedHashMap<>());
        Slot<K, A> slot = windows.get(key);
        if (slot == null) {
            windows.put(key, new Slot<>(keyObject, aggregate));
        } else {
            slot.aggregate = aggregate;
        }
        context.sendChangelog(changelogTopic, changelogKey(windowStartMs, key.get()),
                aggregateSerde.serialize(aggregate), context.changelogTimestampMs());
    }

    @Override
    public void expire(long maxWindowStartMs, ExpiredWindow<K, A> consumer) {
        Iterator<Map.Entry<Long, Map<Bytes, Slot<K, A>>>> starts =
                windowsByStart.headMap(maxWindowStartMs, true).entrySet().iterator();
        while (starts.hasNext()) {
            Map.Entry<Long, Map<Bytes, Slot<K, A>>> start = starts.next();
            long windowStartMs = start.getKey();
            starts.remove();
            for (Map.Entry<Bytes, Slot<K, A>> window : start.getValue().entrySet()) {
                context.sendChangelog(changelogTopic, changelogKey(windowStartMs, window.getKey().get()), null,
                        context.changelogTimestampMs());
                consumer.accept(window.getValue().key, windowStartMs, window.getValue().aggregate);
            }
        }
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        long windowStartMs = buffer.getLong();
        byte[] keyBytes = Arrays.copyOfRange(key, 8, key.length);
        Bytes storeKey = new Bytes(keyBytes);
        if (value == null) {
            Map<Bytes, Slot<K, A>> windows = windowsByStart.get(windowStartMs);
            if (windows != null && windows.remove(storeKey) != null && windows.isEmpty()) {
                windowsByStart.remove(windowStartMs);
            }
        } else {
            windowsByStart.computeIfAbsent(windowStartMs, s -> new LinkedHashMap<>())
                    .put(storeKey, new Slot<>(keySerde.deserialize(keyBytes), aggregateSerde.deserialize(value)));
        }
    }

    private static byte[] changelogKey(long windowStartMs, byte[] key) {
        return ByteBuffer.allocate(8 + key.length).putLong(windowStartMs).put(key).array();
    }

    /** A window's key and aggregate; the aggregate is replaced in place on update. */
    private static final class Slot<K, A> {
        final K key;
        A aggregate;

        Slot(K key, A aggregate) {
            this.key = key;
            this.aggregate = aggregate;
        }
    }
}
