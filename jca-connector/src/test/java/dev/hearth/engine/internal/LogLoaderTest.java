package dev.hearth.engine.internal;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.record;
import static dev.hearth.engine.EngineTestSupport.truncate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.EngineTestSupport.ManualClock;
import dev.hearth.engine.TopicConfig;

/**
 * What {@link LogLoader} makes of a partition directory: a clean one is trusted whole, a torn tail beyond the
 * recovery point is cut and the segments after it deleted, a torn tail below it is refused without a cut.
 *
 * <p>The directory written by {@link #writeLog} holds three segments: {@code 0} (an idempotent batch of producer 7
 * at offsets 0..1, then a transactional batch of producer 9 at 2..3 whose transaction stays open), {@code 4}
 * (offsets 4..6) and {@code 7} (offsets 7..8).
 */
class LogLoaderTest {

    private static final String TOPIC = "loaded";
    private static final long SEGMENT_MS = 60_000;

    @TempDir
    Path root;

    private final ManualClock clock = new ManualClock(T0);
    private LogLoader.LoadedLog loaded;

    @AfterEach
    void closeSegments() throws IOException {
        if (loaded != null) {
            for (LogSegment segment : loaded.segments().values()) {
                segment.close();
            }
        }
    }

    private Path writeLog() {
        Path dir = root.resolve(TOPIC + "-0");
        TopicConfig config = TopicConfig.DEFAULTS.with(Map.of(TopicConfig.SEGMENT_MS, Long.toString(SEGMENT_MS)));
        PartitionLog log = PartitionLog.open(TOPIC, 0, dir, config, EngineConfig.defaults(root), clock,
                new SegmentDeleter(clock, 0), List.of(), true, 0);
        log.append(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 0, 0,
                record(T0, "k", "a"), record(T0, "k", "b")));
        log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, 9L, (short) 0, 0,
                record(T0, "k", "c"), record(T0, "k", "d")));
        clock.advance(SEGMENT_MS);
        log.append(batch(T0, "e", "f", "g"));
        clock.advance(SEGMENT_MS);
        log.append(batch(T0, "h", "i"));
        log.close();
        return dir;
    }

    private LogLoader loader(Path dir) {
        return new LogLoader(TOPIC, 0, dir, EngineConfig.defaults(root).indexIntervalBytes(), clock);
    }

    private static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(LogSegment.fileStem(baseOffset) + LogSegment.LOG_SUFFIX);
    }

    @Test
    void anEmptyDirectoryLoadsAsOneEmptySegmentAtOffsetZero() throws IOException {
        Path dir = root.resolve("new-0");
        loaded = loader(dir).load(false, 0);
        assertEquals(List.of(0L), List.copyOf(loaded.segments().keySet()), "one segment, at offset 0");
        assertEquals(0, loaded.logStartOffset(), "an empty log starts at 0");
        assertEquals(0, loaded.logEndOffset(), "an empty log ends at 0");
        assertEquals(0, loaded.recoveryPoint(), "nothing to be durable yet");
        assertTrue(Files.exists(logFile(dir, 0)), "the directory and the active segment's log file are created");
    }

    @Test
    void aCleanShutdownIsTrustedAndTransactionsAndProducersAreRebuiltFromBatchHeaders() throws IOException {
        Path dir = writeLog();
        // Without the snapshot, the producer state comes from the batch headers alone.
        Files.delete(dir.resolve(ProducerStateTable.SNAPSHOT_FILE));
        loaded = loader(dir).load(true, 0);
        assertEquals(List.of(0L, 4L, 7L), List.copyOf(loaded.segments().keySet()), "every segment is kept");
        assertEquals(0, loaded.logStartOffset(), "the first segment's base offset");
        assertEquals(9, loaded.logEndOffset(), "the active segment's next offset");
        assertEquals(9, loaded.recoveryPoint(), "a loaded log is durable to its end");
        assertEquals(Map.of(9L, 2L), loaded.transactions().openTransactions(),
                "producer 9's transaction, begun at offset 2, is still open");
        assertEquals(9, loaded.producerStates().maxProducerId(), "producers 7 and 9 are known again");
    }

    @Test
    void aTornTailBeyondTheRecoveryPointIsCutAndTheSegmentsAfterItAreDeleted() throws IOException {
        Path dir = writeLog();
        Path middle = logFile(dir, 4);
        truncate(middle, Files.size(middle) - 5);
        loaded = loader(dir).load(false, 0);
        assertEquals(List.of(0L, 4L), List.copyOf(loaded.segments().keySet()),
                "segment 7 followed a torn segment and is deleted");
        assertFalse(Files.exists(logFile(dir, 7)), "segment 7's log file is gone");
        assertEquals(0, Files.size(middle), "segment 4's only batch was torn, so nothing of it is left");
        assertEquals(4, loaded.logEndOffset(), "the log ends where segment 4's valid bytes end");
        assertEquals(4, loaded.recoveryPoint(), "the recovered log was fsynced to its end");
        assertEquals(Map.of(9L, 2L), loaded.transactions().openTransactions(),
                "the open transaction below the cut is still known");
    }

    @Test
    void aTornTailBelowTheRecoveryPointIsRefusedWithoutCuttingIt() throws IOException {
        Path dir = writeLog();
        Path active = logFile(dir, 7);
        long tornSize = Files.size(active) - 5;
        truncate(active, tornSize);
        assertThrows(CorruptRecordException.class, () -> loader(dir).load(false, 9),
                "offsets below 9 were acknowledged as durable; dropping them must not be silent");
        assertEquals(tornSize, Files.size(active), "the damaged segment is left as it was, for repair");
    }
}
