package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@link WindowStore} on a {@link TreeMap} from window start to the windows of that start, so expiry takes the
 * oldest windows without scanning the rest. Write-behind: {@code put} marks the window dirty and {@link #flush}
 * writes each dirty window's latest aggregate to the changelog once, so a window updated by thousands of records
 * between two commits costs one changelog record, not thousands. An expired window's tombstone is written at
 * once (after which no put can touch it: it is final). Confined to the task's thread.
 */
final class InMemoryWindowStore<K, A> extends ChangelogBackedStore implements WindowStore<K, A> {
    private final Serde<K> keySerde;
    private final Serde<A> aggregateSerde;
    private final NavigableMap<Long, Map<Bytes, Slot<K, A>>> windowsByStart = new TreeMap<>();
    private final List<Slot<K, A>> dirty = new ArrayList<>(); // changed since the last flush, each once
    private long cachedStartMs = Long.MIN_VALUE;               // the start of cachedWindows, for the next get/put
    private Map<Bytes, Slot<K, A>> cachedWindows;              // null: none cached

    InMemoryWindowStore(String name, String changelogTopic, Serde<K> keySerde, Serde<A> aggregateSerde,
                        TaskContext context) {
        super(name, changelogTopic, context);
        this.keySerde = keySerde;
        this.aggregateSerde = aggregateSerde;
    }

    @Override
    public A get(Bytes key, long windowStartMs) {
        Map<Bytes, Slot<K, A>> windows = windows(windowStartMs);
        if (windows == null) {
            return null;
        }
        Slot<K, A> slot = windows.get(key);
        return slot == null ? null : slot.aggregate;
    }

    @Override
    public void put(Bytes key, K keyObject, long windowStartMs, A aggregate) {
        Map<Bytes, Slot<K, A>> windows = windows(windowStartMs);
        if (windows == null) {
            windows = new LinkedHashMap<>();
            windowsByStart.put(windowStartMs, windows);
            cachedStartMs = windowStartMs;
            cachedWindows = windows;
        }
        Slot<K, A> slot = windows.get(key);
        if (slot == null) {
            slot = new Slot<>(key, keyObject, windowStartMs, aggregate);
            windows.put(key, slot);
        } else {
            slot.aggregate = aggregate;
        }
        slot.timestampMs = context.changelogTimestampMs();
        if (!slot.dirty) {
            slot.dirty = true;
            dirty.add(slot);
        }
    }

    @Override
    public List<Window<A>> fetch(Bytes key, long fromStartMs, long toStartMs, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<Window<A>> found = new ArrayList<>();
        if (fromStartMs > toStartMs) {
            return found;
        }
        for (Map.Entry<Long, Map<Bytes, Slot<K, A>>> start
                : windowsByStart.subMap(fromStartMs, true, toStartMs, true).entrySet()) {
            Slot<K, A> slot = start.getValue().get(key);
            if (slot != null) {
                found.add(new Window<>(start.getKey(), slot.aggregate));
                if (found.size() == limit) {
                    break;
                }
            }
        }
        return found;
    }

    @Override
    public void flush() {
        for (Slot<K, A> slot : dirty) {
            if (slot.dirty) {
                slot.dirty = false;
                context.sendChangelog(changelogTopic, changelogKey(slot.startMs, slot.storeKey.get()),
                        aggregateSerde.serialize(slot.aggregate), slot.timestampMs);
            }
        }
        dirty.clear();
    }

    /** The windows of one start, or {@code null}; consecutive records mostly hit the same start. */
    private Map<Bytes, Slot<K, A>> windows(long windowStartMs) {
        if (cachedWindows != null && cachedStartMs == windowStartMs) {
            return cachedWindows;
        }
        Map<Bytes, Slot<K, A>> windows = windowsByStart.get(windowStartMs);
        if (windows != null) {
            cachedStartMs = windowStartMs;
            cachedWindows = windows;
        }
        return windows;
    }

    @Override
    public void expire(long maxWindowStartMs, ExpiredWindow<K, A> consumer) {
        Iterator<Map.Entry<Long, Map<Bytes, Slot<K, A>>>> starts =
                windowsByStart.headMap(maxWindowStartMs, true).entrySet().iterator();
        while (starts.hasNext()) {
            Map.Entry<Long, Map<Bytes, Slot<K, A>>> start = starts.next();
            long windowStartMs = start.getKey();
            starts.remove();
            if (start.getValue() == cachedWindows) {
                cachedWindows = null;
            }
            for (Map.Entry<Bytes, Slot<K, A>> window : start.getValue().entrySet()) {
                window.getValue().dirty = false; // final: its tombstone supersedes any buffered value
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
        cachedWindows = null;
        if (value == null) {
            Map<Bytes, Slot<K, A>> windows = windowsByStart.get(windowStartMs);
            if (windows != null && windows.remove(storeKey) != null && windows.isEmpty()) {
                windowsByStart.remove(windowStartMs);
            }
        } else {
            Slot<K, A> slot = new Slot<>(storeKey, keySerde.deserialize(keyBytes), windowStartMs,
                    aggregateSerde.deserialize(value));
            windowsByStart.computeIfAbsent(windowStartMs, s -> new LinkedHashMap<>()).put(storeKey, slot);
        }
    }

    private static byte[] changelogKey(long windowStartMs, byte[] key) {
        return ByteBuffer.allocate(8 + key.length).putLong(windowStartMs).put(key).array();
    }

    /** A window's key and aggregate; the aggregate is replaced in place on update. */
    private static final class Slot<K, A> {
        final Bytes storeKey;
        final K key;
        final long startMs;
        A aggregate;
        long timestampMs;   // of the input record of the last update: the changelog record's timestamp
        boolean dirty;      // changed since the last flush, and in the dirty list

        Slot(Bytes storeKey, K key, long startMs, A aggregate) {
            this.storeKey = storeKey;
            this.key = key;
            this.startMs = startMs;
            this.aggregate = aggregate;
        }
    }
}
