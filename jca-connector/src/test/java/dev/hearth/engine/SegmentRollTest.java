package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.batches;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.logFiles;
import static dev.hearth.engine.EngineTestSupport.offsets;
import static dev.hearth.engine.EngineTestSupport.partitionDir;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static dev.hearth.engine.EngineTestSupport.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

/** Rolling the active segment by size (segment.bytes) and by age (segment.ms), and reading across rolls. */
class SegmentRollTest {

    private static final String TOPIC = "rolls";

    @TempDir
    Path dataDir;

    @Test
    void smallSegmentBytesRollsIntoManySegmentsAndEveryOffsetStaysReadable() throws IOException {
        int batchCount = 60;
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
            for (int i = 0; i < batchCount; i++) {
                // Two records per batch, so offsets inside a batch are exercised too.
                engine.append(TOPIC, 0, batch(T0 + i, "value-" + i + "-a", "value-" + i + "-b"));
            }

            PartitionInfo info = engine.describePartition(TOPIC, 0);
            assertTrue(info.segmentCount() > 5, "120 records of ~80-byte batches must fill several 1 KiB segments, got "
                    + info.segmentCount());
            assertEquals(2L * batchCount, info.logEndOffset(), "every record got an offset");
            for (Path log : logFiles(partitionDir(dataDir, TOPIC, 0))) {
                assertTrue(Files.size(log) <= 1024, log + " must not grow beyond segment.bytes");
            }
            assertEquals(info.segmentCount(), logFiles(partitionDir(dataDir, TOPIC, 0)).size(),
                    "one .log file per segment");

            assertEveryOffsetReadable(engine, info.logEndOffset());
            List<String> values = readAll(engine, TOPIC, 0).stream().map(EngineTestSupport::valueOf).toList();
            assertEquals("value-0-a", values.get(0), "the first record is in the first segment");
            assertEquals("value-59-b", values.get(values.size() - 1), "the last record is in the active segment");
        }

        try (LogEngine reopened = LogEngine.open(config(dataDir))) {
            assertEquals(2L * batchCount, reopened.describePartition(TOPIC, 0).logEndOffset(),
                    "the log end offset survives a restart of a multi-segment log");
            assertEveryOffsetReadable(reopened, 2L * batchCount);
        }
    }

    @Test
    void aBatchThatDoesNotFitRollsBeforeItIsAppended() {
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
            int batchSize = sizedBatch(T0, 400).sizeInBytes();
            engine.append(TOPIC, 0, sizedBatch(T0, 400));
            engine.append(TOPIC, 0, sizedBatch(T0, 400));
            assertEquals(1, engine.describePartition(TOPIC, 0).segmentCount(),
                    "two batches of " + batchSize + " bytes fit in 1024 bytes");
            engine.append(TOPIC, 0, sizedBatch(T0, 400));
            assertEquals(2, engine.describePartition(TOPIC, 0).segmentCount(),
                    "a third batch would exceed segment.bytes, so the segment rolls first");
            assertEquals(3 * batchSize, engine.describePartition(TOPIC, 0).sizeInBytes(),
                    "rolling adds no bytes of its own");
        }
    }

    @Test
    void segmentMsRollsTheActiveSegmentByTheInjectedClock() {
        EngineTestSupport.ManualClock clock = new EngineTestSupport.ManualClock(T0);
        try (LogEngine engine = LogEngine.open(config(dataDir), clock)) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_MS, "60000"));
            engine.append(TOPIC, 0, batch(T0, "a", "b"));

            clock.advance(59_999);
            engine.append(TOPIC, 0, batch(T0, "c"));
            assertEquals(1, engine.describePartition(TOPIC, 0).segmentCount(),
                    "a segment younger than segment.ms is not rolled");

            clock.advance(1);
            AppendResult rolled = engine.append(TOPIC, 0, batch(T0, "d"));
            assertEquals(2, engine.describePartition(TOPIC, 0).segmentCount(),
                    "an append once the active segment is segment.ms old goes to a new segment");
            assertEquals(3, rolled.baseOffset(), "offsets continue across an age roll");
            assertEquals(List.of("00000000000000000000.log", "00000000000000000003.log"),
                    logFiles(partitionDir(dataDir, TOPIC, 0)).stream().map(p -> p.getFileName().toString()).toList(),
                    "the new segment is named after its base offset, the log end offset at the roll");

            clock.advance(10 * 60_000);
            assertEquals(2, engine.describePartition(TOPIC, 0).segmentCount(),
                    "time alone never rolls: only an append does");
            engine.append(TOPIC, 0, batch(T0, "e"));
            assertEquals(3, engine.describePartition(TOPIC, 0).segmentCount(),
                    "the next append after another segment.ms rolls again");
            assertEquals(LongStream.range(0, 5).boxed().toList(), offsets(readAll(engine, TOPIC, 0)),
                    "every offset is readable across age rolls");
            assertEquals(List.of("a", "b", "c", "d", "e"),
                    readAll(engine, TOPIC, 0).stream().map(EngineTestSupport::valueOf).toList(),
                    "records come back in append order across segments");
        }
    }

    private static void assertEveryOffsetReadable(LogEngine engine, long logEndOffset) {
        for (long offset = 0; offset < logEndOffset; offset++) {
            RecordBatch first = batches(engine.read(TOPIC, 0, offset, 1).records()).get(0);
            long requested = offset;
            assertTrue(first.baseOffset() <= offset && offset <= first.lastOffset(),
                    () -> "a read at " + requested + " must return the batch holding it, not "
                            + first.baseOffset() + ".." + first.lastOffset());
        }
    }
}
