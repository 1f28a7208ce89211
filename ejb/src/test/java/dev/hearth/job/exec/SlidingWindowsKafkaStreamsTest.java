package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.Planner;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Hearth's sliding windows against the reference, Kafka Streams 4.3.1's
 * {@code SlidingWindows.ofTimeDifferenceAndGrace}: the same random input (several keys, records out of order within
 * the grace, some late beyond it, some sharing a time) goes through Kafka Streams' {@link TopologyTestDriver} and
 * through Hearth's {@link LocalJobRunner}, and the final count and sum of every (key, window start, window end)
 * must be equal.
 * <p>
 * Kafka Streams' final value of a window is its last update (the store cache is off, so every update is seen; a
 * closed window is never updated again); Hearth emits each window once, when final. Both run one partition, so
 * Kafka Streams' stream time and Hearth's frontier are the same maximum event time, and Hearth's allowed lateness
 * (with no out-of-orderness) is Kafka Streams' grace.
 */
class SlidingWindowsKafkaStreamsTest {
    @TempDir
    static Path kafkaStreamsStateDir; // Kafka Streams' RocksDB window stores
    private static final Serde<Windowed<String>> WINDOWED = Serdes.windowed(Serdes.string());
    private static final Duration SIZE = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(5);

    private record Produced(String key, long amount, long timestampMs) {
    }

    /** Final results per window: count and sum, by (key, start, end). */
    private record Results(Map<Windowed<String>, Long> counts, Map<Windowed<String>, Long> sums) {
    }

    @Test
    void sameWindowsCountsAndSumsAsKafkaStreams() {
        for (int seed = 1; seed <= 20; seed++) {
            compare(seed, 100_000L);
        }
    }

    @Test
    void sameWindowsAsKafkaStreamsForRecordsInTheFirstWindowSizeOfTheEpoch() {
        // Records before SIZE have no left window of their own in Kafka Streams, but share [0, SIZE].
        for (int seed = 1; seed <= 20; seed++) {
            compare(seed, 0L);
        }
    }

    /**
     * Known difference, kept as the harness for closing it: a record that arrives after some, but not all, of its
     * windows closed (out of order by more than the grace, less than grace + size). Kafka Streams builds a new
     * window by copying a neighbouring window's aggregate, closed ones included, so a window can lack a record
     * that a closed neighbour missed, or hold one outside its range; Hearth aggregates the stored records. Over 40
     * seeds of this input about one run in three differs, in 1 to 3 of some 260 windows (a count off by one, or a
     * window one side has and the other not).
     */
    @Test
    @Disabled("known difference from Kafka Streams for records that arrive after some of their windows closed")
    void sameWindowsAsKafkaStreamsWhenRecordsArriveAfterSomeOfTheirWindowsClosed() {
        for (int seed = 1; seed <= 20; seed++) {
            compare(seed, 100_000L, true);
        }
    }

    private static void compare(int seed, long firstTimestampMs) {
        compare(seed, firstTimestampMs, false);
    }

    private static void compare(int seed, long firstTimestampMs, boolean partlyLate) {
        List<Produced> input = randomInput(new Random(seed), firstTimestampMs, partlyLate);
        List<String> expectedLate = new ArrayList<>();
        for (Produced p : input) {
            if (p.amount < 0) {
                expectedLate.add(p.key + "@" + p.timestampMs);
                expectedLate.add(p.key + "@" + p.timestampMs);
            }
        }
        expectedLate.sort(null);
        Results kafka = kafkaStreams(input);
        Results hearth = hearth(input, expectedLate, "seed " + seed);
        assertFalse(kafka.counts().isEmpty(), "the input makes windows");
        assertEquals(sorted(kafka.counts()), sorted(hearth.counts()),
                "seed " + seed + ": Hearth's sliding windows and counts are Kafka Streams' for " + input);
        assertEquals(sorted(kafka.sums()), sorted(hearth.sums()),
                "seed " + seed + ": Hearth's sliding windows and sums are Kafka Streams' for " + input);
    }

    /** Sorted by key, start, end, so that a difference reads well. */
    private static String sorted(Map<Windowed<String>, Long> perWindow) {
        Map<Windowed<String>, Long> sorted = new TreeMap<>(Comparator.comparing((Windowed<String> w) -> w.key())
                .thenComparingLong(Windowed::startMs).thenComparingLong(Windowed::endMs));
        sorted.putAll(perWindow);
        return sorted.toString().replace(", Windowed", ",\n Windowed");
    }

    /**
     * Mostly ascending times, 1 to 3 s apart; one record in five is out of order by up to the grace (so all its
     * windows are open), one in twenty so late that every window holding it is closed (marked by a negative
     * amount, which keeps the sums telling); one in ten shares the previous record's time.
     */
    private static List<Produced> randomInput(Random random, long firstTimestampMs, boolean partlyLate) {
        List<Produced> input = new ArrayList<>();
        long streamTimeMs = firstTimestampMs;
        long graceMs = GRACE.toMillis();
        long sizeMs = SIZE.toMillis();
        for (int i = 0; i < 150; i++) {
            String key = "k" + random.nextInt(3);
            int kind = random.nextInt(20);
            long timestampMs;
            long amount = 1 + random.nextInt(100);
            if (input.isEmpty()) {
                timestampMs = firstTimestampMs; // stream time starts here
            } else if (kind < 4) {
                timestampMs = Math.max(0, streamTimeMs - random.nextInt((int) graceMs + 1));
            } else if (kind == 4 && streamTimeMs - graceMs - sizeMs - 1 >= 0) {
                timestampMs = streamTimeMs - graceMs - sizeMs - 1 - random.nextInt(5_000);
                timestampMs = Math.max(0, timestampMs);
                amount = -amount;
            } else if (kind == 5 && partlyLate) {
                // After the grace, but within it for the windows up to [t, t + size]: some windows are closed.
                timestampMs = Math.max(0, streamTimeMs - graceMs - 1 - random.nextInt((int) sizeMs));
            } else if (kind < 7) {
                timestampMs = input.get(input.size() - 1).timestampMs;
                if (input.get(input.size() - 1).amount < 0) {
                    amount = -amount; // as late as the record it shares a time with
                }
            } else {
                timestampMs = streamTimeMs + random.nextInt(3_000);
            }
            streamTimeMs = Math.max(streamTimeMs, timestampMs);
            input.add(new Produced(key, amount, timestampMs));
        }
        return input;
    }

    private static Results kafkaStreams(List<Produced> input) {
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, Long> grouped = builder
                .stream("payments", Consumed.with(org.apache.kafka.common.serialization.Serdes.String(),
                        org.apache.kafka.common.serialization.Serdes.Long()))
                .groupByKey();
        SlidingWindows windows = SlidingWindows.ofTimeDifferenceAndGrace(SIZE, GRACE);
        Map<Windowed<String>, Long> counts = new HashMap<>();
        Map<Windowed<String>, Long> sums = new HashMap<>();
        grouped.windowedBy(windows).count()
                .toStream().foreach((window, count) -> counts.put(hearthWindow(window), count));
        grouped.windowedBy(windows)
                .aggregate(() -> 0L, (key, amount, sum) -> sum + amount,
                        Materialized.with(org.apache.kafka.common.serialization.Serdes.String(),
                                org.apache.kafka.common.serialization.Serdes.Long()))
                .toStream().foreach((window, sum) -> sums.put(hearthWindow(window), sum));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "sliding-reference");
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0); // every update reaches foreach
        config.put(StreamsConfig.STATE_DIR_CONFIG, kafkaStreamsStateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            TestInputTopic<String, Long> payments = driver.createInputTopic("payments", new StringSerializer(),
                    new LongSerializer());
            for (Produced p : input) {
                payments.pipeInput(p.key, p.amount, p.timestampMs);
            }
        }
        return new Results(counts, sums);
    }

    private static Windowed<String> hearthWindow(org.apache.kafka.streams.kstream.Windowed<String> window) {
        return new Windowed<>(window.key(), window.window().start(), window.window().end());
    }

    private static Results hearth(List<Produced> input, List<String> expectedLate, String what) {
        JobBuilder job = new JobBuilder("sliding");
        Stream<String, Long> payments = job.from("payments", Serdes.string(), Serdes.longs());
        Windows windows = Windows.sliding(SIZE).allowedLateness(GRACE);
        payments.groupByKey().windowedBy(windows).count().to("counts", WINDOWED, Serdes.longs());
        payments.groupByKey().windowedBy(windows).aggregate(() -> 0L, (key, amount, sum) -> sum + amount,
                Serdes.longs()).to("sums", WINDOWED, Serdes.longs());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("payments", 1));
        for (Produced p : input) {
            runner.produce("payments", 0, Serdes.string(), p.key, Serdes.longs(), p.amount, p.timestampMs);
        }
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);
        List<String> late = new ArrayList<>();
        for (LocalJobRunner.StoredRecord record : runner.read("sliding-late")) {
            late.add(Serdes.string().deserialize(record.key()) + "@" + record.timestampMs());
        }
        late.sort(null);
        assertEquals(expectedLate, late, what + ": the records beyond the grace are late, once per aggregation");
        return new Results(perWindow(runner.read("counts")), perWindow(runner.read("sums")));
    }

    private static Map<Windowed<String>, Long> perWindow(List<LocalJobRunner.StoredRecord> records) {
        Map<Windowed<String>, Long> result = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : records) {
            Windowed<String> window = WINDOWED.deserialize(record.key());
            assertNull(result.put(window, Serdes.longs().deserialize(record.value())), window + " emitted twice");
        }
        return result;
    }
}
