package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.partitionDir;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static dev.hearth.engine.EngineTestSupport.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

/**
 * Kafka's DeleteRecords in the engine: the log start offset moves up (inside a segment if need be), closed segments
 * wholly below it go, the new start survives a restart through {@code log-start-offset}, and a damaged
 * {@code log-start-offset} file costs only the deletion, never the partition.
 */
class DeleteRecordsTest {

    @TempDir
    Path dataDir;

    private LogEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void openWithTenSegments() {
        engine = LogEngine.open(config(dataDir));
        engine.createTopic("t", 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
        for (int i = 0; i < 40; i++) {
            engine.append("t", 0, sizedBatch(T0 + i, 200));
        }
    }

    @Test
    void theLogStartMovesIntoASegmentAndSurvivesARestart() {
        openWithTenSegments();
        int segmentsBefore = engine.describePartition("t", 0).segmentCount();
        assertEquals(25, engine.deleteRecordsBefore("t", 0, 25), "the new log start offset is returned");
        assertTrue(engine.describePartition("t", 0).segmentCount() < segmentsBefore,
                "closed segments wholly below offset 25 are deleted");
        assertThrows(OffsetOutOfRangeException.class, () -> engine.read("t", 0, 24, 1 << 20),
                "an offset below the new start is out of range");
        assertEquals(25, engine.deleteRecordsBefore("t", 0, 10), "the log start never moves down");
        assertEquals(25, engine.findByTimestamp("t", 0, T0).orElseThrow().offset(),
                "a time lookup older than the start answers the start, not a deleted record");
        engine.close();
        engine = LogEngine.open(config(dataDir));
        assertEquals(25, engine.describePartition("t", 0).logStartOffset(), "the start survives a restart");
        assertEquals(25, readAll(engine, "t", 0).stream().filter(r -> r.offset() >= 25).findFirst().orElseThrow()
                .offset(), "reading from the start serves offset 25");
    }

    @Test
    void minusOneMeansTheLogEndAndBeyondTheEndIsOutOfRange() {
        openWithTenSegments();
        assertThrows(OffsetOutOfRangeException.class, () -> engine.deleteRecordsBefore("t", 0, 41),
                "beyond the log end");
        assertEquals(40, engine.deleteRecordsBefore("t", 0, -1), "-1 deletes everything up to the log end");
        assertEquals(40, engine.describePartition("t", 0).logStartOffset(), "an empty log at 40");
    }

    @Test
    void aCompactedTopicRefusesDeletion() {
        engine = LogEngine.open(config(dataDir));
        engine.createTopic("c", 1, Map.of(TopicConfig.CLEANUP_POLICY, "compact"));
        engine.append("c", 0, sizedBatch(T0, 10));
        assertThrows(RecordDeletionRefusedException.class, () -> engine.deleteRecordsBefore("c", 0, 1),
                "records of a compacted topic are removed by compaction only");
    }

    @Test
    void aDamagedLogStartOffsetFileIsIgnoredAndTheLogStartsAtItsFirstSegment() throws Exception {
        openWithTenSegments();
        engine.deleteRecordsBefore("t", 0, 25);
        long firstSegment = engine.describePartition("t", 0).logStartOffset();
        engine.close();
        engine = null;
        Path file = partitionDir(dataDir, "t", 0).resolve("log-start-offset");
        byte[] content = Files.readAllBytes(file);
        Files.write(file, new byte[] {content[0], '?'}); // cut and garbled, as a broken disk might leave it
        engine = LogEngine.open(config(dataDir));
        long start = engine.describePartition("t", 0).logStartOffset();
        assertTrue(start <= 25 && start >= 0, "the partition opens at its first segment, not offline: " + start
                + " (was " + firstSegment + ")");
        assertEquals(PartitionState.ONLINE, engine.describePartition("t", 0).state(), "the partition is online");
    }
}
