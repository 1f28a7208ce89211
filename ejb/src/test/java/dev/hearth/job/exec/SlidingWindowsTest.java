package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sliding ("any 60 s") windows: one window {@code [t - size, t]} per key and record time {@code t}, aggregating
 * every record of the key in it, emitted once when final; compared with a brute-force computation over the input.
 */
class SlidingWindowsTest {
    private static final Serde<Windowed<String>> WINDOWED = Serdes.windowed(Serdes.string());
    private static final long SIZE_MS = 60_000;

    private record Produced(String key, long amount, long timestampMs) {
    }

    private static JobDefinition sumPerMinute(Windows windows) {
        JobBuilder job = new JobBuilder("sliding");
        Stream<String, String> payments = job.from("payments", Serdes.string(), Serdes.string());
        payments.mapValues(Long::parseLong, Serdes.longs())
                .groupByKey()
                .windowedBy(windows)
                .aggregate(() -> 0L, (card, amount, sum) -> sum + amount, Serdes.longs())
                .to("sums", WINDOWED, Serdes.longs());
        return Planner.build(job);
    }

    private static Map<Windowed<String>, Long> perWindow(List<LocalJobRunner.StoredRecord> records) {
        Map<Windowed<String>, Long> result = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : records) {
            Windowed<String> window = WINDOWED.deserialize(record.key());
            assertEquals(window.endMs(), record.timestampMs(), "a sliding window is stamped with its end");
            assertNull(result.put(window, Serdes.longs().deserialize(record.value())), window + " emitted twice");
        }
        return result;
    }

    /** For every key and distinct record time t: the sum over the key's records in [t - size, t]. */
    private static Map<Windowed<String>, Long> bruteForce(List<Produced> produced) {
        Map<Windowed<String>, Long> expected = new HashMap<>();
        for (Produced end : produced) {
            long sum = 0;
            for (Produced p : produced) {
                if (p.key.equals(end.key) && p.timestampMs >= end.timestampMs - SIZE_MS
                        && p.timestampMs <= end.timestampMs) {
                    sum += p.amount;
                }
            }
            expected.put(new Windowed<>(end.key, end.timestampMs - SIZE_MS, end.timestampMs), sum);
        }
        return expected;
    }

    @Test
    void everyRecordOpensTheWindowOfTheMinuteBeforeItAcrossPartitionsAndInterleavings() {
        for (int seed = 1; seed <= 4; seed++) {
            JobDefinition job = sumPerMinute(Windows.sliding(Duration.ofMillis(SIZE_MS))
                    .outOfOrderness(Duration.ofSeconds(30)));
            LocalJobRunner runner = new LocalJobRunner(job, Map.of("payments", 2));
            Random random = new Random(seed);
            List<Produced> produced = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String card = "card" + random.nextInt(5);
                long timestampMs = i * 1_000L + random.nextInt(20_000); // at most 20 s out of order: none late
                if (random.nextInt(10) == 0 && !produced.isEmpty()) {
                    timestampMs = produced.get(produced.size() - 1).timestampMs; // some records share a time
                }
                long amount = 1 + random.nextInt(100);
                produced.add(new Produced(card, amount, timestampMs));
                runner.produce("payments", Serdes.string(), card, Serdes.string(), Long.toString(amount),
                        timestampMs);
            }
            runner.runToEnd(LocalJobRunner.Interleaving.random(seed));

            assertEquals(List.of(), runner.read("sliding-late"), "nothing is late within the out-of-orderness");
            assertEquals(bruteForce(produced), perWindow(runner.read("sums")), "seed " + seed);
        }
    }

    @Test
    void bothEndsOfAWindowAreInclusive() {
        JobDefinition job = sumPerMinute(Windows.sliding(Duration.ofMillis(SIZE_MS)));
        LocalJobRunner runner = new LocalJobRunner(job, Map.of("payments", 1));
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1", 0);
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "10", 60_000);  // 0 is in [0, 60 000]
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "100", 60_000); // same window
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1000", 120_001); // 60 000 is not
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(Map.of(new Windowed<>("c", -60_000L, 0L), 1L,
                        new Windowed<>("c", 0L, 60_000L), 111L,
                        new Windowed<>("c", 60_001L, 120_001L), 1000L),
                perWindow(runner.read("sums")), "records sharing a time share one window");
    }

    @Test
    void countAndReduceOverSlidingWindows() {
        JobBuilder job = new JobBuilder("sliding");
        Stream<String, String> events = job.from("events", Serdes.string(), Serdes.string());
        events.groupByKey().windowedBy(Windows.sliding(Duration.ofSeconds(10))).count()
                .to("counts", WINDOWED, Serdes.longs());
        events.groupByKey().windowedBy(Windows.sliding(Duration.ofSeconds(10))).reduce((a, b) -> a + b)
                .to("concatenated", WINDOWED, Serdes.string());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("events", 1));
        runner.produce("events", 0, Serdes.string(), "k", Serdes.string(), "a", 1_000);
        runner.produce("events", 0, Serdes.string(), "k", Serdes.string(), "b", 8_000);
        runner.produce("events", 0, Serdes.string(), "k", Serdes.string(), "c", 12_000);
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        Map<Windowed<String>, String> concatenated = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : runner.read("concatenated")) {
            concatenated.put(WINDOWED.deserialize(record.key()), Serdes.string().deserialize(record.value()));
        }
        assertEquals(Map.of(new Windowed<>("k", -9_000L, 1_000L), "a", new Windowed<>("k", -2_000L, 8_000L), "ab",
                new Windowed<>("k", 2_000L, 12_000L), "bc"), concatenated);
        Map<Windowed<String>, Long> counts = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : runner.read("counts")) {
            counts.put(WINDOWED.deserialize(record.key()), Serdes.longs().deserialize(record.value()));
        }
        assertEquals(Map.of(new Windowed<>("k", -9_000L, 1_000L), 1L, new Windowed<>("k", -2_000L, 8_000L), 2L,
                new Windowed<>("k", 2_000L, 12_000L), 2L), counts);
    }

    @Test
    void recordWhoseOwnWindowIsFinalStillCountsInLaterWindowsAndOnlyFullyClosedRecordsAreLate() {
        JobDefinition job = sumPerMinute(Windows.sliding(Duration.ofMillis(SIZE_MS)));
        LocalJobRunner runner = new LocalJobRunner(job, Map.of("payments", 1));
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1", 0);
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "10", 100_000); // watermark 100 000
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "100", 30_000); // last window ends 90 000
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1000", 50_000); // own window final
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(Map.of(new Windowed<>("c", -60_000L, 0L), 1L,
                        new Windowed<>("c", 40_000L, 100_000L), 1010L),
                perWindow(runner.read("sums")),
                "the record at 50 000 opens no window of its own but counts in [40 000, 100 000]");
        List<LocalJobRunner.StoredRecord> late = runner.read("sliding-late");
        assertEquals(1, late.size(), "only the record at 30 000 is late: every window it belongs to is final");
        assertEquals(30_000, late.get(0).timestampMs());
        assertEquals("100000", late.get(0).header(TaskContext.LATE_WATERMARK_HEADER));
    }

    @Test
    void allowedLatenessKeepsAWindowOpenAfterTheWatermarkPassedIt() {
        JobDefinition job = sumPerMinute(Windows.sliding(Duration.ofMillis(SIZE_MS))
                .allowedLateness(Duration.ofSeconds(20)));
        LocalJobRunner runner = new LocalJobRunner(job, Map.of("payments", 1));
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1", 10_000);
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "10", 25_000); // window 10 000 still open
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "100", 5_000);  // counts in 10 000, 25 000
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(Map.of(new Windowed<>("c", -50_000L, 10_000L), 101L,
                        new Windowed<>("c", -35_000L, 25_000L), 111L,
                        new Windowed<>("c", -55_000L, 5_000L), 100L),
                perWindow(runner.read("sums")), "within the grace the record at 5 000 opens its own window too");
        assertEquals(List.of(), runner.read("sliding-late"));
    }

    @Test
    void survivesACrashWithExactResults() {
        JobDefinition job = sumPerMinute(Windows.sliding(Duration.ofMillis(SIZE_MS))
                .outOfOrderness(Duration.ofSeconds(5)));
        assertTrue(job.plan().stages().get(0).changelogTopics().contains("sliding-windowed-aggregate-2-records-changelog"),
                "the records the windows are computed from are persisted: " + job.plan().stages().get(0));
        LocalJobRunner runner = new LocalJobRunner(job, Map.of("payments", 1));
        List<Produced> produced = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long timestampMs = i * 7_000L;
            produced.add(new Produced("c" + (i % 2), i, timestampMs));
            runner.produce("payments", 0, Serdes.string(), "c" + (i % 2), Serdes.string(), Long.toString(i),
                    timestampMs);
            if (i == 20) {
                runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
                runner.punctuateAll();
                runner.restartTasks();
            }
        }
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(new TreeSet<>(bruteForce(produced).entrySet().stream().map(Object::toString).toList()),
                new TreeSet<>(perWindow(runner.read("sums")).entrySet().stream().map(Object::toString).toList()));
    }
}
