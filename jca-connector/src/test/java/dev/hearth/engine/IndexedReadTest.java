package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.batches;
import static dev.hearth.engine.EngineTestSupport.filesEndingWith;
import static dev.hearth.engine.EngineTestSupport.partitionDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.hearth.engine.log.LogEngine;

/**
 * Reads and time lookups through the sparse offset and time indexes of a multi-segment log: with entries
 * every batch, every few batches, or none, from memory and after the indexes are loaded (or rebuilt) from disk.
 */
class IndexedReadTest {

    private static final String TOPIC = "indexed";
    private static final int BATCHES = 80;

    @TempDir
    Path dataDir;

    private EngineConfig config(int indexIntervalBytes) {
        return new EngineConfig(dataDir, FlushPolicy.EVERY_APPEND, TopicConfig.DEFAULTS, indexIntervalBytes, 0, 30_000);
    }

    /** Appends BATCHES batches of 3 records; batch i holds timestamps T0 + 10i .. T0 + 10i + 2. */
    private static void fill(LogEngine engine) {
        engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
        for (int i = 0; i < BATCHES; i++) {
            long ts = T0 + 10L * i;
            engine.append(TOPIC, 0, batch(EngineTestSupport.record(ts, "k", "v" + i + "a"),
                    EngineTestSupport.record(ts + 1, "k", "v" + i + "b"),
                    EngineTestSupport.record(ts + 2, "k", "v" + i + "c")));
        }
    }

    @ParameterizedTest(name = "indexIntervalBytes={0}")
    @ValueSource(ints = {1, 100, 300, 4096})
    void everyOffsetOfAMultiSegmentLogIsReadableWhateverTheIndexInterval(int indexIntervalBytes) {
        try (LogEngine engine = LogEngine.open(config(indexIntervalBytes))) {
            fill(engine);
            assertTrue(engine.describePartition(TOPIC, 0).segmentCount() > 3, "the log must span several segments");
            assertEveryOffsetReadable(engine);
            assertEveryTimestampFound(engine);
        }
        try (LogEngine reopened = LogEngine.open(config(indexIntervalBytes))) {
            assertEveryOffsetReadable(reopened);
            assertEveryTimestampFound(reopened);
        }
    }

    @Test
    void aSmallIndexIntervalWritesIndexEntries() throws IOException {
        try (LogEngine engine = LogEngine.open(config(1))) {
            fill(engine);
        }
        List<Path> indexes = filesEndingWith(partitionDir(dataDir, TOPIC, 0), ".index");
        List<Path> timeIndexes = filesEndingWith(partitionDir(dataDir, TOPIC, 0), ".timeindex");
        assertTrue(indexes.size() > 3, "one offset index per segment");
        for (Path index : indexes) {
            // Every batch after the first of a segment gets an 8-byte entry with an interval of 1 byte.
            assertTrue(Files.size(index) > 0 && Files.size(index) % 8 == 0,
                    index + " must hold whole 8-byte entries, not " + Files.size(index) + " bytes");
        }
        for (Path index : timeIndexes) {
            assertTrue(Files.size(index) > 0 && Files.size(index) % 12 == 0,
                    index + " must hold whole 12-byte entries, not " + Files.size(index) + " bytes");
        }
    }

    @Test
    void tornIndexFilesAreRebuiltOnOpen() throws IOException {
        try (LogEngine engine = LogEngine.open(config(1))) {
            fill(engine);
        }
        Path dir = partitionDir(dataDir, TOPIC, 0);
        int torn = 0;
        for (Path index : filesEndingWith(dir, ".index")) {
            if (Files.size(index) >= 8) {
                EngineTestSupport.truncate(index, Files.size(index) - 3);
                torn++;
            }
        }
        for (Path index : filesEndingWith(dir, ".timeindex")) {
            if (Files.size(index) >= 12) {
                EngineTestSupport.truncate(index, Files.size(index) - 5);
                torn++;
            }
        }
        assertTrue(torn > 6, "the test must tear the indexes of several segments");

        try (LogEngine reopened = LogEngine.open(config(1))) {
            assertEquals(3L * BATCHES, reopened.describePartition(TOPIC, 0).logEndOffset(),
                    "torn indexes do not change the log end offset");
            assertEveryOffsetReadable(reopened);
            assertEveryTimestampFound(reopened);
        }
        for (Path index : filesEndingWith(dir, ".index")) {
            assertEquals(0, Files.size(index) % 8, index + " must have been rebuilt to whole entries");
        }
    }

    private static void assertEveryOffsetReadable(LogEngine engine) {
        for (long offset = 0; offset < 3L * BATCHES; offset++) {
            FetchResult result = engine.read(TOPIC, 0, offset, 1);
            RecordBatch first = batches(result.records()).get(0);
            long requested = offset;
            assertTrue(first.baseOffset() <= offset && offset <= first.lastOffset(),
                    () -> "a read at " + requested + " must start with the batch holding it, not "
                            + first.baseOffset() + ".." + first.lastOffset());
            Record record = findRecord(first, offset);
            long batchIndex = offset / 3;
            assertEquals("v" + batchIndex + "abc".charAt((int) (offset % 3)), EngineTestSupport.valueOf(record),
                    "offset " + offset + " must hold the record appended at that position");
        }
    }

    private static void assertEveryTimestampFound(LogEngine engine) {
        for (int i = 0; i < BATCHES; i++) {
            long ts = T0 + 10L * i;
            assertEquals(OptionalLong.of(3L * i), engine.offsetForTimestamp(TOPIC, 0, ts),
                    "the first record stamped " + ts + " is the first of batch " + i);
            assertEquals(OptionalLong.of(3L * i + 2), engine.offsetForTimestamp(TOPIC, 0, ts + 2),
                    "the first record at or after " + (ts + 2) + " is the last of batch " + i);
            assertEquals(OptionalLong.of(3L * i), engine.offsetForTimestamp(TOPIC, 0, ts - 5),
                    "a time between two batches finds the first record of the later one");
        }
    }

    private static Record findRecord(RecordBatch batch, long offset) {
        for (Record record : batch) {
            if (record.offset() == offset) {
                return record;
            }
        }
        throw new AssertionError("batch " + batch.baseOffset() + ".." + batch.lastOffset() + " lacks offset " + offset);
    }
}
