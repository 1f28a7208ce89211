package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

/**
 * File descriptors per partition, counted in /proc/self/fd: one per segment (its log), not three. Index files
 * are written when a segment is flushed whole and are not held open, so thousands of partitions fit in a normal
 * open-file limit (5,000 partitions once exhausted it: 15,000 descriptors).
 */
class FileDescriptorTest {

    private static final int PARTITIONS = 300;

    @TempDir
    Path dataDir;

    @Test
    void aWrittenPartitionHoldsOneDescriptorAndItsIndexesSurviveARestart() throws IOException {
        // An index entry for every batch, and no fsync per append (the count, not durability, is tested here).
        EngineConfig config = new EngineConfig(dataDir, FlushPolicy.periodic(60_000), TopicConfig.DEFAULTS, 1, 0, 30_000)
                .withMaxPartitions(PARTITIONS + 10);
        long before = openDescriptors();
        try (LogEngine engine = LogEngine.open(config)) {
            engine.createTopic("wide", PARTITIONS, Map.of());
            for (int p = 0; p < PARTITIONS; p++) {
                engine.append("wide", p, batch(T0, "a", "b"));
                engine.append("wide", p, batch(T0 + 1, "c"));
            }
            long held = openDescriptors() - before;
            assertTrue(held <= PARTITIONS + 64, "about one descriptor per written partition, not three: " + held
                    + " for " + PARTITIONS + " partitions");
        }
        assertTrue(openDescriptors() - before <= 16, "closing the engine releases them");
        try (LogEngine engine = LogEngine.open(config)) {
            assertEquals(3, readAll(engine, "wide", PARTITIONS - 1).size(), "records read back after a restart");
            assertEquals(java.util.OptionalLong.of(2), engine.offsetForTimestamp("wide", 7, T0 + 1),
                    "the time index written at close finds the second batch");
            Path index = dataDir.resolve("topics").resolve("wide").resolve("7").resolve("00000000000000000000.index");
            assertEquals(8, Files.size(index), "the offset index entry of the second batch was written at close");
        }
    }

    @Test
    void afterAKillTheActiveSegmentsIndexEntriesThatWereOnlyInMemoryAreRebuilt() throws IOException {
        Path live = dataDir.resolve("live");
        Path killed = dataDir.resolve("killed");
        EngineConfig config = new EngineConfig(live, FlushPolicy.EVERY_APPEND, TopicConfig.DEFAULTS, 1, 0, 30_000);
        try (LogEngine engine = LogEngine.open(config)) {
            engine.createTopic("t", 1, Map.of());
            for (int i = 0; i < 20; i++) {
                engine.append("t", 0, batch(T0 + i * 10, "v" + i));
            }
            // The image a kill -9 leaves: every acknowledged byte of the log, no index entry of the active segment.
            EngineTestSupport.copyDirectory(live, killed);
            Files.deleteIfExists(killed.resolve(".lock"));
        }
        Path index = killed.resolve("topics").resolve("t").resolve("0").resolve("00000000000000000000.index");
        assertEquals(0, Files.size(index), "precondition: the active segment's index was not written before the kill");
        try (LogEngine engine = LogEngine.open(new EngineConfig(killed, FlushPolicy.EVERY_APPEND, TopicConfig.DEFAULTS,
                1, 0, 30_000))) {
            assertEquals(20, readAll(engine, "t", 0).size(), "every acknowledged record is there");
            assertEquals(java.util.OptionalLong.of(15), engine.offsetForTimestamp("t", 0, T0 + 150),
                    "time lookups work on the rebuilt time index");
            assertEquals(19 * 8, Files.size(index), "recovery rebuilt and wrote the offset index");
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.count();
        }
    }
}
