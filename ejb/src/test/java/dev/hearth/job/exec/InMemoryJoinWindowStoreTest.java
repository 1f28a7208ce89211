package dev.hearth.job.exec;

import dev.hearth.job.api.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InMemoryJoinWindowStoreTest {
    private static final String CHANGELOG = "j-join-left-2-changelog";

    private final List<OutputRecord> changelog = new ArrayList<>();

    private InMemoryJoinWindowStore<String> store(TaskContext context) {
        return new InMemoryJoinWindowStore<>("join-left-2", CHANGELOG, Serdes.string(), context);
    }

    private static Bytes key(String key) {
        return new Bytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> fetch(JoinWindowStore<String> store, String key, long fromMs, long toMs) {
        List<String> found = new ArrayList<>();
        store.fetch(key(key), fromMs, toMs, (eventTimeMs, value) -> found.add(value + "@" + eventTimeMs));
        return found;
    }

    private TaskContext context() {
        TaskContext context = new TaskContext(new TaskId(0, 0));
        context.begin(null, changelog::add);
        return context;
    }

    @Test
    void fetchReturnsTheKeysRecordsInTheRangeInTimeThenArrivalOrder() {
        InMemoryJoinWindowStore<String> store = store(context());
        store.put(key("k"), 20, "b");
        store.put(key("k"), 10, "a");
        store.put(key("k"), 20, "c"); // same key and time: a second entry, not a replacement
        store.put(key("other"), 15, "x");

        assertEquals(List.of("a@10", "b@20", "c@20"), fetch(store, "k", 10, 20), "bounds inclusive");
        assertEquals(List.of("b@20", "c@20"), fetch(store, "k", 11, 100));
        assertEquals(List.of(), fetch(store, "k", 21, 5), "empty range");
        assertEquals(4, store.sizeInRecords());
    }

    @Test
    void expiryDropsOldRecordsAndWritesTombstones() {
        InMemoryJoinWindowStore<String> store = store(context());
        for (int t = 0; t < 10; t++) {
            store.put(key("k" + t % 3), t, "v" + t);
        }
        store.expire(6);

        assertEquals(3, store.sizeInRecords(), "records at 7, 8, 9 remain");
        assertEquals(List.of(), fetch(store, "k0", 0, 6), "expired records are no longer matched");
        assertEquals(List.of("v9@9"), fetch(store, "k0", 0, 100));
        assertEquals(17, changelog.size(), "10 puts and 7 tombstones");
        assertEquals(7, changelog.stream().filter(r -> r.value() == null).count());
    }

    @Test
    void restoreRebuildsTheStoreAndContinuesTheSequence() {
        InMemoryJoinWindowStore<String> original = store(context());
        original.put(key("k"), 5, "a");
        original.put(key("k"), 5, "b");
        original.put(key("k"), 9, "c");
        original.expire(5);
        original.put(key("k"), 9, "d");

        InMemoryJoinWindowStore<String> restored = store(context());
        for (OutputRecord record : new ArrayList<>(changelog)) {
            restored.restore(record.key(), record.value());
        }
        assertEquals(List.of("c@9", "d@9"), fetch(restored, "k", 0, 100));
        assertEquals(2, restored.sizeInRecords());

        restored.put(key("k"), 9, "e"); // must not reuse the changelog key of c or d
        InMemoryJoinWindowStore<String> again = store(context());
        for (OutputRecord record : changelog) {
            again.restore(record.key(), record.value());
        }
        assertEquals(List.of("c@9", "d@9", "e@9"), fetch(again, "k", 0, 100), "no entry overwritten by another");
    }
}
