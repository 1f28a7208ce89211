package dev.hearth.engine.internal;

import static dev.hearth.engine.EngineTestSupport.ALL_BYTES;
import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.filesEndingWith;
import static dev.hearth.engine.EngineTestSupport.partitionDir;
import static dev.hearth.engine.EngineTestSupport.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.EngineTestSupport.ManualClock;
import dev.hearth.engine.FetchResult;
import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.log.LogEngine;

/**
 * A reader that holds a view of a segment when retention deletes it can still finish: the files are only
 * renamed at deletion, and closed and removed once {@code fileDeleteDelayMs} has passed.
 */
class SegmentDeleterTest {

    private static final String TOPIC = "read-while-deleted";
    private static final long DELETE_DELAY_MS = 1000;
    private static final String FIRST_SEGMENT = "00000000000000000000";

    @TempDir
    Path dataDir;

    @Test
    void aReaderFinishesItsViewOfADeletedSegmentAndTheFilesGoAfterTheDelay() {
        ManualClock clock = new ManualClock(T0);
        EngineConfig config = EngineConfig.defaults(dataDir).withFileDeleteDelayMs(DELETE_DELAY_MS);
        try (LogEngine engine = LogEngine.open(config, clock)) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024", TopicConfig.RETENTION_BYTES, "0"));
            for (int i = 0; i < 15; i++) {
                engine.append(TOPIC, 0, sizedBatch(T0 + i, 100));
            }
            Path dir = partitionDir(dataDir, TOPIC, 0);

            FetchResult view = engine.read(TOPIC, 0, 0, ALL_BYTES);
            Iterator<? extends RecordBatch> reader = view.records().batches().iterator();
            List<Long> seen = new ArrayList<>();
            seen.add(reader.next().baseOffset());

            int deleted = engine.runRetention();
            assertTrue(deleted >= 1, "retention.bytes=0 deletes the oldest segment, which the reader is reading");
            long logStart = engine.describePartition(TOPIC, 0).logStartOffset();
            assertTrue(logStart > 0, "the log start offset moved past the segment being read");
            assertFalse(Files.exists(dir.resolve(FIRST_SEGMENT + ".log")), "the deleted segment is gone from the log");
            assertTrue(Files.exists(dir.resolve(FIRST_SEGMENT + ".log.deleted")),
                    "its file is only renamed while readers may still hold views");

            reader.forEachRemaining(batch -> {
                batch.ensureValid();
                seen.add(batch.baseOffset());
            });
            long firstSegmentBatches = seen.size();
            assertEquals(java.util.stream.LongStream.range(0, firstSegmentBatches).boxed().toList(), seen,
                    "the reader iterates every batch of its view after the segment was deleted");
            assertTrue(firstSegmentBatches > 1, "the view held more than the batch read before the deletion");

            clock.advance(DELETE_DELAY_MS - 1);
            assertEquals(0, engine.runRetention(), "nothing more to delete");
            assertFalse(filesEndingWith(dir, ".deleted").isEmpty(), "before the delay the renamed files stay");

            clock.advance(1);
            assertEquals(0, engine.runRetention(), "the delayed removal does not count as a new deletion");
            assertEquals(List.of(), filesEndingWith(dir, ".deleted"),
                    "once the delay has passed, the log and both index files are removed from disk");
        }
    }

    @Test
    void renamedFilesLeftByACrashAreRemovedAtTheNextStart() {
        ManualClock clock = new ManualClock(T0);
        EngineConfig config = EngineConfig.defaults(dataDir).withFileDeleteDelayMs(DELETE_DELAY_MS);
        Path dir = partitionDir(dataDir, TOPIC, 0);
        try (LogEngine engine = LogEngine.open(config, clock)) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024", TopicConfig.RETENTION_BYTES, "0"));
            for (int i = 0; i < 15; i++) {
                engine.append(TOPIC, 0, sizedBatch(T0 + i, 100));
            }
            assertTrue(engine.runRetention() >= 1, "retention deletes at least one segment");
            assertFalse(filesEndingWith(dir, ".deleted").isEmpty(), "precondition: renamed files await removal");
        }
        // A clean close removes pending files at once; recreate a leftover as a crash would leave it.
        assertEquals(List.of(), filesEndingWith(dir, ".deleted"), "a clean close removes files pending deletion");
        try {
            Files.write(dir.resolve("00000000000000000000.log.deleted"), new byte[] {1, 2, 3});
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (LogEngine engine = LogEngine.open(config, clock)) {
            assertEquals(List.of(), filesEndingWith(dir, ".deleted"), "leftover renamed files are removed at start");
            assertTrue(engine.describePartition(TOPIC, 0).logStartOffset() > 0, "the deleted segment stays deleted");
        }
    }
}
