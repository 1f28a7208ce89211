package dev.hearth.engine.internal;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.contents;
import static dev.hearth.engine.EngineTestSupport.copyDirectory;
import static dev.hearth.engine.EngineTestSupport.deleteDirectory;
import static dev.hearth.engine.EngineTestSupport.flipByte;
import static dev.hearth.engine.EngineTestSupport.header;
import static dev.hearth.engine.EngineTestSupport.logFiles;
import static dev.hearth.engine.EngineTestSupport.offsets;
import static dev.hearth.engine.EngineTestSupport.partitionDir;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static dev.hearth.engine.EngineTestSupport.record;
import static dev.hearth.engine.EngineTestSupport.sizedBatch;
import static dev.hearth.engine.EngineTestSupport.truncate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.LongStream;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.hearth.engine.EngineTestSupport;
import dev.hearth.engine.EngineTestSupport.ManualClock;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.engine.PartitionState;
import dev.hearth.engine.StorageException;
import dev.hearth.engine.TopicConfig;

/**
 * Crash recovery of a partition's segments: a torn or corrupt tail beyond the recovery point is cut back
 * to the last valid batch; corruption below the recovery point (data acknowledged as durable) takes the
 * partition offline instead of silently dropping it.
 *
 * <p>Crashes are simulated on a copy of a cleanly closed data directory: the clean-shutdown marker is
 * removed (and, to recover from offset 0, the recovery-point checkpoint), then the log file is damaged.
 */
class PartitionLogRecoveryTest {

    private static final String TOPIC = "crashy";
    private static final String CLEAN_SHUTDOWN = ".clean-shutdown";
    private static final long SEGMENT_MS = 60_000;

    @TempDir
    Path root;

    /** A cleanly closed log whose last batch is the one the tests damage. */
    private record WrittenLog(Path dataDir, List<SimpleRecord> beforeLast, List<SimpleRecord> last, long lastBaseOffset,
                              String lastLogFile, long lastBatchPosition, int lastBatchBytes) {

        long fullLogEndOffset() {
            return lastBaseOffset + last.size();
        }
    }

    /**
     * Writes four batches (with keys, headers and varied timestamps), then a fifth, the last, of three records;
     * with {@code lastBatchInOwnSegment} an age roll puts that last batch alone in a new segment.
     */
    private WrittenLog writeLog(boolean lastBatchInOwnSegment) throws IOException {
        Path dataDir = root.resolve("source");
        ManualClock clock = new ManualClock(T0);
        List<SimpleRecord> beforeLast = new ArrayList<>();
        List<SimpleRecord> last = List.of(record(T0 + 100, "last-1", "tail value one", header("h", "1")),
                record(T0 + 101, "last-2", "tail value two"), record(T0 + 102, null, "tail value three"));
        int lastBatchBytes;
        try (LogEngine engine = LogEngine.open(config(dataDir), clock)) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_MS, Long.toString(SEGMENT_MS)));
            for (int i = 0; i < 4; i++) {
                List<SimpleRecord> records = List.of(record(T0 + i * 10, "key-" + i, "value-" + i, header("n", "" + i)),
                        record(T0 + i * 10 + 1, "key-" + i + "b", "value-" + i + "b"));
                engine.append(TOPIC, 0, batch(records.toArray(SimpleRecord[]::new)));
                beforeLast.addAll(records);
            }
            if (lastBatchInOwnSegment) {
                clock.advance(SEGMENT_MS);
            }
            MemoryRecords lastBatch = batch(last.toArray(SimpleRecord[]::new));
            lastBatchBytes = lastBatch.sizeInBytes();
            engine.append(TOPIC, 0, lastBatch);
            assertEquals(lastBatchInOwnSegment ? 2 : 1, engine.describePartition(TOPIC, 0).segmentCount(),
                    "precondition: the last batch is " + (lastBatchInOwnSegment ? "alone in its segment" : "in the only segment"));
        }
        Path lastLog = logFiles(partitionDir(dataDir, TOPIC, 0)).get(lastBatchInOwnSegment ? 1 : 0);
        return new WrittenLog(dataDir, beforeLast, last, beforeLast.size(), lastLog.getFileName().toString(),
                Files.size(lastLog) - lastBatchBytes, lastBatchBytes);
    }

    /** A copy of the log as a crash would leave it: no clean-shutdown marker and, optionally, no checkpoint. */
    private Path crashCopy(WrittenLog log, String name, boolean keepCheckpoint) throws IOException {
        Path copy = root.resolve(name);
        copyDirectory(log.dataDir(), copy);
        Files.delete(copy.resolve(CLEAN_SHUTDOWN));
        if (!keepCheckpoint) {
            Files.delete(copy.resolve(RecoveryPointCheckpoint.FILE_NAME));
        }
        return copy;
    }

    private static Path lastLogIn(Path dataDir, WrittenLog log) {
        return partitionDir(dataDir, TOPIC, 0).resolve(log.lastLogFile());
    }

    @ParameterizedTest(name = "last batch in its own segment: {0}")
    @ValueSource(booleans = {false, true})
    void lastBatchCutAtEveryBytePositionRecoversToTheLastWholeBatch(boolean lastBatchInOwnSegment) throws IOException {
        WrittenLog log = writeLog(lastBatchInOwnSegment);

        for (int kept = 0; kept <= log.lastBatchBytes(); kept++) {
            boolean whole = kept == log.lastBatchBytes();
            Path dataDir = crashCopy(log, "cut-" + kept, false);
            truncate(lastLogIn(dataDir, log), log.lastBatchPosition() + kept);

            List<SimpleRecord> expected = new ArrayList<>(log.beforeLast());
            if (whole) {
                expected.addAll(log.last());
            }
            long expectedEnd = whole ? log.fullLogEndOffset() : log.lastBaseOffset();
            String cut = "with " + kept + " of the last batch's " + log.lastBatchBytes() + " bytes kept";

            try (LogEngine engine = LogEngine.open(config(dataDir))) {
                assertEquals(PartitionState.ONLINE, engine.describePartition(TOPIC, 0).state(),
                        "a torn tail beyond the recovery point is repaired, not fatal, " + cut);
                assertEquals(expectedEnd, engine.describePartition(TOPIC, 0).logEndOffset(),
                        "the log ends after the last whole batch " + cut);
                assertEquals(log.lastBatchPosition() + (whole ? kept : 0), Files.size(lastLogIn(dataDir, log)),
                        "the torn bytes are truncated from the file " + cut);
                var records = readAll(engine, TOPIC, 0);
                assertEquals(expected, contents(records), "every earlier batch is intact " + cut);
                assertEquals(LongStream.range(0, expectedEnd).boxed().toList(), offsets(records),
                        "offsets are unchanged " + cut);

                long next = engine.append(TOPIC, 0, batch(T0 + 500, "after-crash")).baseOffset();
                assertEquals(expectedEnd, next, "appending after recovery continues at the recovered end " + cut);
                var after = readAll(engine, TOPIC, 0);
                assertEquals("after-crash", EngineTestSupport.valueOf(after.get(after.size() - 1)),
                        "the record appended after recovery reads back " + cut);
            }
            deleteDirectory(dataDir);
        }
    }

    @Test
    void aCorruptByteInTheUnflushedTailIsTruncated() throws IOException {
        WrittenLog log = writeLog(false);
        // Every byte from the CRC field on is either the CRC itself or covered by it.
        int[] positions = {17, 20, 21, 30, 45, 57, 61, log.lastBatchBytes() / 2, log.lastBatchBytes() - 1};
        for (int position : positions) {
            Path dataDir = crashCopy(log, "flip-" + position, false);
            flipByte(lastLogIn(dataDir, log), log.lastBatchPosition() + position);

            try (LogEngine engine = LogEngine.open(config(dataDir))) {
                String where = "after flipping byte " + position + " of the last batch";
                assertEquals(PartitionState.ONLINE, engine.describePartition(TOPIC, 0).state(),
                        "an unflushed corrupt tail does not take the partition offline " + where);
                assertEquals(log.lastBaseOffset(), engine.describePartition(TOPIC, 0).logEndOffset(),
                        "the corrupt last batch is dropped " + where);
                assertEquals(log.beforeLast(), contents(readAll(engine, TOPIC, 0)), "earlier batches are intact " + where);
                assertEquals(log.lastBaseOffset(), engine.append(TOPIC, 0, batch(T0, "x")).baseOffset(),
                        "appends continue where the valid log ends " + where);
            }
            deleteDirectory(dataDir);
        }
    }

    @Test
    void corruptionBelowTheRecoveryPointTakesOnlyThatPartitionOffline() throws IOException {
        Path dataDir = root.resolve("data");
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
            engine.createTopic("healthy", 1, Map.of());
            for (int i = 0; i < 20; i++) {
                engine.append(TOPIC, 0, sizedBatch(T0 + i, 100));
            }
            engine.append("healthy", 0, batch(T0, "fine"));
            assertTrue(engine.describePartition(TOPIC, 0).segmentCount() > 2, "precondition: several segments");
        }
        Map<String, Long> checkpoint = RecoveryPointCheckpoint.read(dataDir);
        assertEquals(20L, checkpoint.get(RecoveryPointCheckpoint.key(TOPIC, 0)),
                "precondition: a clean close checkpoints the recovery point at the log end");

        // A crash (no clean-shutdown marker) with the checkpoint kept: the segment holding the recovery point
        // is re-validated, and its first batch, acknowledged as durable, is now corrupt.
        Files.delete(dataDir.resolve(CLEAN_SHUTDOWN));
        List<Path> logs = logFiles(partitionDir(dataDir, TOPIC, 0));
        Path segmentWithRecoveryPoint = logs.get(logs.size() - 1);
        flipByte(segmentWithRecoveryPoint, 70);
        byte[] damaged = Files.readAllBytes(segmentWithRecoveryPoint);

        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            assertEquals(PartitionState.OFFLINE, engine.describeTopic(TOPIC).partitions().get(0).state(),
                    "durable data that fails validation takes its partition offline");
            assertEquals(List.of(TOPIC + "-0"), engine.offlinePartitions(), "only the damaged partition is offline");
            assertThrows(StorageException.class, () -> engine.append(TOPIC, 0, batch(T0, "refused")),
                    "an offline partition refuses appends");
            assertThrows(StorageException.class, () -> engine.read(TOPIC, 0, 0, 1000),
                    "an offline partition refuses reads");
            assertThrows(StorageException.class, () -> engine.offsetForTimestamp(TOPIC, 0, 0),
                    "an offline partition refuses time lookups");

            assertEquals(PartitionState.ONLINE, engine.describeTopic("healthy").partitions().get(0).state(),
                    "another topic in the same engine stays online");
            assertEquals(List.of("fine"), readAll(engine, "healthy", 0).stream().map(EngineTestSupport::valueOf).toList(),
                    "another topic's data reads back");
            assertEquals(1, engine.append("healthy", 0, batch(T0, "still")).baseOffset(), "another topic still appends");
        }
        assertArrayEquals(damaged, Files.readAllBytes(segmentWithRecoveryPoint),
                "the damaged segment is left exactly as found, for an operator to repair: nothing acknowledged is cut");

        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            assertEquals(PartitionState.OFFLINE, engine.describePartition(TOPIC, 0).state(),
                    "the partition stays offline across restarts until repaired: a restart must not drop durable data");
            assertEquals(PartitionState.ONLINE, engine.describePartition("healthy", 0).state(),
                    "the healthy topic is online after the restart");
        }
        assertArrayEquals(damaged, Files.readAllBytes(segmentWithRecoveryPoint),
                "a second restart does not cut the damaged segment either");
    }

    @Test
    void aTornMiddleSegmentDropsItsTailAndEveryLaterSegment() throws IOException {
        Path dataDir = root.resolve("data");
        int batchBytes = sizedBatch(T0, 100).sizeInBytes();
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
            for (int i = 0; i < 20; i++) {
                engine.append(TOPIC, 0, sizedBatch(T0 + i, 100));
            }
        }
        Files.delete(dataDir.resolve(CLEAN_SHUTDOWN));
        Files.delete(dataDir.resolve(RecoveryPointCheckpoint.FILE_NAME));
        List<Path> logs = logFiles(partitionDir(dataDir, TOPIC, 0));
        assertTrue(logs.size() >= 3, "precondition: at least three segments");
        Path middle = logs.get(1);
        long middleBase = Long.parseLong(middle.getFileName().toString().replace(".log", ""));
        long middleBatches = Files.size(middle) / batchBytes;
        truncate(middle, Files.size(middle) - 10);

        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            long expectedEnd = middleBase + middleBatches - 1;
            assertEquals(expectedEnd, engine.describePartition(TOPIC, 0).logEndOffset(),
                    "the log ends before the torn batch of the middle segment");
            assertEquals(2, engine.describePartition(TOPIC, 0).segmentCount(),
                    "segments after a torn one cannot follow on and are dropped");
            assertEquals(2, logFiles(partitionDir(dataDir, TOPIC, 0)).size(), "their files are deleted");
            assertEquals(LongStream.range(0, expectedEnd).boxed().toList(), offsets(readAll(engine, TOPIC, 0)),
                    "every offset before the tear is readable");
            assertEquals(expectedEnd, engine.append(TOPIC, 0, sizedBatch(T0, 100)).baseOffset(),
                    "appends continue at the recovered end");
        }
    }

    @Test
    void aCrashImageOfARunningEngineKeepsEveryAcknowledgedRecord() throws IOException {
        Path running = root.resolve("running");
        Path image = root.resolve("image");
        try (LogEngine engine = LogEngine.open(config(running))) {
            engine.createTopic(TOPIC, 2, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
            for (int i = 0; i < 25; i++) {
                engine.append(TOPIC, i % 2, sizedBatch(T0 + i, 100));
            }
            // Copying the files of a live engine is what a process crash leaves behind: no marker, stale checkpoint.
            copyDirectory(running, image);
        }
        assertTrue(Files.notExists(image.resolve(CLEAN_SHUTDOWN)), "precondition: the image is not a clean shutdown");

        try (LogEngine engine = LogEngine.open(config(image))) {
            assertEquals(13, engine.describePartition(TOPIC, 0).logEndOffset(), "every acknowledged record of partition 0");
            assertEquals(12, engine.describePartition(TOPIC, 1).logEndOffset(), "every acknowledged record of partition 1");
            assertEquals(LongStream.range(0, 13).boxed().toList(), offsets(readAll(engine, TOPIC, 0)),
                    "every offset of partition 0 reads back");
        }
    }

    @Test
    void recoveredSegmentsKeepTheirTimestampsAcrossALaterCleanRestart() throws IOException {
        Path dataDir = root.resolve("data");
        int batches = 20;
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
            for (int i = 0; i < batches; i++) {
                engine.append(TOPIC, 0, sizedBatch(T0 + 1000L * i, 100));
            }
        }
        Files.delete(dataDir.resolve(CLEAN_SHUTDOWN));
        Files.delete(dataDir.resolve(RecoveryPointCheckpoint.FILE_NAME));
        // First start recovers every segment (rebuilding their indexes); then it closes cleanly.
        LogEngine.open(config(dataDir)).close();

        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            for (int i = 0; i < batches; i++) {
                assertEquals(OptionalLong.of(i), engine.offsetForTimestamp(TOPIC, 0, T0 + 1000L * i),
                        "batch " + i + " is found by its timestamp after recovery and a clean restart");
            }
            int closedSegments = engine.describePartition(TOPIC, 0).segmentCount() - 1;
            assertTrue(closedSegments > 1, "precondition: several closed segments");
            // The records are from 2023: an hour of retention expires every closed segment by the system clock.
            engine.alterConfig(TOPIC, Map.of(TopicConfig.RETENTION_MS, "3600000"));
            assertEquals(closedSegments, engine.runRetention(),
                    "retention.ms sees the recovered segments' real maximum timestamps and deletes them all");
        }
    }
}
