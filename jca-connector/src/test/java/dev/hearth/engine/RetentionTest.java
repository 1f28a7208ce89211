package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.ALL_BYTES;
import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.logFiles;
import static dev.hearth.engine.EngineTestSupport.partitionDir;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static dev.hearth.engine.EngineTestSupport.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineTestSupport.ManualClock;
import dev.hearth.engine.log.LogEngine;

/**
 * Retention by size and by age: only whole closed segments go, oldest first; the active segment always
 * stays; the log start offset moves to the first remaining segment.
 *
 * <p>Every batch here is the same size, so each 1 KiB segment holds exactly {@link #perSegment} batches
 * (one record each) and segment boundaries are known: segment {@code s} holds offsets
 * {@code s * perSegment .. (s + 1) * perSegment - 1}.
 */
class RetentionTest {

    private static final String TOPIC = "retained";
    private static final int VALUE_BYTES = 100;
    private static final long HOUR_MS = 3_600_000;

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock(T0);
    private LogEngine engine;
    private int batchBytes;
    private int perSegment;

    @BeforeEach
    void open() {
        engine = LogEngine.open(config(dataDir), clock);
        batchBytes = sizedBatch(T0, VALUE_BYTES).sizeInBytes();
        perSegment = 1024 / batchBytes;
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private void create(String topic, int partitions, String retentionMs, String retentionBytes) {
        engine.createTopic(topic, partitions, Map.of(TopicConfig.SEGMENT_BYTES, "1024",
                TopicConfig.RETENTION_MS, retentionMs, TopicConfig.RETENTION_BYTES, retentionBytes));
    }

    private void appendBatches(String topic, int partition, int count, long timestamp) {
        for (int i = 0; i < count; i++) {
            engine.append(topic, partition, sizedBatch(timestamp, VALUE_BYTES));
        }
    }

    @Test
    void retentionBytesDeletesTheOldestWholeSegmentsUntilTheRestFits() {
        create(TOPIC, 1, "-1", Long.toString(2L * perSegment * batchBytes));
        // Four full segments plus an active one holding three batches.
        appendBatches(TOPIC, 0, 4 * perSegment + 3, clock.getAsLong());
        assertEquals(5, info().segmentCount(), "precondition: four closed segments and an active one");

        // Size is 4 full + 3 batches; dropping two full segments leaves 2 full + 3 >= retention.bytes, and
        // dropping a third would leave 1 full + 3 < retention.bytes.
        assertEquals(2, engine.runRetention(), "exactly the two oldest segments exceed retention.bytes");

        PartitionInfo after = info();
        assertEquals(3, after.segmentCount(), "two closed segments and the active one remain");
        assertEquals(2L * perSegment, after.logStartOffset(), "the log start offset is the first remaining segment's base");
        assertEquals(4L * perSegment + 3, after.logEndOffset(), "retention never changes the log end offset");
        assertEquals((2L * perSegment + 3) * batchBytes, after.sizeInBytes(), "whole segments were deleted, nothing else");
        assertEquals(3, logFiles(partitionDir(dataDir, TOPIC, 0)).size(), "deleted segments' files are gone");

        OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class,
                () -> engine.read(TOPIC, 0, after.logStartOffset() - 1, ALL_BYTES),
                "a deleted offset is out of range");
        assertEquals(after.logStartOffset(), e.logStartOffset(), "the exception tells where the log now starts");
        assertEquals(LongStream.range(2L * perSegment, 4L * perSegment + 3).boxed().toList(),
                EngineTestSupport.offsets(readAll(engine, TOPIC, 0)), "every remaining offset is readable");

        assertEquals(0, engine.runRetention(), "a second run finds nothing more to delete");
    }

    @Test
    void retentionNeverDeletesTheActiveSegment() {
        create(TOPIC, 1, "-1", "0");
        appendBatches(TOPIC, 0, 3 * perSegment + 2, clock.getAsLong());

        assertEquals(3, engine.runRetention(), "retention.bytes=0 deletes every closed segment");
        PartitionInfo after = info();
        assertEquals(1, after.segmentCount(), "the active segment stays, however small the limit");
        assertEquals(3L * perSegment, after.logStartOffset(), "the log starts at the active segment");
        assertEquals(2L * batchBytes, after.sizeInBytes(), "the active segment keeps its batches");
        assertEquals(0, engine.runRetention(), "the active segment alone is never deleted");

        AppendResult next = engine.append(TOPIC, 0, sizedBatch(T0, VALUE_BYTES));
        assertEquals(3L * perSegment + 2, next.baseOffset(), "appends continue at the log end offset");
        assertEquals(3L * perSegment, next.logStartOffset(), "the append result reports the new log start offset");
    }

    @Test
    void retentionMsDeletesSegmentsWhoseNewestRecordIsOlder() {
        create(TOPIC, 1, Long.toString(HOUR_MS), "-1");
        long now = clock.getAsLong();
        // Two segments of records stamped two hours ago (CreateTime), then recent ones.
        appendBatches(TOPIC, 0, 2 * perSegment, now - 2 * HOUR_MS);
        appendBatches(TOPIC, 0, 2 * perSegment + 1, now);
        assertEquals(5, info().segmentCount(), "precondition: two old segments, two recent ones, an active one");

        assertEquals(2, engine.runRetention(), "only the two segments older than retention.ms go");
        assertEquals(2L * perSegment, info().logStartOffset(), "the log now starts at the first recent segment");

        clock.advance(HOUR_MS);
        assertEquals(0, engine.runRetention(), "a segment exactly retention.ms old is kept");
        clock.advance(1);
        assertEquals(2, engine.runRetention(), "once older than retention.ms, the recent closed segments go too");
        PartitionInfo after = info();
        assertEquals(1, after.segmentCount(), "the active segment stays even though its records are expired");
        assertEquals(4L * perSegment, after.logStartOffset(), "the log starts at the active segment");
        assertEquals(4L * perSegment + 1, after.logEndOffset(), "retention never changes the log end offset");
    }

    @Test
    void aSegmentIsKeptWhileAnyOfItsRecordsIsYoungEnough() {
        create(TOPIC, 1, Long.toString(HOUR_MS), "-1");
        long now = clock.getAsLong();
        appendBatches(TOPIC, 0, perSegment - 1, now - 2 * HOUR_MS);
        appendBatches(TOPIC, 0, 1, now);  // the last batch of the first segment is recent
        appendBatches(TOPIC, 0, perSegment + 1, now - 2 * HOUR_MS);

        assertEquals(0, engine.runRetention(),
                "the oldest segment holds a recent record, so neither it nor a later one is deleted");
        assertEquals(0, info().logStartOffset(), "nothing was deleted");
    }

    @Test
    void infiniteRetentionKeepsEverything() {
        create(TOPIC, 1, "-1", "-1");
        appendBatches(TOPIC, 0, 3 * perSegment, 0);
        clock.advance(1000 * HOUR_MS);

        assertEquals(0, engine.runRetention(), "retention.ms=-1 and retention.bytes=-1 delete nothing");
        assertEquals(0, info().logStartOffset(), "the log still starts at 0");
    }

    @Test
    void runRetentionReturnsTheCountOverAllPartitionsAndTopics() {
        create(TOPIC, 2, "-1", "0");
        create("other", 1, "-1", "0");
        appendBatches(TOPIC, 0, 2 * perSegment + 1, T0);
        appendBatches(TOPIC, 1, perSegment + 1, T0);
        appendBatches("other", 0, 3 * perSegment + 1, T0);

        assertEquals(2 + 1 + 3, engine.runRetention(), "the count adds up every partition's deleted segments");
    }

    @Test
    void retentionConfigAlteredAtRuntimeApplies() {
        create(TOPIC, 1, "-1", "-1");
        appendBatches(TOPIC, 0, 2 * perSegment + 1, T0);
        assertEquals(0, engine.runRetention(), "nothing to delete under infinite retention");

        engine.alterConfig(TOPIC, Map.of(TopicConfig.RETENTION_BYTES, "0"));
        assertEquals(2, engine.runRetention(), "the altered retention.bytes applies to existing partitions");
    }

    @Test
    void compactedTopicsAreNotDeletedByRetention() {
        engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024", TopicConfig.RETENTION_BYTES, "0",
                TopicConfig.CLEANUP_POLICY, "compact"));
        appendBatches(TOPIC, 0, 2 * perSegment + 1, T0);

        assertEquals(0, engine.runRetention(), "cleanup.policy=compact is not subject to delete retention");
    }

    private PartitionInfo info() {
        return engine.describePartition(TOPIC, 0);
    }
}
