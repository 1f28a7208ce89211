package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Truly late records are never dropped: they go, unchanged and annotated, to the side output and are counted. */
class LateRecordsTest {
    private static final Serde<Windowed<String>> WINDOWED = Serdes.windowed(Serdes.string());

    private static LocalJobRunner runner(Windows windows, boolean named) {
        JobBuilder job = new JobBuilder("late");
        job.from("in", Serdes.string(), Serdes.string())
                .groupByKey()
                .windowedBy(named ? windows.lateRecordsTo("stragglers") : windows)
                .count()
                .to("out", WINDOWED, Serdes.longs());
        return new LocalJobRunner(Planner.build(job), Map.of("in", 1));
    }

    private static void produce(LocalJobRunner runner, String key, String value, long timestampMs) {
        runner.produce("in", 0, Serdes.string(), key, Serdes.string(), value, timestampMs);
    }

    @Test
    void recordBehindAClosedWindowGoesToTheDefaultSideOutputUnchanged() {
        LocalJobRunner runner = runner(Windows.tumbling(Duration.ofSeconds(10)).outOfOrderness(Duration.ofSeconds(1)),
                false);
        produce(runner, "k", "a", 1_000);
        produce(runner, "k", "b", 2_000);
        produce(runner, "k", "c", 25_000); // watermark 24 000 closes [0, 10 000)
        produce(runner, "k", "late", 3_000);
        produce(runner, "k", "d", 23_500); // within out-of-orderness of 25 000: not late

        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        List<LocalJobRunner.StoredRecord> late = runner.read("late-late");
        assertEquals(1, late.size(), "exactly the record behind the closed window is late");
        LocalJobRunner.StoredRecord record = late.get(0);
        assertArrayEquals(Serdes.string().serialize("k"), record.key(), "original key bytes");
        assertArrayEquals(Serdes.string().serialize("late"), record.value(), "original value bytes");
        assertEquals(3_000, record.timestampMs());
        assertEquals("window-closed", record.header(TaskContext.LATE_REASON_HEADER));
        assertEquals("24000", record.header(TaskContext.LATE_WATERMARK_HEADER));
        assertEquals("in", record.header(SourcePosition.TOPIC_HEADER), "the source record's topic");
        assertEquals("0", record.header(SourcePosition.PARTITION_HEADER), "the source record's partition");
        assertEquals("3", record.header(SourcePosition.OFFSET_HEADER), "the source record's offset");
        assertEquals(1, runner.lateRecords(), "the late-record counter");
        assertEquals(Map.of(new Windowed<>("k", 0L, 10_000L), 2L, new Windowed<>("k", 20_000L, 30_000L), 2L),
                CrossPartitionWatermarkTest.countsPerWindow(runner.read("out")),
                "the late record is not counted in any window");
    }

    @Test
    void allowedLatenessKeepsAWindowOpenAndANamedSideOutputIsUsed() {
        LocalJobRunner runner = runner(Windows.tumbling(Duration.ofSeconds(10))
                .allowedLateness(Duration.ofSeconds(5)), true);
        produce(runner, "k", "a", 1_000);
        produce(runner, "k", "b", 14_000); // watermark 14 000 < 10 000 + 5 000: [0, 10 000) still open
        produce(runner, "k", "within lateness", 2_000);
        produce(runner, "k", "c", 15_000); // watermark 15 000: [0, 10 000) is final
        produce(runner, "k", "too late", 3_000);

        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(List.of("too late"), runner.read("stragglers").stream()
                .map(r -> Serdes.string().deserialize(r.value())).toList());
        assertEquals(Map.of(new Windowed<>("k", 0L, 10_000L), 2L, new Windowed<>("k", 10_000L, 20_000L), 2L),
                CrossPartitionWatermarkTest.countsPerWindow(runner.read("out")));
    }

    @Test
    void hoppingRecordIsLateOnlyWhenAllItsWindowsAreClosed() {
        LocalJobRunner runner = runner(Windows.hopping(Duration.ofSeconds(10), Duration.ofSeconds(5)), false);
        produce(runner, "k", "a", 12_000);  // watermark 12 000: windows ending <= 12 000 closed, [5 000,15 000) open
        produce(runner, "k", "b", 7_000);   // in [0,10 000) (closed) and [5 000,15 000) (open): not late
        produce(runner, "k", "c", 16_000);  // watermark 16 000 closes [5 000, 15 000)
        produce(runner, "k", "d", 9_000);   // [0,10 000) and [5 000,15 000) both closed: late

        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(1, runner.lateRecords());
        assertEquals(Map.of(
                new Windowed<>("k", 5_000L, 15_000L), 2L,
                new Windowed<>("k", 10_000L, 20_000L), 2L,
                new Windowed<>("k", 15_000L, 25_000L), 1L),
                CrossPartitionWatermarkTest.countsPerWindow(runner.read("out")));
    }

    @Test
    void aLateRecordBehindARepartitionNamesItsSourceRecordNotTheRepartitionTopic() {
        JobBuilder job = new JobBuilder("late");
        job.from("clicks", Serdes.string(), Serdes.string())
                .keyBy((clickId, user) -> user, Serdes.string()) // stage boundary: the window reads a repartition
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofSeconds(10)))
                .count()
                .to("out", WINDOWED, Serdes.longs());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("clicks", 2));
        runner.produce("clicks", 0, Serdes.string(), "c0", Serdes.string(), "alice", 1_000);
        runner.produce("clicks", 1, Serdes.string(), "c1", Serdes.string(), "bob", 1_500);
        runner.produce("clicks", 0, Serdes.string(), "c2", Serdes.string(), "alice", 25_000);
        runner.produce("clicks", 1, Serdes.string(), "c3", Serdes.string(), "bob", 26_000);
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
        runner.punctuateAll();
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL); // [0, 10 000) is final downstream
        runner.produce("clicks", 1, Serdes.string(), "c4", Serdes.string(), "bob", 2_000);
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        List<LocalJobRunner.StoredRecord> late = runner.read("late-late");
        assertEquals(1, late.size(), "the record behind the closed window is late");
        LocalJobRunner.StoredRecord record = late.get(0);
        assertEquals("clicks", record.header(SourcePosition.TOPIC_HEADER),
                "the source topic, not the internal repartition topic");
        assertEquals("1", record.header(SourcePosition.PARTITION_HEADER), "the source record's partition");
        assertEquals("2", record.header(SourcePosition.OFFSET_HEADER), "the source record's offset");
        assertEquals(2_000, record.timestampMs(), "the source record's timestamp");
        assertEquals("bob", Serdes.string().deserialize(record.key()), "the key the window saw");
    }
}
