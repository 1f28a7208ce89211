package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.ALL_BYTES;
import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.batches;
import static dev.hearth.engine.EngineTestSupport.concat;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.contents;
import static dev.hearth.engine.EngineTestSupport.header;
import static dev.hearth.engine.EngineTestSupport.offsets;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static dev.hearth.engine.EngineTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

class LogEngineAppendReadTest {

    private static final String TOPIC = "events";

    @TempDir
    Path dataDir;

    private LogEngine engine;

    @BeforeEach
    void open() {
        engine = LogEngine.open(config(dataDir));
        engine.createTopic(TOPIC, 2, Map.of());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static List<SimpleRecord> first() {
        return List.of(
                record(T0, "k1", "v1", header("h1", "a"), header("h2", "b")),
                record(T0 + 5, "k2", "v2"),
                record(T0 - 3, null, "no key", header("trace", "x")));
    }

    private static List<SimpleRecord> second() {
        return List.of(record(T0 + 10, "k3", null), record(T0 + 11, "k4", ""));
    }

    @Test
    void appendedRecordsReadBackIdenticalWithConsecutiveOffsets() {
        AppendResult first = engine.append(TOPIC, 0, batch(first().toArray(SimpleRecord[]::new)));
        AppendResult second = engine.append(TOPIC, 0, batch(second().toArray(SimpleRecord[]::new)));

        assertAll(
                () -> assertEquals(0, first.baseOffset(), "the first append of an empty partition starts at offset 0"),
                () -> assertEquals(2, first.lastOffset(), "three records take offsets 0..2"),
                () -> assertEquals(-1, first.logAppendTime(), "a CreateTime topic reports no log append time"),
                () -> assertEquals(3, second.baseOffset(), "the second append continues right after the first"),
                () -> assertEquals(4, second.lastOffset(), "two more records take offsets 3..4"));

        List<SimpleRecord> expected = new ArrayList<>(first());
        expected.addAll(second());
        var read = readAll(engine, TOPIC, 0);
        assertEquals(expected, contents(read), "keys, values, headers and timestamps must come back as appended");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), offsets(read), "offsets must be consecutive across appends");
        assertEquals(5, engine.describePartition(TOPIC, 0).logEndOffset(), "LEO is the offset after the last record");
    }

    @Test
    void severalBatchesInOneRequestGetConsecutiveOffsets() {
        AppendResult result = engine.append(TOPIC, 0, concat(batch(T0, "a", "b"), batch(T0, "c"), batch(T0, "d", "e", "f")));

        assertEquals(0, result.baseOffset(), "the request's first record gets the log end offset");
        assertEquals(5, result.lastOffset(), "six records in three batches take offsets 0..5");
        List<RecordBatch> stored = batches(engine.read(TOPIC, 0, 0, ALL_BYTES).records());
        assertEquals(List.of(0L, 2L, 3L), stored.stream().map(RecordBatch::baseOffset).toList(),
                "batches are stored as sent, each with its own base offset");
        assertEquals(List.of(1L, 2L, 5L), stored.stream().map(RecordBatch::lastOffset).toList(),
                "each stored batch keeps its record count");
        stored.forEach(RecordBatch::ensureValid);
    }

    @Test
    void readFromAMiddleOffsetReturnsTheBatchContainingIt() {
        engine.append(TOPIC, 0, batch(T0, "a", "b", "c"));
        engine.append(TOPIC, 0, batch(T0, "d", "e"));
        engine.append(TOPIC, 0, batch(T0, "f"));

        for (long offset = 0; offset < 6; offset++) {
            FetchResult result = engine.read(TOPIC, 0, offset, 1);
            RecordBatch first = batches(result.records()).get(0);
            long requested = offset;
            assertTrue(first.baseOffset() <= offset && offset <= first.lastOffset(),
                    () -> "a read at " + requested + " must start with the batch holding it, not "
                            + first.baseOffset() + ".." + first.lastOffset());
            assertEquals(6, result.logEndOffset(), "the fetch reports the log end offset");
            assertEquals(0, result.logStartOffset(), "the fetch reports the log start offset");
            assertEquals(6, result.highWatermark(), "a single-replica log is readable up to its end");
        }
        assertEquals(1, batches(engine.read(TOPIC, 0, 4, 1).records()).size(),
                "a read smaller than one batch still returns exactly that whole batch");
    }

    @Test
    void readAtTheLogEndIsEmpty() {
        assertEquals(0, engine.read(TOPIC, 0, 0, ALL_BYTES).records().sizeInBytes(),
                "reading an empty partition at offset 0 (its end) returns no bytes");
        engine.append(TOPIC, 0, batch(T0, "a", "b"));

        FetchResult atEnd = engine.read(TOPIC, 0, 2, ALL_BYTES);
        assertEquals(0, atEnd.records().sizeInBytes(), "reading at the log end offset returns no bytes");
        assertEquals(2, atEnd.logEndOffset(), "an empty read still reports the log end offset");
    }

    @Test
    void readOutsideTheLogThrowsWithBothBounds() {
        engine.append(TOPIC, 0, batch(T0, "a", "b", "c"));

        OffsetOutOfRangeException below = assertThrows(OffsetOutOfRangeException.class,
                () -> engine.read(TOPIC, 0, -1, ALL_BYTES), "an offset below the log start offset is out of range");
        OffsetOutOfRangeException beyond = assertThrows(OffsetOutOfRangeException.class,
                () -> engine.read(TOPIC, 0, 4, ALL_BYTES), "an offset beyond the log end offset is out of range");

        for (OffsetOutOfRangeException e : List.of(below, beyond)) {
            assertEquals(0, e.logStartOffset(), "the exception carries the log start offset so callers can reset");
            assertEquals(3, e.logEndOffset(), "the exception carries the log end offset so callers can reset");
        }
        assertEquals(-1, below.requestedOffset(), "the exception names the offset asked for");
        assertEquals(4, beyond.requestedOffset(), "the exception names the offset asked for");
    }

    @Test
    void partitionsHaveIndependentOffsets() {
        engine.append(TOPIC, 0, batch(T0, "a", "b", "c"));
        AppendResult other = engine.append(TOPIC, 1, batch(T0, "x"));

        assertEquals(0, other.baseOffset(), "each partition numbers its records from 0");
        assertEquals(List.of("x"), readAll(engine, TOPIC, 1).stream().map(EngineTestSupport::valueOf).toList(),
                "a partition holds only what was appended to it");
        assertThrows(UnknownTopicOrPartitionException.class, () -> engine.append(TOPIC, 2, batch(T0, "y")),
                "a partition beyond the topic's count does not exist");
    }

    @Test
    void recordsSurviveACleanRestart() {
        engine.append(TOPIC, 0, batch(first().toArray(SimpleRecord[]::new)));
        engine.append(TOPIC, 0, batch(second().toArray(SimpleRecord[]::new)));
        engine.close();

        engine = LogEngine.open(config(dataDir));
        List<SimpleRecord> expected = new ArrayList<>(first());
        expected.addAll(second());
        assertEquals(expected, contents(readAll(engine, TOPIC, 0)), "records must survive a clean restart unchanged");
        assertEquals(5, engine.append(TOPIC, 0, batch(T0, "after")).baseOffset(),
                "appends after a restart continue at the old log end offset");
        assertEquals(LongStream.range(0, 6).boxed().toList(), offsets(readAll(engine, TOPIC, 0)),
                "offsets stay consecutive across the restart");
    }
}
