package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@link SessionStore} with a per-key {@link TreeMap} by start (for merging) and a global {@link TreeSet} by end
 * (for expiry). Invariant: both indexes hold exactly the same sessions. Confined to the task's thread.
 */
final class InMemorySessionStore<K, A> extends ChangelogBackedStore implements SessionStore<K, A> {
    private static final Comparator<Session<?, ?>> BY_END = Comparator.<Session<?, ?>>comparingLong(Session::endMs)
            .thenComparingLong(Session::startMs).thenComparing(Session::key);

    private final Serde<K> keySerde;
    private final Serde<A> aggregateSerde;
    private final Map<Bytes, NavigableMap<Long, Session<K, A>>> sessionsByKey = new HashMap<>();
    private final NavigableSet<Session<K, A>> sessionsByEnd = new TreeSet<>(BY_END);

    InMemorySessionStore(String name, String changelogTopic, Serde<K> keySerde, Serde<A> aggregateSerde,
                         TaskContext context) {
        super(name, changelogTopic, context);
        this.keySerde = keySerde;
        this.aggregateSerde = aggregateSerde;
    }

    @Override
    public void findOverlapping(Bytes key, long fromMs, long toMs, List<Session<K, A>> result) {
        result.clear();
        NavigableMap<Long, Session<K, A>> sessions = sessionsByKey.get(key);
        if (sessions == null) {
            return;
        }
        // Sessions of a key are disjoint and ordered, so ends ascend with starts: stop at the first that ends early.
        for (Session<K, A> session : sessions.headMap(toMs, false).descendingMap().values()) {
            if (session.endMs() <= fromMs) {
                break;
            }
            result.add(session);
        }
    }

    @Override
    public void put(Session<K, A> session) {
        index(session);
        context.sendChangelog(changelogTopic, changelogKey(session), aggregateSerde.serialize(session.aggregate()),
                context.changelogTimestampMs());
    }

    @Override
    public void remove(Session<K, A> session) {
        if (unindex(session)) {
            context.sendChangelog(changelogTopic, changelogKey(session), null, context.changelogTimestampMs());
        }
    }

    @Override
    public void expire(long maxEndMs, Consumer<Session<K, A>> consumer) {
        while (!sessionsByEnd.isEmpty() && sessionsByEnd.first().endMs() <= maxEndMs) {
            Session<K, A> session = sessionsByEnd.first();
            remove(session);
            consumer.accept(session);
        }
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        long startMs = buffer.getLong();
        long endMs = buffer.getLong();
        byte[] keyBytes = Arrays.copyOfRange(key, 16, key.length);
        Bytes storeKey = new Bytes(keyBytes);
        if (value == null) {
            NavigableMap<Long, Session<K, A>> sessions = sessionsByKey.get(storeKey);
            Session<K, A> existing = sessions == null ? null : sessions.get(startMs);
            if (existing != null && existing.endMs() == endMs) {
                unindex(existing);
            }
        } else {
            index(new Session<>(storeKey, keySerde.deserialize(keyBytes), startMs, endMs,
                    aggregateSerde.deserialize(value)));
        }
    }

    private void index(Session<K, A> session) {
        Session<K, A> replaced = sessionsByKey.computeIfAbsent(session.key(), k -> new TreeMap<>())
                .put(session.startMs(), session);
        if (replaced != null) {
            sessionsByEnd.remove(replaced);
        }
        sessionsByEnd.add(session);
    }

    private boolean unindex(Session<K, A> session) {
        NavigableMap<Long, Session<K, A>> sessions = sessionsByKey.get(session.key());
        if (sessions == null || !sessions.remove(session.startMs(), session)) {
            return false;
        }
        if (sessions.isEmpty()) {
            sessionsByKey.remove(session.key());
        }
        sessionsByEnd.remove(session);
        return true;
    }

    private static byte[] changelogKey(Session<?, ?> session) {
        byte[] key = session.key().get();
        return ByteBuffer.allocate(16 + key.length).putLong(session.startMs()).putLong(session.endMs()).put(key)
                .array();
    }
}
