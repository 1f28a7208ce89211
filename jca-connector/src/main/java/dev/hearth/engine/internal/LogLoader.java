package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Loads one partition's directory into the state a {@link PartitionLog} starts from, as Kafka's
 * {@code LogLoader} does: the segments, the log start and end offsets, the recovery point, the transactions and
 * the idempotent-producer state.
 *
 * <p>Steps, in order:
 * <ol>
 * <li>create the directory if missing; complete or undo an interrupted cleaned-segment swap
 *     ({@link CleanedSegmentSwap#recover}); delete {@code *.deleted} and {@code *.tmp} leftovers;</li>
 * <li>open the segments ({@code <baseOffset>.log}, ascending). After a clean shutdown every one is trusted.
 *     Otherwise each segment that may hold offsets at or above the checkpointed recovery point is recovered
 *     ({@link LogSegment#recover}: batches re-validated, indexes rebuilt) and its invalid tail, a torn write,
 *     is truncated (HEARTH-0102). Segments after a truncated one, or after one that ends short of its
 *     successor's base offset, are deleted (HEARTH-0103): a crash tore a gap they cannot be trusted to follow;</li>
 * <li>load the producer-state snapshot, then replay batch headers (and control records) to rebuild the open
 *     and aborted transactions, and the producer state of batches the snapshot does not cover;</li>
 * <li>after an unclean shutdown, fsync every segment, so the whole recovered log is below the recovery point;</li>
 * <li>fsync the directory, so that what loading created (a new directory's first segment, rebuilt indexes) or
 *     deleted is durable: POSIX makes a file's directory entry durable only with an fsync of the directory, and
 *     a first segment whose entry a power cut takes back takes every acknowledged (fsynced) record with it.</li>
 * </ol>
 * An empty directory yields one empty segment at offset 0.
 *
 * <p>Crash: loading cuts only bytes beyond the recovery point and deletes only segments that no longer follow
 * on; both are idempotent, so a crash while loading is recovered by loading again (the caller removes the
 * clean-shutdown marker only once every partition has loaded). Corruption below the recovery point, data
 * acknowledged as durable, is never cut: {@link #load} throws {@link CorruptRecordException} without cutting a
 * byte of that segment, and the caller takes the partition offline.
 *
 * <p>Thread-safety: confined to the thread that opens the partition, before the log is published; a loader is
 * used once.
 */
final class LogLoader {

    private static final Logger LOG = Logger.getLogger(LogLoader.class.getName());
    /** The files of a segment, after its file stem. */
    private static final List<String> SEGMENT_FILE_SUFFIXES =
            List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX);

    private final String topic;
    private final int partition;
    private final Path dir;
    private final int indexIntervalBytes;
    private final LongSupplier clock;

    LogLoader(String topic, int partition, Path dir, int indexIntervalBytes, LongSupplier clock) {
        this.topic = topic;
        this.partition = partition;
        this.dir = dir;
        this.indexIntervalBytes = indexIntervalBytes;
        this.clock = clock;
    }

    /**
     * What a log starts from; the {@link PartitionLog} takes ownership of every part.
     *
     * @param segments       by base offset, ascending; the last is the active segment. Never empty once loaded
     * @param recoveryPoint  every offset below it is on disk: once loaded, the log end offset
     * @param transactions   the open and aborted transactions found in the log
     * @param producerStates the snapshot's producer state plus that of every batch above it
     */
    record LoadedLog(NavigableMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset,
                     long recoveryPoint, TransactionIndex transactions, ProducerStateTable producerStates) {

        /**
         * The start of a partition that could not be loaded (it goes offline): no segment, and the checkpointed
         * recovery point kept, so the checkpoint goes on protecting the durable data of its files.
         */
        static LoadedLog unloaded(long checkpointedRecoveryPoint) {
            return new LoadedLog(new TreeMap<>(), 0, 0, checkpointedRecoveryPoint, new TransactionIndex(),
                    new ProducerStateTable());
        }
    }

    /**
     * Loads the partition; segments from the one holding {@code checkpointedRecoveryPoint} on are recovered
     * unless {@code cleanShutdown}. On failure every segment opened so far is closed again.
     *
     * @throws CorruptRecordException a segment is corrupt below the recovery point
     * @throws IOException            the directory or a file could not be read, written or fsynced
     */
    LoadedLog load(boolean cleanShutdown, long checkpointedRecoveryPoint) throws IOException {
        NavigableMap<Long, LogSegment> segments = new TreeMap<>();
        try {
            return load(cleanShutdown, checkpointedRecoveryPoint, segments);
        } catch (IOException | RuntimeException e) {
            for (LogSegment segment : segments.values()) {
                try {
                    segment.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
    }

    private LoadedLog load(boolean cleanShutdown, long checkpointedRecoveryPoint,
                           NavigableMap<Long, LogSegment> segments) throws IOException {
        OwnerOnlyFiles.createDirectoriesDurably(dir);
        deleteLeftovers();
        List<Long> baseOffsets = segmentBaseOffsets();
        long now = clock.getAsLong();
        long recoverFrom = cleanShutdown ? Long.MAX_VALUE : checkpointedRecoveryPoint;
        for (int i = 0; i < baseOffsets.size(); i++) {
            long baseOffset = baseOffsets.get(i);
            long nextBase = i + 1 < baseOffsets.size() ? baseOffsets.get(i + 1) : Long.MAX_VALUE;
            boolean needsRecovery = nextBase > recoverFrom;
            LogSegment segment;
            if (needsRecovery) {
                segment = LogSegment.create(dir, baseOffset, indexIntervalBytes, now);
                LogSegment.RecoveryResult result = segment.recover();
                if (result.truncatedBytes() > 0 && segment.nextOffset() < recoverFrom) {
                    segment.close();
                    throw new CorruptRecordException("segment " + LogSegment.fileStem(baseOffset)
                            + " is corrupt below the recovery point " + recoverFrom + " (" + result.stopReason()
                            + "); refusing to drop data that was acknowledged as durable");
                }
                if (result.truncatedBytes() > 0) {
                    segment.truncateTo(result.validBytes());
                    LOG.warning(() -> "HEARTH-0102 " + topic + "-" + partition + ": truncated "
                            + result.truncatedBytes() + " bytes from segment " + LogSegment.fileStem(baseOffset)
                            + " after an unclean shutdown (" + result.stopReason() + ")");
                }
                segments.put(baseOffset, segment);
                if (result.truncatedBytes() > 0 || segment.nextOffset() < nextBase && nextBase != Long.MAX_VALUE) {
                    // Later segments start after a gap the crash tore; they cannot be trusted to follow on.
                    deleteSegmentsAfter(baseOffset);
                    break;
                }
            } else {
                segments.put(baseOffset, LogSegment.openTrusted(dir, baseOffset, indexIntervalBytes, now));
            }
        }
        if (segments.isEmpty()) {
            segments.put(0L, LogSegment.create(dir, 0, indexIntervalBytes, now));
        }
        long logEndOffset = segments.lastEntry().getValue().nextOffset();
        // DeleteRecords may have moved the start into the first segment; retention may have passed it since.
        long logStartOffset = Math.min(logEndOffset,
                Math.max(segments.firstKey(), LogStartOffsetFile.read(dir).orElse(segments.firstKey())));
        ProducerStateTable producerStates = new ProducerStateTable();
        TransactionIndex transactions = new TransactionIndex();
        long producerReplayFrom = producerStates.loadSnapshot(dir, logStartOffset, logEndOffset);
        rebuildFromBatchHeaders(segments, producerReplayFrom, now, transactions, producerStates);
        for (LogSegment segment : segments.values()) {
            if (cleanShutdown) {
                // Indexes rebuilt from a torn file exist only in memory until written here.
                segment.flushIndexes();
            } else {
                segment.flush();
            }
        }
        AtomicFiles.fsyncDirectory(dir);
        return new LoadedLog(segments, logStartOffset, logEndOffset, logEndOffset, transactions, producerStates);
    }

    /**
     * Replays batch headers (and control records) to learn open and aborted transactions, and the producer
     * state of batches at or above {@code producerReplayFrom} (those below are in the loaded snapshot).
     */
    private static void rebuildFromBatchHeaders(NavigableMap<Long, LogSegment> segments, long producerReplayFrom,
                                                long now, TransactionIndex transactions,
                                                ProducerStateTable producerStates) {
        for (LogSegment segment : segments.values()) {
            for (RecordBatch batch : segment.batches()) {
                if (batch.baseOffset() >= producerReplayFrom) {
                    producerStates.replay(batch, now);
                }
                if (!batch.isTransactional()) {
                    continue;
                }
                if (batch.isControlBatch()) {
                    Iterator<Record> records = batch.iterator();
                    if (records.hasNext()) {
                        ControlRecordType type = ControlRecordType.parse(records.next().key());
                        if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                            transactions.onMarker(batch.producerId(), type == ControlRecordType.COMMIT,
                                    batch.baseOffset());
                        }
                    }
                } else {
                    transactions.onTransactionalBatch(batch.producerId(), batch.baseOffset());
                }
            }
        }
    }

    private void deleteSegmentsAfter(long baseOffset) throws IOException {
        for (Long later : segmentBaseOffsets()) {
            if (later > baseOffset) {
                String stem = LogSegment.fileStem(later);
                LOG.warning(() -> "HEARTH-0103 " + topic + "-" + partition + ": deleting segment " + stem
                        + " that follows a truncated one");
                for (String suffix : SEGMENT_FILE_SUFFIXES) {
                    Files.deleteIfExists(dir.resolve(stem + suffix));
                }
            }
        }
    }

    private void deleteLeftovers() throws IOException {
        CleanedSegmentSwap.recover(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private List<Long> segmentBaseOffsets() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(LogSegment.LOG_SUFFIX))
                    .map(name -> Long.parseLong(name.substring(0, name.length() - LogSegment.LOG_SUFFIX.length())))
                    .sorted()
                    .toList();
        }
    }
}
