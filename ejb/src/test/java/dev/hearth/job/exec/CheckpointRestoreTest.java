package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StoreKind;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistent stores restored through their checkpoint: a restart reads only the changelog's tail after it; no
 * checkpoint, a corrupt one or a corrupt store means a full restore; results are exact either way.
 */
class CheckpointRestoreTest {
    private static final int KEYS = 50;

    @TempDir
    Path stateRoot;

    private static JobBuilder countJob(StoreKind kind) {
        JobBuilder job = new JobBuilder("totals");
        job.from("in", Serdes.string(), Serdes.string()).groupByKey().withStore(kind).count()
                .to("out", Serdes.string(), Serdes.longs());
        return job;
    }

    private static void produce(LocalJobRunner runner, int from, int to) {
        for (int i = from; i < to; i++) {
            runner.produce("in", 0, Serdes.string(), "k" + (i % KEYS), Serdes.string(), "v", i);
        }
    }

    /** The last count emitted per key. */
    private static Map<String, Long> lastCounts(LocalJobRunner runner) {
        Map<String, Long> counts = new HashMap<>();
        for (LocalJobRunner.StoredRecord record : runner.read("out")) {
            counts.put(Serdes.string().deserialize(record.key()), Serdes.longs().deserialize(record.value()));
        }
        return counts;
    }

    private static Map<String, Long> expectedCounts(int records) {
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < records; i++) {
            counts.merge("k" + (i % KEYS), 1L, Long::sum);
        }
        return counts;
    }

    private Path checkpointFile() {
        return stateRoot.resolve("totals").resolve("0_0").resolve(TaskStateDirectory.CHECKPOINT_FILE);
    }

    @Test
    void aCheckpointedRestartRestoresNothingAndACrashAfterItOnlyTheTail() {
        LocalJobRunner runner = new LocalJobRunner(Planner.build(countJob(StoreKind.PERSISTENT)), Map.of("in", 1),
                new StateDirectory(stateRoot));
        try {
            produce(runner, 0, 1_000);
            runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
            runner.restartTasks();
            assertEquals(0, runner.restoredRecords(), "the checkpoint covers the whole changelog: nothing to read");
            assertTrue(Files.exists(checkpointFile()), "checkpoint written per task");

            produce(runner, 1_000, 1_300);
            runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
            runner.crashTasks(); // committed, not checkpointed: the disk is ahead of the checkpoint
            assertEquals(300, runner.restoredRecords(), "only the 300 changelog records after the checkpoint");

            produce(runner, 1_300, 1_500);
            runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
            assertEquals(expectedCounts(1_500), lastCounts(runner),
                    "replaying the tail onto a disk already past it gives the exact counts");
        } finally {
            runner.close();
        }
    }

    @Test
    void aMissingOrCorruptCheckpointMeansAFullRestore() throws Exception {
        LocalJobRunner runner = new LocalJobRunner(Planner.build(countJob(StoreKind.PERSISTENT)), Map.of("in", 1),
                new StateDirectory(stateRoot));
        try {
            produce(runner, 0, 400);
            runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
            runner.restartTasks();
            runner.closeTasks();
            Files.delete(checkpointFile());
            runner.restoreTasks();
            assertEquals(400, runner.restoredRecords(), "no checkpoint: the whole changelog");

            runner.checkpointAll();
            runner.closeTasks();
            Files.writeString(checkpointFile(), "0\n1\ntotals-count-1-changelog 0 not-a-number\n");
            runner.restoreTasks();
            assertEquals(800, runner.restoredRecords(), "an invalid checkpoint: the whole changelog again");

            runner.checkpointAll();
            runner.closeTasks();
            Files.writeString(checkpointFile(), Files.readString(checkpointFile()).replace(" 400", " 999"));
            runner.restoreTasks();
            assertEquals(1_200, runner.restoredRecords(), "an offset past the changelog's end (a recreated"
                    + " changelog): the whole changelog");

            produce(runner, 400, 600);
            runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
            assertEquals(expectedCounts(600), lastCounts(runner), "exact counts after full restores onto wiped"
                    + " stores (no double counting of what the disk held)");
        } finally {
            runner.close();
        }
    }

    @Test
    void aCorruptStoreIsWipedAndRestoredWhole() throws Exception {
        LocalJobRunner runner = new LocalJobRunner(Planner.build(countJob(StoreKind.PERSISTENT)), Map.of("in", 1),
                new StateDirectory(stateRoot));
        try {
            produce(runner, 0, 300);
            runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
            runner.checkpointAll();
            runner.close();
            Path store = checkpointFile().resolveSibling("count-1");
            assertTrue(Files.isDirectory(store), "the store's RocksDB directory, named after the store");
            Files.writeString(store.resolve("CURRENT"), "MANIFEST-999999\n");
            runner.crashTasks();
            assertEquals(300, runner.restoredRecords(), "a store that does not open is restored from the start");
            produce(runner, 300, 350);
            runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
            assertEquals(expectedCounts(350), lastCounts(runner), "exact counts");
        } finally {
            runner.close();
        }
    }

    @Test
    void inMemoryStoresIgnoreTheStateDirectory() {
        LocalJobRunner runner = new LocalJobRunner(Planner.build(countJob(StoreKind.IN_MEMORY)), Map.of("in", 1),
                new StateDirectory(stateRoot));
        produce(runner, 0, 100);
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
        runner.restartTasks();
        assertEquals(100, runner.restoredRecords(), "an in-memory store replays its whole changelog");
        assertTrue(!Files.exists(stateRoot.resolve("totals")), "and writes nothing to disk");
        runner.close();
    }

    @Test
    void windowedCountWithPersistentStoresSurvivesRepeatedCrashes() {
        Map<Windowed<String>, Long> expected;
        LocalJobRunner runner = new LocalJobRunner(CrossPartitionWatermarkTest.countPerUserJob(Duration.ofMillis(500)),
                Map.of("events", 4), new StateDirectory(stateRoot));
        try {
            expected = CrossPartitionWatermarkTest.produceEvents(runner, 4, 99);
            LocalJobRunner.Interleaving interleaving = LocalJobRunner.Interleaving.random(17);
            int round = 0;
            while (runner.runUntilIdle(interleaving, 301) > 0) {
                if (round++ % 2 == 0) {
                    runner.restartTasks();
                } else {
                    runner.crashTasks();
                }
            }
            runner.restartTasks();
            runner.runToEnd(interleaving);
            assertEquals(0, runner.lateRecords(), "restored watermarks neither regress nor run ahead");
            assertEquals(expected, CrossPartitionWatermarkTest.countsPerWindow(runner.read("user-counts")),
                    "same windows, same counts, each emitted once, as without crashes");
        } finally {
            runner.close();
        }
    }

    @Test
    void streamJoinWithPersistentStoresSurvivesRepeatedCrashes() {
        LocalJobRunner runner = new LocalJobRunner(StreamJoinTest.ordersWithPayments(true, Duration.ofMillis(300)),
                Map.of("orders", 3, "payments", 3, "paid", 1), new StateDirectory(stateRoot));
        try {
            java.util.List<String> expected = StreamJoinTest.produceOrdersAndPayments(runner, 3, true, 7);
            LocalJobRunner.Interleaving interleaving = LocalJobRunner.Interleaving.random(23);
            int round = 0;
            while (runner.runUntilIdle(interleaving, 293) > 0) {
                if (round++ % 2 == 0) {
                    runner.restartTasks();
                } else {
                    runner.crashTasks();
                }
            }
            runner.restartTasks();
            runner.runToEnd(interleaving);
            assertEquals(expected, StreamJoinTest.describe(runner.read("paid")),
                    "each pair within the window once, none outside, across crashes");
        } finally {
            runner.close();
        }
    }

    @Test
    void sessionWindowsWithPersistentStoresSurviveRepeatedCrashes() {
        java.util.function.Supplier<LocalJobRunner> runners = () -> {
            JobBuilder job = new JobBuilder("sessions");
            job.from("in", Serdes.string(), Serdes.string()).groupByKey()
                    .windowedBy(dev.hearth.job.api.Windows.session(Duration.ofSeconds(5))
                            .outOfOrderness(Duration.ofSeconds(10)))
                    .count().to("out", Serdes.windowed(Serdes.string()), Serdes.longs());
            LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("in", 2),
                    new StateDirectory(stateRoot.resolve("run-" + System.nanoTime())));
            java.util.Random random = new java.util.Random(5);
            for (int i = 0; i < 600; i++) {
                String key = "k" + random.nextInt(7);
                runner.produce("in", Math.abs(key.hashCode()) % 2, Serdes.string(), key, Serdes.string(), "v",
                        i * 1_000L + random.nextInt(8_000));
            }
            return runner;
        };
        LocalJobRunner reference = runners.get();
        reference.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);
        LocalJobRunner crashing = runners.get();
        try {
            LocalJobRunner.Interleaving interleaving = LocalJobRunner.Interleaving.random(3);
            int round = 0;
            while (crashing.runUntilIdle(interleaving, 53) > 0) {
                if (round++ % 2 == 0) {
                    crashing.restartTasks();
                } else {
                    crashing.crashTasks();
                }
            }
            crashing.runToEnd(interleaving);
            assertTrue(reference.read("out").size() > 20, "the data has sessions");
            assertEquals(CrossPartitionWatermarkTest.countsPerWindow(reference.read("out")),
                    CrossPartitionWatermarkTest.countsPerWindow(crashing.read("out")),
                    "the same sessions and counts with crashes as without");
        } finally {
            reference.close();
            crashing.close();
        }
    }
}
