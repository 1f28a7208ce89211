package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.record;
import static dev.hearth.engine.EngineTestSupport.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

/** {@link LogEngine#offsetForTimestamp}: the first offset, in log order, whose timestamp is at or after a target. */
class TimeLookupTest {

    private static final String TOPIC = "times";

    @TempDir
    Path dataDir;

    private LogEngine engine;

    @BeforeEach
    void open() {
        engine = LogEngine.open(config(dataDir));
        engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private OptionalLong lookup(long timestamp) {
        return engine.offsetForTimestamp(TOPIC, 0, timestamp);
    }

    @Test
    void findsTheFirstOffsetAtOrAfterTheTarget() {
        engine.append(TOPIC, 0, batch(record(T0 + 1000, "k", "a"), record(T0 + 1001, "k", "b")));
        engine.append(TOPIC, 0, batch(record(T0 + 2000, "k", "c"), record(T0 + 2001, "k", "d")));
        engine.append(TOPIC, 0, batch(record(T0 + 3000, "k", "e")));

        assertEquals(OptionalLong.of(0), lookup(0), "a target older than every record finds the first offset");
        assertEquals(OptionalLong.of(0), lookup(T0 + 1000), "an exact timestamp finds its record");
        assertEquals(OptionalLong.of(1), lookup(T0 + 1001), "an exact timestamp inside a batch finds that record");
        assertEquals(OptionalLong.of(2), lookup(T0 + 1500), "a target between batches finds the later batch's first record");
        assertEquals(OptionalLong.of(3), lookup(T0 + 2001), "the second record of a batch is found by its own timestamp");
        assertEquals(OptionalLong.of(4), lookup(T0 + 3000), "the last record is found by its timestamp");
        assertEquals(OptionalLong.empty(), lookup(T0 + 3001), "no offset when every record is older than the target");
    }

    @Test
    void emptyWhenThePartitionIsEmptyOrEveryRecordIsOlder() {
        assertEquals(OptionalLong.empty(), lookup(0), "an empty partition has no offset for any time");
        engine.append(TOPIC, 0, batch(T0, "a", "b"));
        assertEquals(OptionalLong.empty(), lookup(T0 + 1), "every record is older than the target");
        assertEquals(OptionalLong.empty(), lookup(Long.MAX_VALUE), "nothing is at or after the end of time");
    }

    @Test
    void searchesAcrossSegments() {
        int batches = 40;
        for (int i = 0; i < batches; i++) {
            engine.append(TOPIC, 0, sizedBatch(T0 + 1000L * i, 100));
        }
        assertTrue(engine.describePartition(TOPIC, 0).segmentCount() > 4, "the log must span several segments");

        for (int i = 0; i < batches; i++) {
            assertEquals(OptionalLong.of(i), lookup(T0 + 1000L * i), "batch " + i + " is found by its own timestamp");
            assertEquals(OptionalLong.of(i), lookup(T0 + 1000L * i - 999),
                    "a time just after batch " + (i - 1) + " finds batch " + i);
        }
        assertEquals(OptionalLong.empty(), lookup(T0 + 1000L * batches), "nothing after the newest record");
    }

    @Test
    void outOfOrderTimestampsInsideABatchFindTheFirstQualifyingRecordInOffsetOrder() {
        engine.append(TOPIC, 0, batch(record(T0 + 100, "k", "a"), record(T0 + 300, "k", "b"),
                record(T0 + 200, "k", "c"), record(T0 + 400, "k", "d")));

        assertEquals(OptionalLong.of(1), lookup(T0 + 150), "offset 1 (300) is the first at or after 150");
        assertEquals(OptionalLong.of(1), lookup(T0 + 200),
                "offset 1 (300) comes before offset 2 (200) in the log, so it is found first");
        assertEquals(OptionalLong.of(3), lookup(T0 + 301), "only offset 3 (400) is at or after 301");
    }

    @Test
    void outOfOrderTimestampsAcrossBatchesAndSegments() {
        // Offsets 0..9 are recent, then 10..29 carry older timestamps, then 30..39 the newest.
        for (int i = 0; i < 10; i++) {
            engine.append(TOPIC, 0, sizedBatch(T0 + 50_000 + i, 100));
        }
        for (int i = 0; i < 20; i++) {
            engine.append(TOPIC, 0, sizedBatch(T0 + i, 100));
        }
        for (int i = 0; i < 10; i++) {
            engine.append(TOPIC, 0, sizedBatch(T0 + 90_000 + i, 100));
        }
        assertTrue(engine.describePartition(TOPIC, 0).segmentCount() > 4, "the log must span several segments");

        assertEquals(OptionalLong.of(0), lookup(T0 + 5),
                "the first record in log order at or after the target wins, although later offsets are closer in time");
        assertEquals(OptionalLong.of(0), lookup(T0 + 50_000), "the recent head is found by its own time");
        assertEquals(OptionalLong.of(9), lookup(T0 + 50_009), "the last of the recent head");
        assertEquals(OptionalLong.of(30), lookup(T0 + 50_010),
                "past the head's newest, the old middle is skipped and the newest tail is found");
        assertEquals(OptionalLong.of(35), lookup(T0 + 90_005), "inside the newest tail");
        assertEquals(OptionalLong.empty(), lookup(T0 + 90_010), "nothing is newer than the newest record");
    }

    @Test
    void lookupsSurviveACleanRestart() {
        for (int i = 0; i < 30; i++) {
            engine.append(TOPIC, 0, sizedBatch(T0 + 1000L * i, 100));
        }
        engine.close();
        engine = LogEngine.open(config(dataDir));

        for (int i = 0; i < 30; i++) {
            assertEquals(OptionalLong.of(i), lookup(T0 + 1000L * i - 500),
                    "after a restart, batch " + i + " is still found from the time indexes on disk");
        }
        assertEquals(OptionalLong.empty(), lookup(T0 + 30_000), "nothing after the newest record after a restart");
    }
}
