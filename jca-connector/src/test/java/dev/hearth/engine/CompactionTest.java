package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.ALL_BYTES;
import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.batches;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.filesEndingWith;
import static dev.hearth.engine.EngineTestSupport.logFiles;
import static dev.hearth.engine.EngineTestSupport.offsets;
import static dev.hearth.engine.EngineTestSupport.partitionDir;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static dev.hearth.engine.EngineTestSupport.record;
import static dev.hearth.engine.EngineTestSupport.valueOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineTestSupport.ManualClock;
import dev.hearth.engine.log.LogEngine;

/**
 * Log compaction of {@code cleanup.policy=compact} topics: latest value per key, offsets kept, tombstones and
 * aborted transactions, crash safety of the segment swap, concurrent readers, and delete-policy topics left
 * alone. Segments are 1 KiB, so a few dozen small records spread over several closed segments.
 */
class CompactionTest {

    private static final String TOPIC = "changelog";
    private static final int KEYS = 5;

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock(T0);
    private LogEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void open(EngineConfig config) {
        engine = LogEngine.open(config, clock);
    }

    private void createCompacted(String topic, Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(Map.of(TopicConfig.CLEANUP_POLICY, "compact",
                TopicConfig.SEGMENT_BYTES, "1024", TopicConfig.RETENTION_MS, "-1"));
        overrides.putAll(extra);
        engine.createTopic(topic, 1, overrides);
    }

    /** Appends {@code count} one-record batches; record i has key k(i % KEYS) and value "v" + its offset. */
    private void appendVersions(String topic, int count) {
        for (int i = 0; i < count; i++) {
            long offset = engine.describePartition(topic, 0).logEndOffset();
            engine.append(topic, 0, batch(record(T0 + offset, "k" + offset % KEYS, "v" + offset + "-padding-to-fill-segments")));
        }
    }

    private long activeBaseOffset(String topic) {
        List<Path> logs = logFiles(partitionDir(dataDir, topic, 0));
        String name = logs.get(logs.size() - 1).getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".log".length()));
    }

    private static String keyOf(Record record) {
        byte[] key = new byte[record.key().remaining()];
        record.key().duplicate().get(key);
        return new String(key, StandardCharsets.UTF_8);
    }

    /** Records as offset → "key=value" (value "null" for a tombstone). */
    private static Map<Long, String> byOffset(List<Record> records) {
        Map<Long, String> map = new TreeMap<>();
        for (Record record : records) {
            map.put(record.offset(), keyOf(record) + "=" + (record.hasValue() ? valueOf(record) : "null"));
        }
        return map;
    }

    /** What compaction must leave: the active segment as is, and in closed segments the latest per key. */
    private static Map<Long, String> expectedAfterCompaction(Map<Long, String> before, long activeBase) {
        Map<String, Long> latest = new HashMap<>();
        before.forEach((offset, entry) -> {
            if (offset < activeBase) {
                latest.put(entry.substring(0, entry.indexOf('=')), offset);
            }
        });
        Map<Long, String> expected = new TreeMap<>();
        before.forEach((offset, entry) -> {
            if (offset >= activeBase || latest.get(entry.substring(0, entry.indexOf('='))).equals(offset)) {
                expected.put(offset, entry);
            }
        });
        return expected;
    }

    @Test
    void keepsTheLatestValuePerKeyWithItsOffsetAndLeavesTheActiveSegmentAlone() throws IOException {
        open(config(dataDir));
        createCompacted(TOPIC, Map.of());
        appendVersions(TOPIC, 40);
        long activeBase = activeBaseOffset(TOPIC);
        assertTrue(activeBase > 2 * KEYS, "precondition: several closed segments, got active base " + activeBase);
        Path activeLog = logFiles(partitionDir(dataDir, TOPIC, 0)).get(logFiles(partitionDir(dataDir, TOPIC, 0)).size() - 1);
        byte[] activeBefore = Files.readAllBytes(activeLog);
        int segmentsBefore = engine.describePartition(TOPIC, 0).segmentCount();
        Map<Long, String> before = byOffset(readAll(engine, TOPIC, 0));

        assertEquals(1, engine.runCompaction(), "the compacted topic's partition is cleaned");

        Map<Long, String> expected = expectedAfterCompaction(before, activeBase);
        Map<Long, String> after = byOffset(readAll(engine, TOPIC, 0));
        assertEquals(expected, after, "closed segments keep only the latest record per key, at its original offset");
        after.forEach((offset, entry) -> assertTrue(entry.contains("=v" + offset + "-"),
                "record at offset " + offset + " still carries the value written at that offset: " + entry));
        assertArrayEquals(activeBefore, Files.readAllBytes(activeLog), "the active segment is never rewritten");
        assertEquals(segmentsBefore, engine.describePartition(TOPIC, 0).segmentCount(),
                "one cleaned segment per input segment");
        assertTrue(engine.cleanerStats(TOPIC, 0).bytesRemoved() > 0, "stats count the bytes removed");

        long removed = 0;
        while (after.containsKey(removed)) {
            removed++;
        }
        long next = ((TreeMap<Long, String>) after).ceilingKey(removed);
        // As a consumer does: fetch, and if only emptied batches came back, fetch again from their end.
        Record first = null;
        long position = removed;
        for (int fetches = 0; first == null && fetches < 10; fetches++) {
            List<RecordBatch> fetched = batches(engine.read(TOPIC, 0, position, ALL_BYTES).records());
            assertFalse(fetched.isEmpty(), "a read from offset " + position + " below the log end returns a batch");
            for (RecordBatch batch : fetched) {
                for (Record record : batch) {
                    if (first == null && record.offset() >= removed) {
                        first = record;
                    }
                }
                position = batch.nextOffset();
            }
        }
        assertNotNull(first, "reading on from removed offset " + removed + " reaches a record");
        assertEquals(next, first.offset(), "a read from a removed offset starts at the next surviving record");
        // Every removed offset of the closed segments, read as a consumer would, leads to the next survivor.
        TreeMap<Long, String> survivors = (TreeMap<Long, String>) after;
        for (long gap = 0; gap < activeBase; gap++) {
            if (!survivors.containsKey(gap)) {
                assertEquals(survivors.ceilingKey(gap), firstRecordFrom(TOPIC, gap).offset(),
                        "reading from removed offset " + gap + " returns the next surviving record first");
            }
        }

        engine.close();
        engine = null;
        open(config(dataDir));
        assertEquals(expected, byOffset(readAll(engine, TOPIC, 0)), "the compacted log survives a restart as is");
        assertEquals(0, engine.runCompaction(), "nothing is dirty after a restart's re-read: no segment changes");
        assertEquals(expected, byOffset(readAll(engine, TOPIC, 0)), "a second pass changes nothing");
    }

    @Test
    void aSmallOffsetMapCompactsOverSeveralPasses() {
        open(config(dataDir).withCompaction(1, 3));
        createCompacted(TOPIC, Map.of(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, "0"));
        appendVersions(TOPIC, 40);
        long activeBase = activeBaseOffset(TOPIC);
        Map<Long, String> before = byOffset(readAll(engine, TOPIC, 0));

        engine.runCompaction();
        assertTrue(engine.cleanerStats(TOPIC, 0).firstDirtyOffset() < activeBase,
                "a map of three keys cannot cover the dirty records of five keys in one pass");
        for (int pass = 0; pass < 20 && engine.cleanerStats(TOPIC, 0).firstDirtyOffset() < activeBase; pass++) {
            engine.runCompaction();
        }
        assertEquals(expectedAfterCompaction(before, activeBase), byOffset(readAll(engine, TOPIC, 0)),
                "the passes together reach the fully compacted log");
    }

    @Test
    void tombstonesGoOnlyAfterDeleteRetentionMs() {
        open(config(dataDir));
        createCompacted(TOPIC, Map.of(TopicConfig.DELETE_RETENTION_MS, "1000"));
        engine.append(TOPIC, 0, batch(record(T0, "gone", "old value")));
        engine.append(TOPIC, 0, batch(record(T0 + 1, "gone", null), record(T0 + 2, "kept", "value")));
        appendVersions(TOPIC, 30);

        engine.runCompaction();
        Map<Long, String> afterFirst = byOffset(readAll(engine, TOPIC, 0));
        assertFalse(afterFirst.containsKey(0L), "the value the tombstone deletes is compacted away");
        assertEquals("gone=null", afterFirst.get(1L), "the tombstone is kept for delete.retention.ms");
        Record kept = readAll(engine, TOPIC, 0).stream().filter(r -> r.offset() == 2).findFirst().orElseThrow();
        assertEquals(T0 + 2, kept.timestamp(), "a record sharing the tombstone's batch keeps its timestamp");

        clock.advance(999);
        engine.runCompaction();
        assertEquals("gone=null", byOffset(readAll(engine, TOPIC, 0)).get(1L),
                "still kept 999 ms after its segment was cleaned");

        clock.advance(2);
        engine.runCompaction();
        Map<Long, String> afterExpiry = byOffset(readAll(engine, TOPIC, 0));
        assertFalse(afterExpiry.containsKey(1L), "the tombstone goes once delete.retention.ms has passed");
        assertEquals("kept=value", afterExpiry.get(2L), "its batch neighbour stays");
    }

    @Test
    void compactsCommittedTransactionsDropsAbortedOnesAndKeepsMarkers() {
        open(config(dataDir));
        createCompacted(TOPIC, Map.of());
        engine.append(TOPIC, 0, batch(record(T0, "k1", "a0"), record(T0, "k2", "b0")));
        engine.append(TOPIC, 0, transactional(7, record(T0, "k1", "a1"), record(T0, "k3", "c1")));
        engine.writeTransactionMarker(TOPIC, 0, 7, (short) 0, true);
        engine.append(TOPIC, 0, transactional(8, record(T0, "k1", "aborted"), record(T0, "k2", "aborted")));
        engine.writeTransactionMarker(TOPIC, 0, 8, (short) 0, false);
        engine.append(TOPIC, 0, batch(record(T0, "k3", "c2")));
        fill(TOPIC, 30);

        engine.runCompaction();

        List<RecordBatch> all = new ArrayList<>();
        long next = 0;
        while (next < engine.describePartition(TOPIC, 0).logEndOffset()) {
            List<RecordBatch> read = batches(engine.read(TOPIC, 0, next, ALL_BYTES).records());
            all.addAll(read);
            next = read.get(read.size() - 1).nextOffset();
        }
        assertEquals(2, all.stream().filter(RecordBatch::isControlBatch).count(), "both transaction markers stay");
        RecordBatch committed = all.stream().filter(b -> b.producerId() == 7 && !b.isControlBatch()).findFirst()
                .orElseThrow(() -> new AssertionError("the committed transaction's batch stays"));
        assertTrue(committed.isTransactional(), "a cleaned transactional batch stays transactional");
        assertEquals(0, committed.producerEpoch(), "and keeps its producer epoch");
        assertEquals(0, committed.baseSequence(), "and its base sequence");
        assertTrue(all.stream().noneMatch(b -> b.producerId() == 8 && !b.isControlBatch()),
                "the aborted transaction's data is removed");

        Map<String, String> committedView = new LinkedHashMap<>();
        next = 0;
        long end = engine.describePartition(TOPIC, 0).lastStableOffset();
        while (next < end) {
            FetchResult result = engine.read(TOPIC, 0, next, ALL_BYTES, Isolation.READ_COMMITTED);
            for (RecordBatch batch : batches(result.records())) {
                boolean aborted = result.abortedTransactions().stream().anyMatch(t -> t.producerId() == batch.producerId()
                        && t.firstOffset() <= batch.baseOffset() && batch.baseOffset() <= t.lastOffset());
                if (!batch.isControlBatch() && !aborted) {
                    for (Record record : batch) {
                        committedView.put(keyOf(record), valueOf(record));
                    }
                }
                next = batch.nextOffset();
            }
        }
        assertEquals("a1", committedView.get("k1"), "the committed transaction's value is k1's latest committed one");
        assertEquals("b0", committedView.get("k2"), "the aborted write to k2 does not shadow b0");
        assertEquals("c2", committedView.get("k3"), "a later plain write supersedes the transactional one");
        assertFalse(committedView.containsValue("aborted"), "read_committed never sees aborted data");

        engine.close();
        engine = null;
        open(config(dataDir));
        assertEquals(Map.of(), engine.openTransactions(TOPIC, 0), "no transaction looks open after reloading");
    }

    @Test
    void nothingAtOrAboveTheLastStableOffsetIsCleaned() {
        open(config(dataDir));
        createCompacted(TOPIC, Map.of());
        appendVersions(TOPIC, 12);
        long openFirst = engine.describePartition(TOPIC, 0).logEndOffset();
        engine.append(TOPIC, 0, transactional(9, record(T0, "k0", "open")));
        appendVersions(TOPIC, 30);
        Map<Long, String> before = byOffset(readAll(engine, TOPIC, 0));

        engine.runCompaction();

        Map<Long, String> after = byOffset(readAll(engine, TOPIC, 0));
        before.forEach((offset, entry) -> {
            if (offset >= openFirst) {
                assertEquals(entry, after.get(offset), "offset " + offset + " is at or above the last stable offset "
                        + openFirst + " and must stay");
            }
        });
    }

    @Test
    void deletePolicyTopicsAreNeverCompacted() throws IOException {
        open(config(dataDir));
        engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024", TopicConfig.RETENTION_MS, "-1",
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, "0"));
        appendVersions(TOPIC, 40);
        Map<Long, String> before = byOffset(readAll(engine, TOPIC, 0));
        List<byte[]> filesBefore = new ArrayList<>();
        for (Path log : logFiles(partitionDir(dataDir, TOPIC, 0))) {
            filesBefore.add(Files.readAllBytes(log));
        }

        assertEquals(0, engine.runCompaction(), "a delete-policy topic is not a cleaning candidate");

        assertEquals(before, byOffset(readAll(engine, TOPIC, 0)), "every record stays");
        List<Path> logs = logFiles(partitionDir(dataDir, TOPIC, 0));
        for (int i = 0; i < logs.size(); i++) {
            assertArrayEquals(filesBefore.get(i), Files.readAllBytes(logs.get(i)), "segment " + logs.get(i) + " untouched");
        }
    }

    @Test
    void aReaderHoldingAnOldSegmentFinishesAfterCompaction() {
        open(config(dataDir).withFileDeleteDelayMs(60_000));
        createCompacted(TOPIC, Map.of());
        appendVersions(TOPIC, 40);
        FetchResult held = engine.read(TOPIC, 0, 0, ALL_BYTES);

        engine.runCompaction();
        assertFalse(filesEndingWith(partitionDir(dataDir, TOPIC, 0), ".deleted").isEmpty(),
                "the replaced segments wait for readers under .deleted names");

        List<Long> heldOffsets = new ArrayList<>();
        for (RecordBatch batch : batches(held.records())) {
            for (Record record : batch) {
                heldOffsets.add(record.offset());
            }
        }
        assertEquals(0L, heldOffsets.get(0), "the view taken before compaction still reads the old file");
        for (int i = 0; i < heldOffsets.size(); i++) {
            assertEquals((long) i, heldOffsets.get(i), "the old view holds every original record");
        }
        assertFalse(offsets(readAll(engine, TOPIC, 0)).contains(0L), "new reads see the compacted segment");

        clock.advance(60_001);
        engine.runCompaction();
        assertTrue(filesEndingWith(partitionDir(dataDir, TOPIC, 0), ".deleted").isEmpty(),
                "the old files go once the grace period has passed");
    }

    @Test
    void aCrashBeforeTheSwapKeepsTheOriginalSegments() throws IOException {
        CrashImages images = compactAndCapture();
        Path crashed = images.before;
        Path partition = partitionDir(crashed, TOPIC, 0);
        String stem = images.stem;
        for (String kind : List.of(".log", ".index", ".timeindex")) {
            Files.copy(partitionDir(images.after, TOPIC, 0).resolve(stem + kind), partition.resolve(stem + kind + ".cleaned"));
        }

        engine = LogEngine.open(config(crashed), clock);
        assertEquals(images.contentBefore, byOffset(readAll(engine, TOPIC, 0)),
                "an uncommitted swap is discarded: every original record is there, once");
        assertTrue(filesEndingWith(partition, ".cleaned").isEmpty(), "leftover .cleaned files are deleted");
    }

    @Test
    void aCrashDuringTheSwapCompletesIt() throws IOException {
        CrashImages images = compactAndCapture();
        Path crashed = images.before;
        Path partition = partitionDir(crashed, TOPIC, 0);
        Path cleaned = partitionDir(images.after, TOPIC, 0);
        String stem = images.stem;
        // Committed (log .swap exists); the original log already retired, the time index already installed.
        Files.move(partition.resolve(stem + ".log"), partition.resolve(stem + ".log.deleted"));
        Files.copy(cleaned.resolve(stem + ".log"), partition.resolve(stem + ".log.swap"));
        Files.copy(cleaned.resolve(stem + ".index"), partition.resolve(stem + ".index.swap"));
        Files.copy(cleaned.resolve(stem + ".timeindex"), partition.resolve(stem + ".timeindex"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        engine = LogEngine.open(config(crashed), clock);
        Map<Long, String> recovered = byOffset(readAll(engine, TOPIC, 0));
        Map<Long, String> expected = new TreeMap<>(images.contentBefore);
        expected.keySet().removeIf(offset -> offset >= images.baseOffset && offset < images.endOffset
                && !images.contentAfter.containsKey(offset));
        assertTrue(images.contentAfter.keySet().stream().anyMatch(o -> o >= images.baseOffset && o < images.endOffset),
                "precondition: the swapped segment keeps records after cleaning");
        assertEquals(expected, recovered, "the committed swap is completed: that segment is the cleaned one, "
                + "the others are the originals, no offset twice");
        List<Long> offsets = offsets(readAll(engine, TOPIC, 0));
        for (int i = 1; i < offsets.size(); i++) {
            assertTrue(offsets.get(i) > offsets.get(i - 1), "offsets strictly increase: " + offsets);
        }
        assertTrue(filesEndingWith(partition, ".swap").isEmpty(), "no .swap file is left");
        engine.runCompaction();
        assertEquals(images.contentAfter, byOffset(readAll(engine, TOPIC, 0)),
                "the next pass reaches the same compacted log as the uninterrupted run");
    }

    @Test
    void compactionConfigsAreValidatedLikeTheOthers() {
        org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> TopicConfig.DEFAULTS.with(Map.of(TopicConfig.DELETE_RETENTION_MS, "-1")),
                "a negative delete.retention.ms is rejected");
        org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> TopicConfig.DEFAULTS.with(Map.of(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, "1.5")),
                "a dirty ratio above 1 is rejected");
        assertEquals(86_400_000L, TopicConfig.DEFAULTS.deleteRetentionMs(), "Kafka's default delete.retention.ms");
        assertEquals("0.5", TopicConfig.DEFAULTS.toMap().get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO),
                "shown to admin clients with Kafka's name");
    }

    /** The data directory copied (as after a crash) before compaction, and copied again after it. */
    private record CrashImages(Path before, Path after, Map<Long, String> contentBefore,
                               Map<Long, String> contentAfter, String stem, long baseOffset, long endOffset) {
    }

    private CrashImages compactAndCapture() throws IOException {
        Path live = dataDir.resolve("live");
        open(config(live));
        createCompacted(TOPIC, Map.of());
        appendVersions(TOPIC, 40);
        Map<Long, String> contentBefore = byOffset(readAll(engine, TOPIC, 0));
        Path before = dataDir.resolve("crash");
        EngineTestSupport.copyDirectory(live, before);
        Files.deleteIfExists(before.resolve(".lock"));
        engine.runCompaction();
        Map<Long, String> contentAfter = byOffset(readAll(engine, TOPIC, 0));
        engine.close();
        engine = null;
        Path after = dataDir.resolve("after");
        EngineTestSupport.copyDirectory(live, after);
        List<Path> logs = logFiles(partitionDir(live, TOPIC, 0));
        // The last closed segment: it holds the latest values of some keys, so losing it would show.
        String stem = logs.get(logs.size() - 2).getFileName().toString().replace(".log", "");
        long endOffset = Long.parseLong(logs.get(logs.size() - 1).getFileName().toString().replace(".log", ""));
        assertTrue(contentAfter.size() < contentBefore.size(), "precondition: compaction removed records");
        assertNull(contentAfter.get(0L), "precondition: the first segment lost records");
        return new CrashImages(before, after, contentBefore, contentAfter, stem, Long.parseLong(stem), endOffset);
    }

    /** The first record at or after {@code offset}, fetching on past emptied batches as a consumer does. */
    private Record firstRecordFrom(String topic, long offset) {
        long position = offset;
        while (position < engine.describePartition(topic, 0).logEndOffset()) {
            for (RecordBatch batch : batches(engine.read(topic, 0, position, ALL_BYTES).records())) {
                for (Record record : batch) {
                    if (record.offset() >= offset) {
                        return record;
                    }
                }
                position = batch.nextOffset();
            }
        }
        throw new AssertionError("no record at or after " + offset);
    }

    private void fill(String topic, int count) {
        for (int i = 0; i < count; i++) {
            engine.append(topic, 0, batch(record(T0, "filler" + i, "padding-padding-padding-padding-padding-padding")));
        }
    }

    private static MemoryRecords transactional(long producerId, SimpleRecord... records) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, 0, records);
    }
}
