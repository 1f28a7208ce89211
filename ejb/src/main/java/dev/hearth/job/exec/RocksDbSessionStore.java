package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;
import org.rocksdb.RocksIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link SessionStore} in RocksDB. Two column families:
 * <pre>
 * default  int32 keyLength ++ key ++ ordered(startMs) ++ ordered(endMs) → aggregate
 * by-end   ordered(endMs) ++ ordered(startMs) ++ key                   → (empty)
 * </pre>
 * {@code ordered(x)} is {@code x} big-endian with its sign bit flipped (unsigned byte order = numeric order). The
 * length prefix makes a key's sessions one contiguous range that no longer key shares, in start order; sessions of
 * a key are disjoint, so ends ascend with starts and {@link #findOverlapping} walks back from the last start below
 * {@code toMs} until a session ends too early. {@code by-end} gives {@link #expire}'s order (earliest end, then
 * start, then key, as {@link InMemorySessionStore}). Invariant: both families hold exactly the same sessions.
 * <p>
 * Changelog records are written at each put and remove (as the in-memory store); disk writes wait in the batch
 * until the next flush. A session is replaced only through {@code remove} then {@code put}, as the session
 * processor merges. Confined to the task's thread.
 */
final class RocksDbSessionStore<K, A> extends RocksDbStore implements SessionStore<K, A> {
    private static final int EXPIRE_CHUNK = 1_000;
    private static final long UNKNOWN = Long.MIN_VALUE;
    private static final byte[] EMPTY = new byte[0];

    private final Serde<K> keySerde;
    private final Serde<A> aggregateSerde;
    private long lowestEndMs = UNKNOWN; // lowest session end held; MAX_VALUE: none; UNKNOWN: to be read
    // No session ends below this: scans of by-end seek here, skipping the tombstones expiry leaves at its head.
    private long scanFromMs = Long.MIN_VALUE;

    RocksDbSessionStore(String name, String changelogTopic, Serde<K> keySerde, Serde<A> aggregateSerde,
                        TaskContext context, TaskStateDirectory directory) {
        super(name, changelogTopic, context, directory, List.of("default", "by-end"));
        this.keySerde = keySerde;
        this.aggregateSerde = aggregateSerde;
    }

    @Override
    void reloaded() {
        lowestEndMs = UNKNOWN;
        scanFromMs = Long.MIN_VALUE;
    }

    @Override
    public void findOverlapping(Bytes key, long fromMs, long toMs, List<Session<K, A>> result) {
        result.clear();
        byte[] prefix = prefix(key.get());
        byte[] seekKey = Arrays.copyOf(prefix, prefix.length + 16);
        putOrderedLong(seekKey, prefix.length, toMs);
        putOrderedLong(seekKey, prefix.length + 8, Long.MIN_VALUE);
        K keyObject = null;
        try (RocksIterator sessions = iterator(family(0))) {
            for (sessions.seekForPrev(seekKey); sessions.isValid(); sessions.prev()) {
                byte[] sessionKey = sessions.key();
                if (!startsWith(sessionKey, prefix)) {
                    break;
                }
                long startMs = getOrderedLong(sessionKey, prefix.length);
                long endMs = getOrderedLong(sessionKey, prefix.length + 8);
                if (startMs >= toMs) {
                    continue;
                }
                if (endMs <= fromMs) {
                    break;
                }
                if (keyObject == null) {
                    keyObject = keySerde.deserialize(key.get());
                }
                result.add(new Session<>(key, keyObject, startMs, endMs,
                        aggregateSerde.deserialize(sessions.value())));
            }
        }
    }

    @Override
    public void put(Session<K, A> session) {
        byte[] key = session.key().get();
        byte[] aggregate = aggregateSerde.serialize(session.aggregate());
        put(family(0), sessionKey(key, session.startMs(), session.endMs()), aggregate);
        put(family(1), endKey(key, session.startMs(), session.endMs()), EMPTY);
        if (lowestEndMs != UNKNOWN && session.endMs() < lowestEndMs) {
            lowestEndMs = session.endMs();
        }
        scanFromMs = Math.min(scanFromMs, session.endMs());
        context.sendChangelog(changelogTopic, changelogKey(key, session.startMs(), session.endMs()), aggregate,
                context.changelogTimestampMs());
    }

    @Override
    public void remove(Session<K, A> session) {
        byte[] key = session.key().get();
        byte[] sessionKey = sessionKey(key, session.startMs(), session.endMs());
        if (get(family(0), sessionKey) != null) {
            delete(family(0), sessionKey);
            delete(family(1), endKey(key, session.startMs(), session.endMs()));
            context.sendChangelog(changelogTopic, changelogKey(key, session.startMs(), session.endMs()), null,
                    context.changelogTimestampMs());
        }
    }

    @Override
    public void expire(long maxEndMs, Consumer<Session<K, A>> consumer) {
        if (maxEndMs < lowestEndMs()) {
            return;
        }
        List<byte[]> endKeys = new ArrayList<>(EXPIRE_CHUNK);
        boolean more = true;
        while (more) {
            endKeys.clear();
            try (RocksIterator sessions = iterator(family(1))) {
                for (sessions.seek(scanKey()); sessions.isValid() && endKeys.size() < EXPIRE_CHUNK; sessions.next()) {
                    byte[] endKey = sessions.key();
                    if (getOrderedLong(endKey, 0) > maxEndMs) {
                        break;
                    }
                    endKeys.add(endKey);
                }
            }
            more = endKeys.size() == EXPIRE_CHUNK;
            for (byte[] endKey : endKeys) {
                long endMs = getOrderedLong(endKey, 0);
                long startMs = getOrderedLong(endKey, 8);
                byte[] key = Arrays.copyOfRange(endKey, 16, endKey.length);
                byte[] sessionKey = sessionKey(key, startMs, endMs);
                A aggregate = aggregateSerde.deserialize(get(family(0), sessionKey));
                delete(family(0), sessionKey);
                delete(family(1), endKey);
                context.sendChangelog(changelogTopic, changelogKey(key, startMs, endMs), null,
                        context.changelogTimestampMs());
                consumer.accept(new Session<>(new Bytes(key), keySerde.deserialize(key), startMs, endMs, aggregate));
            }
        }
        if (maxEndMs < Long.MAX_VALUE) {
            scanFromMs = Math.max(scanFromMs, maxEndMs + 1);
        }
        lowestEndMs = UNKNOWN;
    }

    private byte[] scanKey() {
        byte[] scanKey = new byte[8];
        putOrderedLong(scanKey, 0, scanFromMs);
        return scanKey;
    }

    private long lowestEndMs() {
        if (lowestEndMs == UNKNOWN) {
            try (RocksIterator sessions = iterator(family(1))) {
                sessions.seek(scanKey());
                lowestEndMs = sessions.isValid() ? getOrderedLong(sessions.key(), 0) : Long.MAX_VALUE;
            }
        }
        return lowestEndMs;
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        long startMs = getLong(key, 0);
        long endMs = getLong(key, 8);
        byte[] keyBytes = Arrays.copyOfRange(key, 16, key.length);
        if (value == null) {
            delete(family(0), sessionKey(keyBytes, startMs, endMs));
            delete(family(1), endKey(keyBytes, startMs, endMs));
        } else {
            put(family(0), sessionKey(keyBytes, startMs, endMs), value);
            put(family(1), endKey(keyBytes, startMs, endMs), EMPTY);
            scanFromMs = Math.min(scanFromMs, endMs);
        }
        lowestEndMs = UNKNOWN;
        restored();
    }

    private static byte[] prefix(byte[] key) {
        byte[] prefix = new byte[4 + key.length];
        putInt(prefix, 0, key.length);
        System.arraycopy(key, 0, prefix, 4, key.length);
        return prefix;
    }

    private static byte[] sessionKey(byte[] key, long startMs, long endMs) {
        byte[] sessionKey = new byte[4 + key.length + 16];
        putInt(sessionKey, 0, key.length);
        System.arraycopy(key, 0, sessionKey, 4, key.length);
        putOrderedLong(sessionKey, 4 + key.length, startMs);
        putOrderedLong(sessionKey, 12 + key.length, endMs);
        return sessionKey;
    }

    private static byte[] endKey(byte[] key, long startMs, long endMs) {
        byte[] endKey = new byte[16 + key.length];
        putOrderedLong(endKey, 0, endMs);
        putOrderedLong(endKey, 8, startMs);
        System.arraycopy(key, 0, endKey, 16, key.length);
        return endKey;
    }

    private static byte[] changelogKey(byte[] key, long startMs, long endMs) {
        byte[] changelogKey = new byte[16 + key.length];
        putLong(changelogKey, 0, startMs);
        putLong(changelogKey, 8, endMs);
        System.arraycopy(key, 0, changelogKey, 16, key.length);
        return changelogKey;
    }
}
