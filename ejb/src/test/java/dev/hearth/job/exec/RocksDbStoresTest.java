package dev.hearth.job.exec;

import dev.hearth.job.api.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RocksDB stores against their interfaces' contracts: the same answers, expiry order and changelog as the
 * in-memory stores (differential tests on random operations), disk state after commit only, restore.
 */
class RocksDbStoresTest {
    private static final TaskId TASK = new TaskId(0, 0);

    @TempDir
    Path root;

    private final List<OutputRecord> changelog = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TaskContext context;

    @BeforeEach
    void begin() {
        context = new TaskContext(TASK);
        context.begin(null, changelog::add);
    }

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable store : opened) {
            store.close();
        }
    }

    private TaskStateDirectory directory(String name) {
        return new StateDirectory(root.resolve(name)).task("job", TASK);
    }

    private <S extends AutoCloseable> S open(S store) {
        opened.add(store);
        return store;
    }

    private static Bytes key(String key) {
        return new Bytes(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keyValueStoreKeepsCommittedWritesOnDiskAndDropsUncommittedOnes() {
        TaskStateDirectory directory = directory("kv");
        RocksDbKeyValueStore<Long> store = new RocksDbKeyValueStore<>("counts", "job-counts-changelog",
                Serdes.longs(), context, directory);
        store.put(key("a"), 1L);
        store.put(key("b"), 2L);
        store.delete(key("b"));
        store.delete(key("never"));
        assertEquals(1L, store.get(key("a")), "a store reads its own uncommitted writes");
        assertNull(store.get(key("b")));
        assertEquals(3, changelog.size(), "put a, put b, tombstone b; deleting an absent key writes nothing");
        assertNull(changelog.get(2).value(), "a delete is a tombstone");
        store.writeCommitted();
        store.put(key("c"), 3L); // never committed
        store.close();

        RocksDbKeyValueStore<Long> reopened = open(new RocksDbKeyValueStore<>("counts", "job-counts-changelog",
                Serdes.longs(), context, directory));
        assertTrue(reopened.hadLocalState(), "the reopened store finds its database");
        assertEquals(1L, reopened.get(key("a")), "committed writes survive a close");
        assertNull(reopened.get(key("c")), "writes of a transaction that never committed are gone");

        RocksDbKeyValueStore<Long> restored = open(new RocksDbKeyValueStore<>("counts", "job-counts-changelog",
                Serdes.longs(), context, directory("kv-restored")));
        for (OutputRecord record : changelog.subList(0, 3)) {
            restored.restore(record.key(), record.value());
        }
        restored.finishRestore();
        assertEquals(1L, restored.get(key("a")));
        assertNull(restored.get(key("b")), "the tombstone is restored");
    }

    @Test
    void windowStoreMatchesTheInMemoryStoreOnRandomOperations() {
        for (long seed = 0; seed < 3; seed++) {
            changelog.clear();
            List<OutputRecord> memoryChangelog = new ArrayList<>();
            TaskContext memoryContext = new TaskContext(TASK);
            memoryContext.begin(null, memoryChangelog::add);
            InMemoryWindowStore<String, Long> memory = new InMemoryWindowStore<>("w", "job-w-changelog",
                    Serdes.string(), Serdes.longs(), memoryContext);
            RocksDbWindowStore<String, Long> rocks = open(new RocksDbWindowStore<>("w", "job-w-changelog",
                    Serdes.string(), Serdes.longs(), context, directory("window-" + seed)));
            Random random = new Random(seed);
            long maxExpiredStart = -50;
            for (int op = 0; op < 3_000; op++) {
                int choice = random.nextInt(100);
                if (choice < 80) {
                    String key = "k" + random.nextInt(30);
                    long start = maxExpiredStart + 10 * (1 + random.nextInt(8));
                    Long before = memory.get(key(key), start);
                    assertEquals(before, rocks.get(key(key), start), "seed " + seed + " op " + op + ": get");
                    long aggregate = (before == null ? 0 : before) + 1;
                    memory.put(key(key), key, start, aggregate);
                    rocks.put(key(key), key, start, aggregate);
                } else if (choice < 90) {
                    maxExpiredStart += 10 * random.nextInt(3);
                    List<String> expiredInMemory = new ArrayList<>();
                    List<String> expiredInRocks = new ArrayList<>();
                    memory.expire(maxExpiredStart, (k, s, a) -> expiredInMemory.add(k + "@" + s + "=" + a));
                    rocks.expire(maxExpiredStart, (k, s, a) -> expiredInRocks.add(k + "@" + s + "=" + a));
                    assertEquals(expiredInMemory, expiredInRocks, "seed " + seed + " op " + op
                            + ": same windows expire, oldest start first, in insertion order within a start");
                } else {
                    memory.flush();
                    rocks.flush();
                    rocks.writeCommitted();
                }
            }
            memory.flush();
            rocks.flush();
            rocks.writeCommitted();
            assertEquals(replay(memoryChangelog), replay(changelog),
                    "seed " + seed + ": the changelogs describe the same windows");

            RocksDbWindowStore<String, Long> restored = open(new RocksDbWindowStore<>("w", "job-w-changelog",
                    Serdes.string(), Serdes.longs(), context, directory("window-restored-" + seed)));
            List<OutputRecord> written = new ArrayList<>(changelog);
            for (OutputRecord record : written) {
                restored.restore(record.key(), record.value());
            }
            restored.finishRestore();
            List<String> all = new ArrayList<>();
            List<String> allRestored = new ArrayList<>();
            rocks.expire(Long.MAX_VALUE, (k, s, a) -> all.add(s + "/" + k + "=" + a));
            restored.expire(Long.MAX_VALUE, (k, s, a) -> allRestored.add(s + "/" + k + "=" + a));
            all.sort(Comparator.naturalOrder());
            allRestored.sort(Comparator.naturalOrder());
            assertEquals(all, allRestored, "seed " + seed + ": the restored store holds the same windows");
        }
    }

    @Test
    void sessionStoreFindsLatestFirstAndExpiresEarliestEndFirst() {
        TaskStateDirectory directory = directory("session");
        RocksDbSessionStore<String, Long> store = open(new RocksDbSessionStore<>("s", "job-s-changelog",
                Serdes.string(), Serdes.longs(), context, directory));
        store.put(new SessionStore.Session<>(key("a"), "a", 0, 10, 1L));
        store.put(new SessionStore.Session<>(key("a"), "a", 20, 30, 2L));
        store.put(new SessionStore.Session<>(key("a"), "a", 40, 45, 3L));
        store.put(new SessionStore.Session<>(key("ab"), "ab", 5, 25, 9L)); // a longer key with the same prefix
        store.put(new SessionStore.Session<>(key("b"), "b", -20, -5, 4L));
        List<SessionStore.Session<String, Long>> found = new ArrayList<>();
        store.findOverlapping(key("a"), 5, 41, found);
        assertEquals(List.of(3L, 2L, 1L), found.stream().map(SessionStore.Session::aggregate).toList(),
                "sessions of key a with start < 41 and end > 5, latest first; key ab is another key");
        store.findOverlapping(key("a"), 10, 40, found);
        assertEquals(List.of(2L), found.stream().map(SessionStore.Session::aggregate).toList(),
                "bounds are exclusive: [0,10] ends at 10, [40,45] starts at 40");
        store.remove(found.get(0));
        store.findOverlapping(key("a"), 10, 40, found);
        assertTrue(found.isEmpty(), "a removed session is gone");

        List<String> expired = new ArrayList<>();
        store.expire(25, s -> expired.add(s.keyObject() + "[" + s.startMs() + "," + s.endMs() + "]"));
        assertEquals(List.of("b[-20,-5]", "a[0,10]", "ab[5,25]"), expired, "earliest end first, negative first");

        RocksDbSessionStore<String, Long> restored = open(new RocksDbSessionStore<>("s", "job-s-changelog",
                Serdes.string(), Serdes.longs(), context, directory("session-restored")));
        for (OutputRecord record : new ArrayList<>(changelog)) {
            restored.restore(record.key(), record.value());
        }
        restored.finishRestore();
        restored.findOverlapping(key("a"), Long.MIN_VALUE + 1, Long.MAX_VALUE, found);
        assertEquals(List.of(3L), found.stream().map(SessionStore.Session::aggregate).toList(),
                "removals and expiries are tombstones in the changelog");
    }

    @Test
    void joinWindowStoreMatchesTheInMemoryStoreOnRandomOperations() {
        List<OutputRecord> memoryChangelog = new ArrayList<>();
        TaskContext memoryContext = new TaskContext(TASK);
        memoryContext.begin(null, memoryChangelog::add);
        InMemoryJoinWindowStore<String> memory = new InMemoryJoinWindowStore<>("j", "job-j-changelog",
                Serdes.string(), memoryContext);
        RocksDbJoinWindowStore<String> rocks = open(new RocksDbJoinWindowStore<>("j", "job-j-changelog",
                Serdes.string(), context, directory("join")));
        Random random = new Random(7);
        long expiredUpTo = -100;
        for (int op = 0; op < 5_000; op++) {
            int choice = random.nextInt(100);
            String key = "k" + random.nextInt(20);
            if (choice < 60) {
                long time = expiredUpTo + 1 + random.nextInt(200);
                memory.put(key(key), time, "v" + op);
                rocks.put(key(key), time, "v" + op);
            } else if (choice < 90) {
                long from = expiredUpTo + random.nextInt(200);
                long to = from + random.nextInt(100) - 10;
                List<String> inMemory = new ArrayList<>();
                List<String> inRocks = new ArrayList<>();
                memory.fetch(key(key), from, to, (t, v) -> inMemory.add(t + ":" + v));
                rocks.fetch(key(key), from, to, (t, v) -> inRocks.add(t + ":" + v));
                assertEquals(inMemory, inRocks, "op " + op + ": same matches, by event time then put order");
            } else if (choice < 95) {
                expiredUpTo += random.nextInt(40);
                memory.expire(expiredUpTo);
                rocks.expire(expiredUpTo);
            } else {
                rocks.writeCommitted();
            }
            assertEquals(memory.sizeInRecords(), rocks.sizeInRecords(), "op " + op + ": records held");
        }
        assertEquals(replay(memoryChangelog), replay(changelog), "the changelogs describe the same records");
        rocks.writeCommitted();

        RocksDbJoinWindowStore<String> restored = open(new RocksDbJoinWindowStore<>("j", "job-j-changelog",
                Serdes.string(), context, directory("join-restored")));
        for (OutputRecord record : new ArrayList<>(changelog)) {
            restored.restore(record.key(), record.value());
        }
        restored.finishRestore();
        assertEquals(rocks.sizeInRecords(), restored.sizeInRecords(), "restored records held");
        int before = changelog.size();
        restored.put(key("k1"), expiredUpTo + 1, "after");
        long sequenceAfter = RocksDbStore.getLong(changelog.get(before).key(), 8);
        long maxSequence = 0;
        for (OutputRecord record : changelog.subList(0, before)) {
            maxSequence = Math.max(maxSequence, RocksDbStore.getLong(record.key(), 8));
        }
        assertTrue(sequenceAfter > maxSequence, "the sequence continues above every restored one");
    }

    @Test
    void aCorruptStoreIsDeletedAndOpenedEmpty() throws Exception {
        TaskStateDirectory directory = directory("corrupt");
        RocksDbKeyValueStore<Long> store = new RocksDbKeyValueStore<>("counts", "job-counts-changelog",
                Serdes.longs(), context, directory);
        store.put(key("a"), 1L);
        store.writeCommitted();
        store.close();
        Path current = directory.storeDirectory("counts").resolve("CURRENT");
        java.nio.file.Files.writeString(current, "garbage-manifest-name\n");

        RocksDbKeyValueStore<Long> reopened = open(new RocksDbKeyValueStore<>("counts", "job-counts-changelog",
                Serdes.longs(), context, directory));
        assertTrue(!reopened.hadLocalState(), "a store that fails to open counts as having no local state");
        assertNull(reopened.get(key("a")), "and starts empty, to be restored from the whole changelog");
    }

    /** The state a changelog describes: the latest value per key, tombstones removing. */
    private static Map<String, String> replay(List<OutputRecord> records) {
        Map<String, String> state = new HashMap<>();
        for (OutputRecord record : records) {
            String key = java.util.HexFormat.of().formatHex(record.key());
            if (record.value() == null) {
                state.remove(key);
            } else {
                state.put(key, java.util.HexFormat.of().formatHex(record.value()));
            }
        }
        return state;
    }
}
