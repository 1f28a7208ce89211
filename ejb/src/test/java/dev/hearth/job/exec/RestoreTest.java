package dev.hearth.job.exec;

import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every state change is in the changelog emitted by the same call, so a task replaced at any call boundary and
 * restored from its changelog continues exactly as if nothing had happened.
 */
class RestoreTest {

    @Test
    void windowedCountSurvivesRepeatedCrashesAtArbitraryPoints() {
        Map<Windowed<String>, Long> expected;
        LocalJobRunner runner = new LocalJobRunner(CrossPartitionWatermarkTest.countPerUserJob(Duration.ofMillis(500)),
                Map.of("events", 4));
        expected = CrossPartitionWatermarkTest.produceEvents(runner, 4, 99);
        LocalJobRunner.Interleaving interleaving = LocalJobRunner.Interleaving.random(17);
        while (runner.runUntilIdle(interleaving, 97) > 0) {
            runner.restartTasks();
        }
        runner.restartTasks();
        runner.runToEnd(interleaving);

        assertEquals(0, runner.lateRecords(), "restored watermarks neither regress nor run ahead");
        assertEquals(expected, CrossPartitionWatermarkTest.countsPerWindow(runner.read("user-counts")),
                "same windows, same counts, each emitted once, as without crashes");
    }

    @Test
    void restoredWatermarkStillRejectsLateRecords() {
        dev.hearth.job.api.JobBuilder job = new dev.hearth.job.api.JobBuilder("late");
        job.from("in", Serdes.string(), Serdes.string()).groupByKey()
                .windowedBy(dev.hearth.job.api.Windows.tumbling(Duration.ofSeconds(10))).count()
                .to("out", Serdes.windowed(Serdes.string()), Serdes.longs());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("in", 1));
        runner.produce("in", 0, Serdes.string(), "k", Serdes.string(), "a", 1_000);
        runner.produce("in", 0, Serdes.string(), "k", Serdes.string(), "b", 25_000); // closes [0, 10 000)
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
        runner.restartTasks();
        runner.produce("in", 0, Serdes.string(), "k", Serdes.string(), "late", 2_000);
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);

        assertEquals(1, runner.read("late-late").size(), "the restored watermark (25 000) makes 2 000 late");
        assertEquals(Map.of(new Windowed<>("k", 0L, 10_000L), 1L, new Windowed<>("k", 20_000L, 30_000L), 1L),
                CrossPartitionWatermarkTest.countsPerWindow(runner.read("out")), "no window reopened or repeated");
    }

    @Test
    void runningAggregateContinuesFromItsRestoredValue() {
        dev.hearth.job.api.JobBuilder job = new dev.hearth.job.api.JobBuilder("totals");
        job.from("in", Serdes.string(), Serdes.string()).groupByKey().count().to("out", Serdes.string(), Serdes.longs());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("in", 1));
        for (int i = 0; i < 6; i++) {
            runner.produce("in", 0, Serdes.string(), "k", Serdes.string(), "v", i);
            runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
            runner.restartTasks();
        }
        List<Long> counts = new ArrayList<>();
        for (LocalJobRunner.StoredRecord record : runner.read("out")) {
            counts.add(Serdes.longs().deserialize(record.value()));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), counts);
    }
}
