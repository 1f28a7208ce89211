package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.PhysicalPlan;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task contract, driven by hand: control records, watermark senders, changelog partitions, misuse. */
class StageTaskTest {
    private static final ToIntFunction<String> THREE_PARTITIONS = Map.of("in", 3)::get;

    private final List<String> seenByUserCode = new ArrayList<>();
    private final List<OutputRecord> out = new ArrayList<>();

    private PhysicalPlan plan() {
        JobBuilder job = new JobBuilder("j");
        job.from("in", Serdes.string(), Serdes.string())
                .keyBy((k, v) -> v, Serdes.string())
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofSeconds(10)))
                .count()
                .peek((window, count) -> seenByUserCode.add(window.key()))
                .to("out", Serdes.windowed(Serdes.string()), Serdes.longs());
        return Planner.build(job).plan();
    }

    private static InputRecord watermark(int sender, long watermarkMs) {
        return new InputRecord("j-1-repartition", 1, 0, 0, null, null, List.of(WatermarkHeader.encode(sender, watermarkMs)));
    }

    private static InputRecord data(String key, long timestampMs) {
        return new InputRecord("j-1-repartition", 1, 0, timestampMs, Serdes.string().serialize(key),
                Serdes.string().serialize("v"), List.of());
    }

    @Test
    void downstreamWatermarkIsTheMinimumOverAllSendersAndUnheardSendersHoldIt() {
        StageTask task = TaskCompiler.compile(plan(), 1, 1, THREE_PARTITIONS);
        task.process(data("a", 1_000), out::add);
        task.process(watermark(0, 50_000), out::add);
        task.process(watermark(2, 40_000), out::add);
        assertEquals(Long.MIN_VALUE, task.metrics().watermarkMs(), "sender 1 never heard from: -infinity");
        assertTrue(seenByUserCode.isEmpty(), "no window closed while a sender is silent");

        task.process(watermark(1, 30_000), out::add);
        assertEquals(30_000, task.metrics().watermarkMs(), "min over senders 0, 1, 2");
        assertEquals(List.of("a"), seenByUserCode, "window [0, 10 000) closed once all senders passed it");
        assertEquals(1, task.metrics().recordsIn(), "control records are not data");
    }

    @Test
    void changelogRecordsGoToTheTasksPartitionAndControlRecordsToEveryPartition() {
        PhysicalPlan plan = plan();
        StageTask upstream = TaskCompiler.compile(plan, 0, 2, THREE_PARTITIONS);
        upstream.process(new InputRecord("in", 2, 0, 5_000, null, Serdes.string().serialize("a"), List.of()),
                out::add);
        upstream.punctuate(0, out::add);
        List<Integer> controlPartitions = new ArrayList<>();
        for (OutputRecord record : out) {
            if (WatermarkHeader.find(record.headers()) != null) { // data records carry their SourcePosition
                assertEquals(2, WatermarkHeader.sender(WatermarkHeader.find(record.headers())));
                controlPartitions.add(record.partition());
            }
        }
        assertEquals(List.of(0, 1, 2), controlPartitions, "the watermark reaches every repartition partition");

        out.clear();
        StageTask downstream = TaskCompiler.compile(plan, 1, 1, THREE_PARTITIONS);
        downstream.process(data("a", 1_000), out::add);
        OutputRecord changelog = out.stream().filter(r -> r.topic().endsWith("-changelog")).findFirst().orElseThrow();
        assertEquals(1, changelog.partition(), "changelog partition = task partition");
        assertNotNull(changelog.value());
    }

    @Test
    void misuseIsRejected() {
        StageTask task = TaskCompiler.compile(plan(), 1, 0, THREE_PARTITIONS);
        assertThrows(IllegalArgumentException.class, () -> task.process(
                new InputRecord("other", 0, 0, 0, null, null, List.of()), out::add));
        assertThrows(IllegalStateException.class, () -> task.process(watermark(3, 1), out::add),
                "sender 3 does not exist with 3 upstream partitions");
        task.process(data("a", 1), out::add);
        assertThrows(IllegalStateException.class, () -> task.restore(List.of()), "restore only before processing");
        assertThrows(IllegalArgumentException.class, () -> TaskCompiler.compile(plan(), 0, 3, THREE_PARTITIONS));
    }

    @Test
    void aDeferredChangelogHoldsEachChangedWindowOnceAndRestoresTheSameState() {
        PhysicalPlan plan = plan();
        StageTask task = TaskCompiler.compile(plan, 1, 1, THREE_PARTITIONS);
        task.deferChangelogUntilFlush();
        for (int i = 0; i < 100; i++) {
            task.process(data(i % 2 == 0 ? "a" : "b", 1_000 + i), out::add);
        }
        assertTrue(out.stream().noneMatch(r -> r.topic().equals("j-windowed-count-2-changelog")),
                "nothing written to the store's changelog before the flush");
        task.flush(out::add);
        List<ChangelogRecord> changelog = new ArrayList<>();
        for (OutputRecord record : out) {
            if (record.topic().endsWith("-changelog")) {
                changelog.add(new ChangelogRecord(record.topic(), record.key(), record.value()));
            }
        }
        assertEquals(2, changelog.stream().filter(r -> r.topic().equals("j-windowed-count-2-changelog")).count(),
                "one changelog record per changed window (a and b), not one per update: " + changelog);

        StageTask restored = TaskCompiler.compile(plan, 1, 1, THREE_PARTITIONS);
        restored.restore(changelog);
        restored.process(data("a", 2_000), out::add);
        out.clear();
        for (int sender = 0; sender < 3; sender++) {
            restored.process(watermark(sender, 20_000), out::add);
        }
        List<Long> counts = out.stream().filter(r -> r.topic().equals("out"))
                .map(r -> Serdes.longs().deserialize(r.value())).sorted().toList();
        assertEquals(List.of(50L, 51L), counts, "b's 50 and a's 50 + 1 after the restore, each emitted once");
    }
}
