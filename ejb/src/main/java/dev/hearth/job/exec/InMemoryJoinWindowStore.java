package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link JoinWindowStore} on the heap: per key a {@link TreeMap} from event time to the records of that time, so
 * a probe reads only the key's records inside the window; and a {@link TreeMap} from event time to the keys that
 * have records at that time, so expiry takes the oldest records without scanning the rest. Values are kept
 * deserialized. Confined to the task's thread.
 */
final class InMemoryJoinWindowStore<V> extends ChangelogBackedStore implements JoinWindowStore<V> {
    private static final int CHANGELOG_KEY_PREFIX_BYTES = 16; // eventTimeMs + sequence

    private final Serde<V> valueSerde;
    private final Map<Bytes, NavigableMap<Long, List<Entry<V>>>> recordsByKey = new HashMap<>();
    private final NavigableMap<Long, Set<Bytes>> keysByEventTime = new TreeMap<>();
    private long nextSequence;   // unique per record ever put, survives restore
    private long sizeInRecords;  // entries over all keys and event times

    InMemoryJoinWindowStore(String name, String changelogTopic, Serde<V> valueSerde, TaskContext context) {
        super(name, changelogTopic, context);
        this.valueSerde = valueSerde;
    }

    @Override
    public void put(Bytes key, long eventTimeMs, V value) {
        long sequence = nextSequence++;
        add(key, eventTimeMs, new Entry<>(sequence, value));
        context.sendChangelog(changelogTopic, changelogKey(eventTimeMs, sequence, key.get()),
                valueSerde.serialize(value), context.changelogTimestampMs());
    }

    @Override
    public void fetch(Bytes key, long fromMs, long toMs, Match<V> consumer) {
        NavigableMap<Long, List<Entry<V>>> records = recordsByKey.get(key);
        if (records == null || fromMs > toMs) {
            return;
        }
        for (Map.Entry<Long, List<Entry<V>>> atTime : records.subMap(fromMs, true, toMs, true).entrySet()) {
            long eventTimeMs = atTime.getKey();
            for (Entry<V> entry : atTime.getValue()) {
                consumer.accept(eventTimeMs, entry.value);
            }
        }
    }

    @Override
    public void expire(long maxEventTimeMs) {
        Iterator<Map.Entry<Long, Set<Bytes>>> times = keysByEventTime.headMap(maxEventTimeMs, true).entrySet()
                .iterator();
        while (times.hasNext()) {
            Map.Entry<Long, Set<Bytes>> atTime = times.next();
            long eventTimeMs = atTime.getKey();
            times.remove();
            for (Bytes key : atTime.getValue()) {
                NavigableMap<Long, List<Entry<V>>> records = recordsByKey.get(key);
                for (Entry<V> entry : records.remove(eventTimeMs)) {
                    sizeInRecords--;
                    context.sendChangelog(changelogTopic, changelogKey(eventTimeMs, entry.sequence, key.get()), null,
                            context.changelogTimestampMs());
                }
                if (records.isEmpty()) {
                    recordsByKey.remove(key);
                }
            }
        }
    }

    @Override
    public long sizeInRecords() {
        return sizeInRecords;
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        long eventTimeMs = buffer.getLong();
        long sequence = buffer.getLong();
        Bytes storeKey = new Bytes(Arrays.copyOfRange(key, CHANGELOG_KEY_PREFIX_BYTES, key.length));
        nextSequence = Math.max(nextSequence, sequence + 1);
        remove(storeKey, eventTimeMs, sequence); // a repeated key replaces, a tombstone deletes
        if (value != null) {
            add(storeKey, eventTimeMs, new Entry<>(sequence, valueSerde.deserialize(value)));
        }
    }

    private void add(Bytes key, long eventTimeMs, Entry<V> entry) {
        recordsByKey.computeIfAbsent(key, k -> new TreeMap<>())
                .computeIfAbsent(eventTimeMs, t -> new ArrayList<>(1)).add(entry);
        keysByEventTime.computeIfAbsent(eventTimeMs, t -> new LinkedHashSet<>()).add(key);
        sizeInRecords++;
    }

    private void remove(Bytes key, long eventTimeMs, long sequence) {
        NavigableMap<Long, List<Entry<V>>> records = recordsByKey.get(key);
        List<Entry<V>> atTime = records == null ? null : records.get(eventTimeMs);
        if (atTime == null || !atTime.removeIf(e -> e.sequence == sequence)) {
            return;
        }
        sizeInRecords--;
        if (atTime.isEmpty()) {
            records.remove(eventTimeMs);
            if (records.isEmpty()) {
                recordsByKey.remove(key);
            }
            Set<Bytes> keys = keysByEventTime.get(eventTimeMs);
            keys.remove(key);
            if (keys.isEmpty()) {
                keysByEventTime.remove(eventTimeMs);
            }
        }
    }

    private static byte[] changelogKey(long eventTimeMs, long sequence, byte[] key) {
        return ByteBuffer.allocate(CHANGELOG_KEY_PREFIX_BYTES + key.length).putLong(eventTimeMs).putLong(sequence)
                .put(key).array();
    }

    /** One stored record; the sequence tells apart records of one key and event time. */
    private record Entry<V>(long sequence, V value) {
    }
}
