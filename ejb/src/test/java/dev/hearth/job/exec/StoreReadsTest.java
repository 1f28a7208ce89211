package dev.hearth.job.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.Planner;

/**
 * The reads interactive queries make: {@link KeyValueStore#scan} and {@link WindowStore#fetch}, of the in-memory
 * and the RocksDB stores alike.
 */
class StoreReadsTest {
    private static final TaskId TASK = new TaskId(0, 0);

    @TempDir
    Path root;

    private final List<RocksDbStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(RocksDbStore::close);
    }

    private TaskStateDirectory directory(String name) {
        return new StateDirectory(root.resolve(name)).task("job", TASK);
    }

    private <S extends RocksDbStore> S opened(S store) {
        opened.add(store);
        return store;
    }

    private static Bytes key(String key) {
        return new Bytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private KeyValueStore<Long> kvStore(boolean persistent) {
        TaskContext context = new TaskContext(TASK);
        return persistent
                ? opened(new RocksDbKeyValueStore<>("counts", "j-counts-changelog", Serdes.longs(), context,
                        directory("counts")))
                : new InMemoryKeyValueStore<>("counts", "j-counts-changelog", Serdes.longs(), context);
    }

    @ParameterizedTest(name = "persistent: {0}")
    @ValueSource(booleans = {false, true})
    void scanPagesThroughEveryKeyOnceInUnsignedByteOrder(boolean persistent) {
        KeyValueStore<Long> store = kvStore(persistent);
        List<Bytes> keys = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            Bytes key = new Bytes(new byte[] {(byte) (i * 7), (byte) i});
            keys.add(key);
            store.restore(key.get(), Serdes.longs().serialize((long) i));
        }
        keys.sort(null);
        List<Bytes> seen = new ArrayList<>();
        Bytes after = null;
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            List<KeyValueStore.Entry<Long>> page = store.scan(after, 100);
            pageSizes.add(page.size());
            page.forEach(entry -> seen.add(entry.key()));
            if (page.size() < 100) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }
        assertEquals(List.of(100, 100, 50), pageSizes, "pages of the limit, the last one shorter");
        assertEquals(keys, seen, "every key once, ascending by unsigned bytes (0x80 after 0x7f)");
    }

    @ParameterizedTest(name = "persistent: {0}")
    @ValueSource(booleans = {false, true})
    void scanStartsStrictlyAfterTheGivenKeyAndCarriesTheValues(boolean persistent) {
        KeyValueStore<Long> store = kvStore(persistent);
        for (String k : List.of("a", "b", "c", "d")) {
            store.restore(key(k).get(), Serdes.longs().serialize((long) k.charAt(0)));
        }
        List<KeyValueStore.Entry<Long>> page = store.scan(key("b"), 10);
        assertEquals(List.of(key("c"), key("d")), page.stream().map(KeyValueStore.Entry::key).toList(),
                "after 'b', exclusive");
        assertEquals(100L, page.get(1).value(), "the value of 'd'");
        assertTrue(store.scan(key("d"), 10).isEmpty(), "nothing after the last key");
        assertEquals(List.of(key("a")), store.scan(null, 1).stream().map(KeyValueStore.Entry::key).toList(),
                "null: from the first key");
    }

    @ParameterizedTest(name = "persistent: {0}")
    @ValueSource(booleans = {false, true})
    void fetchReturnsAKeysWindowsInAnInclusiveStartRangeAscendingUpToTheLimit(boolean persistent) {
        TaskContext context = new TaskContext(TASK);
        WindowStore<String, Long> store = persistent
                ? opened(new RocksDbWindowStore<>("w", "j-w-changelog", Serdes.string(), Serdes.longs(), context,
                        directory("w")))
                : new InMemoryWindowStore<>("w", "j-w-changelog", Serdes.string(), Serdes.longs(), context);
        for (long start : List.of(30L, 0L, 10L, 20L)) {
            store.restore(windowKey(start, "k"), Serdes.longs().serialize(start / 10 + 1));
            store.restore(windowKey(start, "other"), Serdes.longs().serialize(99L));
        }
        assertEquals(List.of(new WindowStore.Window<>(10L, 2L), new WindowStore.Window<>(20L, 3L)),
                store.fetch(key("k"), 10, 30, 2), "both bounds inclusive, ascending, cut at the limit");
        assertEquals(List.of(new WindowStore.Window<>(30L, 4L)), store.fetch(key("k"), 21, 30, 10),
                "the next page starts after the last start returned");
        assertTrue(store.fetch(key("k"), 31, 100, 10).isEmpty(), "no window starts after 30");
        assertTrue(store.fetch(key("k"), 20, 10, 10).isEmpty(), "an empty range");
        assertTrue(store.fetch(key("absent"), 0, 100, 10).isEmpty(), "a key without windows");
    }

    @Test
    void aRunningJobsStoresAreReadableByTheNamesTheDslGaveThem() {
        JobBuilder job = new JobBuilder("views");
        Stream<String, String> views = job.from("views", Serdes.string(), Serdes.string());
        views.groupByKey().withStoreName("views-by-user").count().to("totals", Serdes.string(), Serdes.longs());
        views.groupByKey().windowedBy(Windows.tumbling(Duration.ofSeconds(10))).withStoreName("views-per-10s")
                .count().to("windowed", Serdes.windowed(Serdes.string()), Serdes.longs());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("views", 1));
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String user = "user-" + (i % 4);
            runner.produce("views", 0, Serdes.string(), user, Serdes.string(), "page", 1_000L + i * 100);
            expected.merge(user, 1L, Long::sum);
        }
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);

        StageTask task = runner.task(0, 0);
        @SuppressWarnings("unchecked")
        KeyValueStore<Long> totals = (KeyValueStore<Long>) task.store("views-by-user");
        Map<String, Long> counted = new HashMap<>();
        totals.scan(null, 100).forEach(entry -> counted.put(new String(entry.key().get(), StandardCharsets.UTF_8),
                entry.value()));
        assertEquals(expected, counted, "the key-value store holds each user's count");
        @SuppressWarnings("unchecked")
        WindowStore<String, Long> windows = (WindowStore<String, Long>) task.store("views-per-10s");
        assertEquals(List.of(new WindowStore.Window<>(0L, expected.get("user-1"))),
                windows.fetch(key("user-1"), 0, Long.MAX_VALUE, 10), "the open window [0, 10 s) of user-1");
        assertNull(task.store("no-such-store"), "an unknown name is no store");
    }

    private static byte[] windowKey(long startMs, String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + bytes.length).putLong(startMs).put(bytes).array();
    }
}
