package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;
import org.rocksdb.RocksIterator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link JoinWindowStore} in RocksDB. Three column families:
 * <pre>
 * default  int32 keyLength ++ key ++ ordered(eventTimeMs) ++ int64 sequence → serialized value
 * by-time  ordered(eventTimeMs) ++ int64 sequence ++ key                   → (empty)
 * meta     "next-sequence" → int64;  "size" → int64 records held
 * </pre>
 * {@code ordered(x)} is {@code x} big-endian with its sign bit flipped (unsigned byte order = numeric order). A
 * probe is one range scan of {@code default}: the key's records in event-time order, then in put order (the
 * sequence grows with every put). Expiry scans {@code by-time} from its start, {@value #EXPIRE_CHUNK} records at
 * a time. Invariant: both families hold exactly the same records, and {@code size} counts them.
 * <p>
 * Changelog records are written at each put and expiry (as the in-memory store); disk writes wait in the batch
 * until the next flush. Confined to the task's thread.
 */
final class RocksDbJoinWindowStore<V> extends RocksDbStore implements JoinWindowStore<V> {
    private static final int EXPIRE_CHUNK = 1_000;
    private static final long UNKNOWN = Long.MIN_VALUE;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEXT_SEQUENCE = "next-sequence".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIZE = "size".getBytes(StandardCharsets.US_ASCII);

    private final Serde<V> valueSerde;
    private final byte[] counterBytes = new byte[8];
    private long nextSequence;
    private long sizeInRecords;
    private long lowestEventTimeMs = UNKNOWN; // lowest event time held; MAX_VALUE: none; UNKNOWN: to be read
    // No record is older than this: scans of by-time seek here, skipping the tombstones expiry leaves at its head.
    private long scanFromMs = Long.MIN_VALUE;

    RocksDbJoinWindowStore(String name, String changelogTopic, Serde<V> valueSerde, TaskContext context,
                           TaskStateDirectory directory) {
        super(name, changelogTopic, context, directory, List.of("default", "by-time", "meta"));
        this.valueSerde = valueSerde;
        reloaded();
    }

    @Override
    void reloaded() {
        byte[] next = get(family(2), NEXT_SEQUENCE);
        nextSequence = next == null ? 0 : getLong(next, 0);
        byte[] size = get(family(2), SIZE);
        sizeInRecords = size == null ? 0 : getLong(size, 0);
        lowestEventTimeMs = UNKNOWN;
        scanFromMs = Long.MIN_VALUE;
    }

    @Override
    public void put(Bytes key, long eventTimeMs, V value) {
        long sequence = nextSequence++;
        byte[] serialized = valueSerde.serialize(value);
        add(key.get(), eventTimeMs, sequence, serialized);
        putCounter(NEXT_SEQUENCE, nextSequence);
        context.sendChangelog(changelogTopic, changelogKey(eventTimeMs, sequence, key.get()), serialized,
                context.changelogTimestampMs());
    }

    @Override
    public void fetch(Bytes key, long fromMs, long toMs, Match<V> consumer) {
        if (fromMs > toMs) {
            return;
        }
        byte[] prefix = new byte[4 + key.get().length];
        putInt(prefix, 0, key.get().length);
        System.arraycopy(key.get(), 0, prefix, 4, key.get().length);
        byte[] seekKey = Arrays.copyOf(prefix, prefix.length + 8);
        putOrderedLong(seekKey, prefix.length, fromMs);
        try (RocksIterator records = iterator(family(0))) {
            for (records.seek(seekKey); records.isValid(); records.next()) {
                byte[] recordKey = records.key();
                if (!startsWith(recordKey, prefix)) {
                    return;
                }
                long eventTimeMs = getOrderedLong(recordKey, prefix.length);
                if (eventTimeMs > toMs) {
                    return;
                }
                consumer.accept(eventTimeMs, valueSerde.deserialize(records.value()));
            }
        }
    }

    @Override
    public void expire(long maxEventTimeMs) {
        if (maxEventTimeMs < lowestEventTimeMs()) {
            return;
        }
        List<byte[]> timeKeys = new ArrayList<>(EXPIRE_CHUNK);
        boolean more = true;
        while (more) {
            timeKeys.clear();
            try (RocksIterator records = iterator(family(1))) {
                for (records.seek(scanKey()); records.isValid() && timeKeys.size() < EXPIRE_CHUNK; records.next()) {
                    byte[] timeKey = records.key();
                    if (getOrderedLong(timeKey, 0) > maxEventTimeMs) {
                        break;
                    }
                    timeKeys.add(timeKey);
                }
            }
            more = timeKeys.size() == EXPIRE_CHUNK;
            for (byte[] timeKey : timeKeys) {
                long eventTimeMs = getOrderedLong(timeKey, 0);
                long sequence = getLong(timeKey, 8);
                byte[] key = Arrays.copyOfRange(timeKey, 16, timeKey.length);
                delete(family(0), recordKey(key, eventTimeMs, sequence));
                delete(family(1), timeKey);
                sizeInRecords--;
                context.sendChangelog(changelogTopic, changelogKey(eventTimeMs, sequence, key), null,
                        context.changelogTimestampMs());
            }
        }
        putCounter(SIZE, sizeInRecords);
        if (maxEventTimeMs < Long.MAX_VALUE) {
            scanFromMs = Math.max(scanFromMs, maxEventTimeMs + 1);
        }
        lowestEventTimeMs = UNKNOWN;
    }

    private byte[] scanKey() {
        byte[] scanKey = new byte[8];
        putOrderedLong(scanKey, 0, scanFromMs);
        return scanKey;
    }

    private long lowestEventTimeMs() {
        if (lowestEventTimeMs == UNKNOWN) {
            try (RocksIterator records = iterator(family(1))) {
                records.seek(scanKey());
                lowestEventTimeMs = records.isValid() ? getOrderedLong(records.key(), 0) : Long.MAX_VALUE;
            }
        }
        return lowestEventTimeMs;
    }

    @Override
    public long sizeInRecords() {
        return sizeInRecords;
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        long eventTimeMs = getLong(key, 0);
        long sequence = getLong(key, 8);
        byte[] keyBytes = Arrays.copyOfRange(key, 16, key.length);
        if (sequence >= nextSequence) {
            nextSequence = sequence + 1;
            putCounter(NEXT_SEQUENCE, nextSequence);
        }
        byte[] recordKey = recordKey(keyBytes, eventTimeMs, sequence);
        boolean existed = get(family(0), recordKey) != null;
        if (value == null) {
            if (existed) {
                delete(family(0), recordKey);
                delete(family(1), timeKey(eventTimeMs, sequence, keyBytes));
                sizeInRecords--;
                putCounter(SIZE, sizeInRecords);
            }
        } else if (existed) {
            put(family(0), recordKey, value);
        } else {
            add(keyBytes, eventTimeMs, sequence, value);
        }
        lowestEventTimeMs = UNKNOWN;
        restored();
    }

    private void add(byte[] key, long eventTimeMs, long sequence, byte[] value) {
        put(family(0), recordKey(key, eventTimeMs, sequence), value);
        put(family(1), timeKey(eventTimeMs, sequence, key), EMPTY);
        sizeInRecords++;
        putCounter(SIZE, sizeInRecords);
        if (lowestEventTimeMs != UNKNOWN && eventTimeMs < lowestEventTimeMs) {
            lowestEventTimeMs = eventTimeMs;
        }
        scanFromMs = Math.min(scanFromMs, eventTimeMs);
    }

    private void putCounter(byte[] name, long value) {
        putLong(counterBytes, 0, value);
        put(family(2), name, counterBytes);
    }

    private static byte[] recordKey(byte[] key, long eventTimeMs, long sequence) {
        byte[] recordKey = new byte[4 + key.length + 16];
        putInt(recordKey, 0, key.length);
        System.arraycopy(key, 0, recordKey, 4, key.length);
        putOrderedLong(recordKey, 4 + key.length, eventTimeMs);
        putLong(recordKey, 12 + key.length, sequence);
        return recordKey;
    }

    private static byte[] timeKey(long eventTimeMs, long sequence, byte[] key) {
        byte[] timeKey = new byte[16 + key.length];
        putOrderedLong(timeKey, 0, eventTimeMs);
        putLong(timeKey, 8, sequence);
        System.arraycopy(key, 0, timeKey, 16, key.length);
        return timeKey;
    }

    private static byte[] changelogKey(long eventTimeMs, long sequence, byte[] key) {
        byte[] changelogKey = new byte[16 + key.length];
        putLong(changelogKey, 0, eventTimeMs);
        putLong(changelogKey, 8, sequence);
        System.arraycopy(key, 0, changelogKey, 16, key.length);
        return changelogKey;
    }
}
