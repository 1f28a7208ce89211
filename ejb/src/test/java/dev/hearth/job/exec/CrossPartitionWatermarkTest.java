package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A windowed count behind a repartition, fed by several source partitions whose event times are out of order
 * within the allowed out-of-orderness, and whose partitions are far apart in event time. However the tasks are
 * interleaved (one partition's task replaying its whole backlog first, reverse order, random), the downstream
 * watermark is the minimum over all upstream tasks, so no record is late and every window is emitted once with
 * its exact count.
 */
class CrossPartitionWatermarkTest {
    private static final long WINDOW_MS = 10_000;
    private static final long OUT_OF_ORDERNESS_MS = 5_000;
    private static final long PARTITION_SKEW_MS = 7_000; // partition p's event times start p * 7 s later
    private static final int RECORDS_PER_PARTITION = 300;
    private static final Serde<Windowed<String>> WINDOWED = Serdes.windowed(Serdes.string());

    static Stream<Arguments> partitionsAndInterleavings() {
        List<Arguments> cases = new ArrayList<>();
        for (int partitions : new int[] {1, 2, 4, 6}) {
            cases.add(Arguments.of(partitions, LocalJobRunner.Interleaving.SEQUENTIAL));
            cases.add(Arguments.of(partitions, LocalJobRunner.Interleaving.REVERSE));
            for (long seed = 1; seed <= 3; seed++) {
                cases.add(Arguments.of(partitions, LocalJobRunner.Interleaving.random(seed)));
            }
        }
        return cases.stream();
    }

    static JobDefinition countPerUserJob(Duration broadcastInterval) {
        JobBuilder job = new JobBuilder("counts");
        job.watermarkBroadcastInterval(broadcastInterval);
        job.from("events", Serdes.string(), Serdes.string())
                .keyBy((eventId, user) -> user, Serdes.string())
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofMillis(WINDOW_MS))
                        .outOfOrderness(Duration.ofMillis(OUT_OF_ORDERNESS_MS)))
                .count()
                .to("user-counts", WINDOWED, Serdes.longs());
        return Planner.build(job);
    }

    /** Produces the events and returns the expected count per (user, window start). */
    static Map<Windowed<String>, Long> produceEvents(LocalJobRunner runner, int partitions, long seed) {
        Random random = new Random(seed);
        Map<Windowed<String>, Long> expected = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                long baseMs = partition * PARTITION_SKEW_MS + i * 200L;
                // never more than 4 s behind the max so far (<= previous base): within the 5 s out-of-orderness
                long eventTimeMs = baseMs - random.nextInt(4_000);
                String user = "user-" + random.nextInt(7);
                runner.produce("events", partition, Serdes.string().serialize("e" + partition + "-" + i),
                        Serdes.string().serialize(user), eventTimeMs);
                long startMs = eventTimeMs - Math.floorMod(eventTimeMs, WINDOW_MS);
                expected.merge(new Windowed<>(user, startMs, startMs + WINDOW_MS), 1L, Long::sum);
            }
        }
        return expected;
    }

    static Map<Windowed<String>, Long> countsPerWindow(List<LocalJobRunner.StoredRecord> records) {
        Map<Windowed<String>, Long> actual = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : records) {
            Long previous = actual.put(WINDOWED.deserialize(record.key()), Serdes.longs().deserialize(record.value()));
            assertNull(previous, "window " + WINDOWED.deserialize(record.key()) + " emitted twice");
        }
        return actual;
    }

    @ParameterizedTest(name = "{0} partitions, {1}")
    @MethodSource("partitionsAndInterleavings")
    void windowedCountIsExactForAnyInterleaving(int partitions, LocalJobRunner.Interleaving interleaving) {
        LocalJobRunner runner = new LocalJobRunner(countPerUserJob(Duration.ofSeconds(1)),
                Map.of("events", partitions));
        Map<Windowed<String>, Long> expected = produceEvents(runner, partitions, 42 + partitions);

        runner.runToEnd(interleaving);

        assertEquals(0, runner.lateRecords(), "no record is late when watermarks are the min over partitions");
        assertEquals(List.of(), runner.read("counts-late"), "late side output stays empty");
        assertEquals(expected, countsPerWindow(runner.read("user-counts")),
                "every window emitted once with its exact count");
    }

    @ParameterizedTest(name = "{0} partitions, {1}")
    @MethodSource("partitionsAndInterleavings")
    void windowsCloseBeforeTheEndOfInputOnceEveryUpstreamTaskReportedProgress(
            int partitions, LocalJobRunner.Interleaving interleaving) {
        LocalJobRunner runner = new LocalJobRunner(countPerUserJob(Duration.ZERO), Map.of("events", partitions));
        Map<Windowed<String>, Long> expected = produceEvents(runner, partitions, 7);

        runner.runUntilIdle(interleaving);
        runner.punctuateAll();
        runner.runUntilIdle(interleaving);

        Map<Windowed<String>, Long> early = countsPerWindow(runner.read("user-counts"));
        assertEquals(0, runner.lateRecords());
        assertFalse(early.isEmpty(), "windows close on watermarks, before the end of input");
        // Windows ending well before every partition's last event time must be final already, and exact.
        long minLastEventMs = (RECORDS_PER_PARTITION - 1) * 200L - 4_000;
        for (Map.Entry<Windowed<String>, Long> window : expected.entrySet()) {
            if (window.getKey().endMs() + OUT_OF_ORDERNESS_MS <= minLastEventMs) {
                assertEquals(window.getValue(), early.get(window.getKey()), "final window " + window.getKey());
            }
        }
        for (Map.Entry<Windowed<String>, Long> window : early.entrySet()) {
            assertEquals(expected.get(window.getKey()), window.getValue(), "emitted window " + window.getKey());
        }
    }
}
