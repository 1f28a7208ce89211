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
 * Sliding ("any 60 s") windows as Kafka Streams' {@code SlidingWindows}: per key, the left window
 * {@code [t - size, t]} of every record time {@code t} and the right window {@code [t + 1, t + 1 + size]} of every
 * record with a later one within it, aggregating every record of the key in it, emitted once when final; compared
 * with a brute-force computation over the input. {@link SlidingWindowsKafkaStreamsTest} compares with Kafka
 * Streams itself.
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

    /**
     * Kafka Streams' sliding windows of the input, when no record is late: for every record at t, its left window
     * [t - size, t] ([0, size] when 0 <= t < size) and, if a record of the key falls in it, its right window
     * [t + 1, t + 1 + size]; each summing the key's records in it.
     */
    private static Map<Windowed<String>, Long> bruteForce(List<Produced> produced) {
        Map<Windowed<String>, Long> expected = new HashMap<>();
        for (Produced p : produced) {
            long leftStartMs = p.timestampMs >= 0 && p.timestampMs < SIZE_MS ? 0 : p.timestampMs - SIZE_MS;
            expected.put(new Windowed<>(p.key, leftStartMs, leftStartMs + SIZE_MS), sum(produced, p.key, leftStartMs));
            long rightSum = sum(produced, p.key, p.timestampMs + 1);
            if (produced.stream().anyMatch(q -> q.key.equals(p.key) && q.timestampMs > p.timestampMs
                    && q.timestampMs <= p.timestampMs + 1 + SIZE_MS)) {
                expected.put(new Windowed<>(p.key, p.timestampMs + 1, p.timestampMs + 1 + SIZE_MS), rightSum);
            }
        }
        return expected;
    }

    private static long sum(List<Produced> produced, String key, long windowStartMs) {
        long sum = 0;
        for (Produced p : produced) {
            if (p.key.equals(key) && p.timestampMs >= windowStartMs && p.timestampMs <= windowStartMs + SIZE_MS) {
                sum += p.amount;
            }
        }
        return sum;
    }

    @Test
    void everyRecordOpensItsLeftAndRightWindowsAcrossPartitionsAndInterleavings() {
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
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1", 100_000);
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "10", 160_000); // 100 000 in its window
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "100", 160_000); // same windows
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1000", 220_001); // 160 000 is not
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(Map.of(new Windowed<>("c", 40_000L, 100_000L), 1L,
                        new Windowed<>("c", 100_000L, 160_000L), 111L,
                        new Windowed<>("c", 100_001L, 160_001L), 110L,
                        new Windowed<>("c", 160_001L, 220_001L), 1000L),
                perWindow(runner.read("sums")),
                "records sharing a time share their windows; the right window of 160 000 is the left one of 220 001");
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
        // Records before 10 s share [0, 10 000], Kafka Streams' stand-in for left windows starting before 0.
        assertEquals(Map.of(new Windowed<>("k", 0L, 10_000L), "ab", new Windowed<>("k", 2_000L, 12_000L), "bc",
                new Windowed<>("k", 1_001L, 11_001L), "b", new Windowed<>("k", 8_001L, 18_001L), "c"), concatenated);
        Map<Windowed<String>, Long> counts = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : runner.read("counts")) {
            counts.put(WINDOWED.deserialize(record.key()), Serdes.longs().deserialize(record.value()));
        }
        assertEquals(Map.of(new Windowed<>("k", 0L, 10_000L), 2L, new Windowed<>("k", 2_000L, 12_000L), 2L,
                new Windowed<>("k", 1_001L, 11_001L), 1L, new Windowed<>("k", 8_001L, 18_001L), 1L), counts);
    }

    @Test
    void recordWhoseOwnWindowIsFinalStillCountsInLaterWindowsAndOnlyFullyClosedRecordsAreLate() {
        JobDefinition job = sumPerMinute(Windows.sliding(Duration.ofMillis(SIZE_MS)));
        LocalJobRunner runner = new LocalJobRunner(job, Map.of("payments", 1));
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1", 100_000);
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "10", 200_000); // watermark 200 000
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "100", 130_000); // last window: 190 000
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1000", 150_000); // left window final
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(Map.of(new Windowed<>("c", 40_000L, 100_000L), 1L,
                        new Windowed<>("c", 140_000L, 200_000L), 1010L,
                        new Windowed<>("c", 150_001L, 210_001L), 10L),
                perWindow(runner.read("sums")),
                "the record at 150 000 opens no left window ([90 000, 150 000] is final) nor makes the final right"
                        + " window of 100 000, but counts in [140 000, 200 000] and opens its right window");
        List<LocalJobRunner.StoredRecord> late = runner.read("sliding-late");
        assertEquals(1, late.size(), "only the record at 130 000 is late: every window it belongs to is final");
        assertEquals(130_000, late.get(0).timestampMs());
        assertEquals("200000", late.get(0).header(TaskContext.LATE_WATERMARK_HEADER));
    }

    @Test
    void allowedLatenessKeepsAWindowOpenAfterTheWatermarkPassedIt() {
        JobDefinition job = sumPerMinute(Windows.sliding(Duration.ofMillis(SIZE_MS))
                .allowedLateness(Duration.ofSeconds(20)));
        LocalJobRunner runner = new LocalJobRunner(job, Map.of("payments", 1));
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "1", 110_000);
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "10", 125_000); // 110 000's still open
        runner.produce("payments", 0, Serdes.string(), "c", Serdes.string(), "100", 105_000); // in 110 000's, 125 000's
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(Map.of(new Windowed<>("c", 50_000L, 110_000L), 101L,
                        new Windowed<>("c", 65_000L, 125_000L), 111L,
                        new Windowed<>("c", 110_001L, 170_001L), 10L,
                        new Windowed<>("c", 45_000L, 105_000L), 100L,
                        new Windowed<>("c", 105_001L, 165_001L), 11L),
                perWindow(runner.read("sums")),
                "within the grace the record at 105 000 counts in the open windows and opens its left and right"
                        + " ones");
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
