package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;
import org.rocksdb.RocksIterator;
import org.rocksdb.WBWIRocksIterator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link WindowStore} in RocksDB. Three column families:
 * <pre>
 * default       ordered(windowStartMs) ++ key          → int64 sequence ++ int64 timestampMs ++ aggregate
 * by-insertion  ordered(windowStartMs) ++ int64 sequence → key
 * meta          "next-sequence"                        → int64
 * </pre>
 * {@code ordered(x)} is {@code x} big-endian with its sign bit flipped, so that RocksDB's unsigned byte order is
 * numeric order (negative starts first): a range scan from the first key yields windows oldest start first.
 * {@code sequence} numbers windows in the order they were first put (restore puts them in changelog order), so
 * {@code by-insertion} gives {@link #expire}'s order: oldest start first, insertion order within a start.
 * {@code timestampMs} is that of the input record of the window's last update, the changelog record's timestamp.
 * <p>
 * Write-behind, as {@link InMemoryWindowStore}: {@code put} writes to the batch only; {@link #flush} emits one
 * changelog record per window changed since the last commit (read back from the batch, which keeps the latest
 * write of each key); a second flush before the commit would emit them again (harmless: same values). An expired window's tombstone is emitted at once; the windows of one
 * expiry are read {@value #EXPIRE_CHUNK} at a time, so expiring millions of windows needs little heap.
 * Confined to the task's thread.
 */
final class RocksDbWindowStore<K, A> extends RocksDbStore implements WindowStore<K, A> {
    private static final int EXPIRE_CHUNK = 1_000;
    private static final byte[] NEXT_SEQUENCE = "next-sequence".getBytes(StandardCharsets.US_ASCII);
    private static final int VALUE_HEADER_BYTES = 16; // sequence + timestampMs
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Serde<K> keySerde;
    private final Serde<A> aggregateSerde;
    private final byte[] sequenceBytes = new byte[8];
    private long nextSequence;
    private long lowestStartMs = UNKNOWN;   // lowest window start held; MAX_VALUE: none; UNKNOWN: to be read
    // No window starts below this: scans seek here rather than to the first key, skipping the tombstones that
    // expiry leaves at the head of by-insertion until compaction drops them.
    private long scanFromMs = Long.MIN_VALUE;
    // The window of the last get, so that the put that follows needs no second read: its sequence, -1 if absent.
    private Bytes lastKey;
    private long lastStartMs;
    private long lastSequence;

    RocksDbWindowStore(String name, String changelogTopic, Serde<K> keySerde, Serde<A> aggregateSerde,
                       TaskContext context, TaskStateDirectory directory) {
        super(name, changelogTopic, context, directory, List.of("default", "by-insertion", "meta"));
        this.keySerde = keySerde;
        this.aggregateSerde = aggregateSerde;
        reloaded();
    }

    @Override
    void reloaded() {
        byte[] next = get(family(2), NEXT_SEQUENCE);
        nextSequence = next == null ? 0 : getLong(next, 0);
        lowestStartMs = UNKNOWN;
        scanFromMs = Long.MIN_VALUE;
        lastKey = null;
    }

    @Override
    public A get(Bytes key, long windowStartMs) {
        byte[] value = get(family(0), windowKey(windowStartMs, key.get()));
        lastKey = key;
        lastStartMs = windowStartMs;
        lastSequence = value == null ? -1 : getLong(value, 0);
        return value == null ? null
                : aggregateSerde.deserialize(Arrays.copyOfRange(value, VALUE_HEADER_BYTES, value.length));
    }

    @Override
    public void put(Bytes key, K keyObject, long windowStartMs, A aggregate) {
        byte[] windowKey = windowKey(windowStartMs, key.get());
        long sequence;
        if (lastKey != null && lastStartMs == windowStartMs && lastKey.equals(key)) {
            sequence = lastSequence;
        } else {
            byte[] existing = get(family(0), windowKey);
            sequence = existing == null ? -1 : getLong(existing, 0);
        }
        if (sequence < 0) {
            sequence = newWindow(windowStartMs, key.get());
        }
        byte[] serialized = aggregateSerde.serialize(aggregate);
        byte[] value = new byte[VALUE_HEADER_BYTES + serialized.length];
        putLong(value, 0, sequence);
        putLong(value, 8, context.changelogTimestampMs());
        System.arraycopy(serialized, 0, value, VALUE_HEADER_BYTES, serialized.length);
        put(family(0), windowKey, value);
        lastKey = key;
        lastStartMs = windowStartMs;
        lastSequence = sequence;
    }

    /**
     * Walks the windows whose start is in the range (every key's: the layout is ordered by start first) and keeps
     * those of {@code key}; only open windows are stored, so the walk is short.
     */
    @Override
    public List<Window<A>> fetch(Bytes key, long fromStartMs, long toStartMs, int limit) {
        List<Window<A>> page = new ArrayList<>();
        byte[] keyBytes = key.get();
        byte[] from = new byte[8];
        putOrderedLong(from, 0, fromStartMs);
        try (RocksIterator windows = iterator(family(0))) {
            for (windows.seek(from); windows.isValid() && page.size() < limit; windows.next()) {
                byte[] windowKey = windows.key();
                long startMs = getOrderedLong(windowKey, 0);
                if (startMs > toStartMs) {
                    break;
                }
                if (windowKey.length == 8 + keyBytes.length
                        && Arrays.equals(windowKey, 8, windowKey.length, keyBytes, 0, keyBytes.length)) {
                    byte[] value = windows.value();
                    page.add(new Window<>(startMs,
                            aggregateSerde.deserialize(Arrays.copyOfRange(value, VALUE_HEADER_BYTES, value.length))));
                }
            }
        }
        return page;
    }

    private long newWindow(long windowStartMs, byte[] key) {
        long sequence = nextSequence++;
        put(family(1), insertionKey(windowStartMs, sequence), key);
        putLong(sequenceBytes, 0, nextSequence);
        put(family(2), NEXT_SEQUENCE, sequenceBytes);
        if (lowestStartMs != UNKNOWN && windowStartMs < lowestStartMs) {
            lowestStartMs = windowStartMs;
        }
        scanFromMs = Math.min(scanFromMs, windowStartMs);
        return sequence;
    }

    @Override
    void emitChangelog() {
        try (WBWIRocksIterator changes = batch.newIterator(family(0))) {
            for (changes.seekToFirst(); changes.isValid(); changes.next()) {
                WBWIRocksIterator.WriteEntry change = changes.entry();
                if (change.getType() != WBWIRocksIterator.WriteType.PUT) {
                    continue; // an expired window: its tombstone went out at expiry
                }
                byte[] windowKey = bytes(change.getKey().data());
                byte[] value = bytes(change.getValue().data());
                putLong(windowKey, 0, getOrderedLong(windowKey, 0)); // the changelog's plain big-endian start
                context.sendChangelog(changelogTopic, windowKey,
                        Arrays.copyOfRange(value, VALUE_HEADER_BYTES, value.length), getLong(value, 8));
            }
        }
    }

    @Override
    public void expire(long maxWindowStartMs, ExpiredWindow<K, A> consumer) {
        if (maxWindowStartMs < lowestStartMs()) {
            return;
        }
        List<byte[]> insertionKeys = new ArrayList<>(EXPIRE_CHUNK);
        List<byte[]> keys = new ArrayList<>(EXPIRE_CHUNK);
        lastKey = null;
        boolean more = true;
        while (more) {
            insertionKeys.clear();
            keys.clear();
            try (RocksIterator windows = iterator(family(1))) {
                for (windows.seek(scanKey()); windows.isValid() && insertionKeys.size() < EXPIRE_CHUNK;
                     windows.next()) {
                    byte[] insertionKey = windows.key();
                    if (getOrderedLong(insertionKey, 0) > maxWindowStartMs) {
                        break;
                    }
                    insertionKeys.add(insertionKey);
                    keys.add(windows.value());
                }
            }
            more = insertionKeys.size() == EXPIRE_CHUNK;
            for (int i = 0; i < insertionKeys.size(); i++) {
                long windowStartMs = getOrderedLong(insertionKeys.get(i), 0);
                byte[] key = keys.get(i);
                byte[] windowKey = windowKey(windowStartMs, key);
                byte[] value = get(family(0), windowKey);
                delete(family(0), windowKey);
                delete(family(1), insertionKeys.get(i));
                context.sendChangelog(changelogTopic, changelogKey(windowStartMs, key), null,
                        context.changelogTimestampMs());
                consumer.accept(keySerde.deserialize(key), windowStartMs,
                        aggregateSerde.deserialize(Arrays.copyOfRange(value, VALUE_HEADER_BYTES, value.length)));
            }
        }
        if (maxWindowStartMs < Long.MAX_VALUE) {
            scanFromMs = Math.max(scanFromMs, maxWindowStartMs + 1);
        }
        lowestStartMs = UNKNOWN;
    }

    private byte[] scanKey() {
        byte[] scanKey = new byte[8];
        putOrderedLong(scanKey, 0, scanFromMs);
        return scanKey;
    }

    /** The lowest window start held, {@code Long.MAX_VALUE} if none; read from disk after an expiry or a wipe. */
    private long lowestStartMs() {
        if (lowestStartMs == UNKNOWN) {
            try (RocksIterator windows = iterator(family(1))) {
                windows.seek(scanKey());
                lowestStartMs = windows.isValid() ? getOrderedLong(windows.key(), 0) : Long.MAX_VALUE;
            }
        }
        return lowestStartMs;
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        long windowStartMs = getLong(key, 0);
        byte[] keyBytes = Arrays.copyOfRange(key, 8, key.length);
        byte[] windowKey = windowKey(windowStartMs, keyBytes);
        byte[] existing = get(family(0), windowKey);
        lastKey = null;
        lowestStartMs = UNKNOWN;
        if (value == null) {
            if (existing != null) {
                delete(family(0), windowKey);
                delete(family(1), insertionKey(windowStartMs, getLong(existing, 0)));
            }
        } else {
            long sequence = existing == null ? newWindow(windowStartMs, keyBytes) : getLong(existing, 0);
            byte[] stored = new byte[VALUE_HEADER_BYTES + value.length];
            putLong(stored, 0, sequence);
            System.arraycopy(value, 0, stored, VALUE_HEADER_BYTES, value.length);
            put(family(0), windowKey, stored);
        }
        restored();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] windowKey(long windowStartMs, byte[] key) {
        byte[] windowKey = new byte[8 + key.length];
        putOrderedLong(windowKey, 0, windowStartMs);
        System.arraycopy(key, 0, windowKey, 8, key.length);
        return windowKey;
    }

    private static byte[] insertionKey(long windowStartMs, long sequence) {
        byte[] insertionKey = new byte[16];
        putOrderedLong(insertionKey, 0, windowStartMs);
        putLong(insertionKey, 8, sequence);
        return insertionKey;
    }

    private static byte[] changelogKey(long windowStartMs, byte[] key) {
        byte[] changelogKey = new byte[8 + key.length];
        putLong(changelogKey, 0, windowStartMs);
        System.arraycopy(key, 0, changelogKey, 8, key.length);
        return changelogKey;
    }
}
