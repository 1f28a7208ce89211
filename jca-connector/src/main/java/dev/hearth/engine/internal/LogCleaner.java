package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter.BatchRetention;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter.BatchRetentionResult;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;

import dev.hearth.engine.AbortedTransaction;
import dev.hearth.engine.CleanupPolicy;
import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.PartitionState;
import dev.hearth.engine.StorageException;
import dev.hearth.engine.TopicConfig;

/**
 * Compaction of partitions with {@code cleanup.policy=compact}, after Kafka's {@code LogCleaner}: in the
 * closed segments, only the record with the highest offset of each key survives.
 *
 * <p>A pass over one partition:
 * <ol>
 * <li>Take the cleanable segments ({@link PartitionLog#cleanableSegments}: closed, wholly below the last
 *     stable offset and the recovery point). The part from {@link CleanerState#firstDirtyOffset} on is dirty.
 *     Clean only if dirty bytes / cleanable bytes exceeds {@code min.cleanable.dirty.ratio}, or a cleaned
 *     tombstone's delete horizon has passed.</li>
 * <li>Build an {@link OffsetMap} (key → latest offset) over the dirty records, whole batches at a time, until
 *     the map is full ({@link EngineConfig#compactionMaxMapEntries}); its end is the pass's {@code cleanEnd}.
 *     Control batches and the data of aborted transactions are not mapped.</li>
 * <li>Rewrite, oldest first, every segment with records below {@code cleanEnd}, batch by batch through
 *     {@link MemoryRecords#filterTo} (which keeps base and last offsets, producer id, epoch, sequence and the
 *     transactional and control flags of every batch): a keyed record goes if the map holds a higher offset
 *     for its key; a tombstone goes once its batch's delete horizon (set, by {@code filterTo}, to clean time +
 *     {@code delete.retention.ms} when the batch is first cleaned) has passed; aborted transactional data
 *     goes; control batches and keyless records stay. Batches at or above {@code cleanEnd} are copied as
 *     they are. The last batch of a segment is kept, empty if need be, so the segment still ends where the
 *     next begins (recovery treats a shorter segment as torn).</li>
 * <li>Swap each rewritten segment in ({@link CleanedSegmentSwap}); a segment that did not change is not
 *     swapped.</li>
 * </ol>
 *
 * <p>Invariants: offsets never change (gaps appear, which reads and indexes skip); the active segment and
 * everything at or above the last stable offset are never touched. Because segments are swapped oldest
 * first, a crash between two swaps leaves a log in which every removed record is superseded by one still
 * present, and a tombstone's horizon is only ever set once every older record of its key is gone.
 *
 * <p>Memory: one offset map (about 32 bytes per key, capped) and two buffers of one batch each.
 *
 * <p>Thread-safety: {@link #clean} is serialized on this object; appends, reads and flushes of the
 * partitions run concurrently (only the swap itself takes the partition's append lock).
 *
 * <p>Failure: an I/O error while building a cleaned segment leaves the log untouched, is logged and retried
 * at the next pass; an I/O error during a swap takes the partition offline (the next open completes or
 * discards the swap).
 */
public final class LogCleaner {

    private static final Logger LOG = Logger.getLogger(LogCleaner.class.getName());

    /** Smallest offset map a pass allocates (below the cap); bigger ones are sized by the dirty bytes, up to the cap. */
    private static final int MIN_MAP_ENTRIES = 1024;
    /** Fewest bytes a keyed v2 record takes in a batch; turns dirty bytes into an upper bound of keys. */
    private static final int MIN_RECORD_BYTES = 8;

    private final EngineConfig config;
    private final LongSupplier clock;

    LogCleaner(EngineConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
    }

    /** One pass over every compacted partition that needs it; returns how many partitions were rewritten. */
    synchronized int clean(Collection<PartitionLog> logs) {
        int cleaned = 0;
        for (PartitionLog log : logs) {
            if (log.state() != PartitionState.ONLINE || log.config().cleanupPolicy() != CleanupPolicy.COMPACT) {
                continue;
            }
            try {
                if (clean(log)) {
                    cleaned++;
                }
            } catch (StorageException e) {
                // The partition went offline during the swap; that was logged once, where it happened.
            } catch (IOException | RuntimeException e) {
                if (log.state() == PartitionState.ONLINE) {
                    LOG.log(Level.WARNING, "HEARTH-0131 " + log.topic() + "-" + log.partition()
                            + ": cleaning failed and is retried at the next pass; the log is unchanged", e);
                }
            }
        }
        return cleaned;
    }

    /** @return true if at least one segment was rewritten */
    private boolean clean(PartitionLog log) throws IOException {
        PartitionLog.CleanableSegments cleanable = log.cleanableSegments();
        if (cleanable.segments().isEmpty()) {
            return false;
        }
        CleanerState state = log.cleanerState();
        TopicConfig topicConfig = cleanable.config();
        long now = clock.getAsLong();
        long firstDirty = Math.max(state.firstDirtyOffset, cleanable.logStartOffset());
        long totalBytes = 0;
        long dirtyBytes = 0;
        for (int i = 0; i < cleanable.segments().size(); i++) {
            long size = cleanable.segments().get(i).sizeInBytes();
            totalBytes += size;
            if (cleanable.endOffsets().get(i) > firstDirty) {
                dirtyBytes += size;
            }
        }
        boolean tombstonesDue = state.nextDeleteHorizonMs <= now;
        double dirtyRatio = totalBytes == 0 ? 0 : (double) dirtyBytes / totalBytes;
        if (!tombstonesDue && (dirtyBytes == 0 || dirtyRatio <= topicConfig.minCleanableDirtyRatio())) {
            return false;
        }
        long started = System.nanoTime();
        Map<Long, List<AbortedTransaction>> aborted = new HashMap<>();
        for (AbortedTransaction transaction : cleanable.aborted()) {
            aborted.computeIfAbsent(transaction.producerId(), id -> new ArrayList<>()).add(transaction);
        }
        OffsetMap map = new OffsetMap((int) Math.min(config.compactionMaxMapEntries(),
                Math.max(MIN_MAP_ENTRIES, dirtyBytes / MIN_RECORD_BYTES)));
        long cleanEnd = buildOffsetMap(cleanable, firstDirty, map, aborted);
        if (cleanEnd == firstDirty && !tombstonesDue) {
            LOG.warning(() -> "HEARTH-0132 " + log.topic() + "-" + log.partition() + ": a record batch at offset "
                    + firstDirty + " has more records than the cleaner's offset map holds ("
                    + map.capacity() + "); raise the compaction map size");
            return false;
        }

        long bytesBefore = 0;
        long bytesAfter = 0;
        int rewritten = 0;
        long nextHorizon = Long.MAX_VALUE;
        for (int i = 0; i < cleanable.segments().size(); i++) {
            LogSegment segment = cleanable.segments().get(i);
            if (segment.baseOffset() >= cleanEnd) {
                break;
            }
            SegmentOutcome outcome = cleanSegment(log, segment, cleanEnd, map, aborted, topicConfig, now);
            nextHorizon = Math.min(nextHorizon, outcome.nextDeleteHorizonMs());
            if (outcome.rewritten()) {
                rewritten++;
                bytesBefore += outcome.bytesBefore();
                bytesAfter += outcome.bytesAfter();
            }
        }
        state.firstDirtyOffset = cleanEnd;
        state.nextDeleteHorizonMs = nextHorizon;
        if (rewritten == 0) {
            return false;
        }
        long before = bytesBefore;
        long after = bytesAfter;
        int segments = rewritten;
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        state.passes++;
        state.bytesCleaned += before;
        state.bytesRemoved += before - after;
        state.lastCleanMs = clock.getAsLong();
        LOG.info(() -> "HEARTH-0130 " + log.topic() + "-" + log.partition() + ": compacted " + segments
                + " segment(s) below offset " + cleanEnd + " from " + before + " to " + after + " bytes in "
                + durationMs + " ms (dirty ratio was " + String.format("%.2f", dirtyRatio) + ")");
        return true;
    }

    /**
     * Maps the dirty records, whole batches at a time, until the map is full.
     *
     * @return the offset below which every dirty record is mapped ({@code firstDirty} if none could be)
     */
    private static long buildOffsetMap(PartitionLog.CleanableSegments cleanable, long firstDirty, OffsetMap map,
                                       Map<Long, List<AbortedTransaction>> aborted) {
        long cleanEnd = firstDirty;
        for (int i = 0; i < cleanable.segments().size(); i++) {
            long segmentEnd = cleanable.endOffsets().get(i);
            if (segmentEnd <= firstDirty) {
                continue;
            }
            for (FileChannelRecordBatch batch : cleanable.segments().get(i).batches()) {
                if (batch.lastOffset() < firstDirty) {
                    continue;
                }
                if (!batch.isControlBatch() && !isAborted(batch, aborted)) {
                    Integer count = batch.countOrNull();
                    if (count == null || map.size() + count > map.capacity()) {
                        return cleanEnd;
                    }
                    for (Record record : batch) {
                        if (record.offset() >= firstDirty && record.hasKey()) {
                            map.put(record.key(), record.offset());
                        }
                    }
                }
                cleanEnd = batch.nextOffset();
            }
            cleanEnd = segmentEnd;
        }
        return cleanEnd;
    }

    private SegmentOutcome cleanSegment(PartitionLog log, LogSegment segment, long cleanEnd, OffsetMap map,
                                        Map<Long, List<AbortedTransaction>> aborted, TopicConfig topicConfig,
                                        long now) throws IOException {
        CompactionFilter filter = new CompactionFilter(now, topicConfig.deleteRetentionMs(), map);
        LogSegment cleaned = CleanedSegmentSwap.createCleaned(log.dir(), segment.baseOffset(),
                log.indexIntervalBytes(), now);
        boolean changed = false;
        long nextHorizon = Long.MAX_VALUE;
        try {
            Iterator<FileChannelRecordBatch> batches = segment.batches().iterator();
            while (batches.hasNext()) {
                FileChannelRecordBatch batch = batches.next();
                ByteBuffer input = ByteBuffer.allocate(batch.sizeInBytes());
                batch.writeTo(input);
                input.flip();
                MemoryRecords output;
                if (batch.lastOffset() >= cleanEnd) {
                    output = MemoryRecords.readableRecords(input);
                } else {
                    filter.prepare(isAborted(batch, aborted), !batches.hasNext());
                    ByteBuffer target = ByteBuffer.allocate(batch.sizeInBytes());
                    MemoryRecords.FilterResult result = MemoryRecords.readableRecords(input.duplicate()).filterTo(filter,
                            target, BufferSupplier.NO_CACHING, Math.max(topicConfig.maxMessageBytes(), batch.sizeInBytes()));
                    ByteBuffer written = result.outputBuffer();
                    written.flip();
                    changed |= !written.equals(input);
                    output = MemoryRecords.readableRecords(written);
                }
                for (MutableRecordBatch kept : output.batches()) {
                    OptionalLong horizon = kept.deleteHorizonMs();
                    if (horizon.isPresent()) {
                        nextHorizon = Math.min(nextHorizon, horizon.getAsLong());
                    }
                }
                if (output.sizeInBytes() > 0) {
                    RecordBatch first = output.batches().iterator().next();
                    long last = first.lastOffset();
                    long maxTimestamp = RecordBatch.NO_TIMESTAMP;
                    for (MutableRecordBatch kept : output.batches()) {
                        last = kept.lastOffset();
                        maxTimestamp = Math.max(maxTimestamp, kept.maxTimestamp());
                    }
                    cleaned.append(first.baseOffset(), last, maxTimestamp, output);
                }
            }
            if (!changed) {
                CleanedSegmentSwap.abandon(cleaned);
                return new SegmentOutcome(false, 0, 0, nextHorizon);
            }
            cleaned.onBecomeInactive();
            cleaned.flush();
        } catch (IOException | RuntimeException e) {
            CleanedSegmentSwap.abandon(cleaned);
            throw e;
        }
        int before = segment.sizeInBytes();
        int after = cleaned.sizeInBytes();
        if (!log.replaceSegment(segment, cleaned)) {
            CleanedSegmentSwap.abandon(cleaned);
            return new SegmentOutcome(false, 0, 0, nextHorizon);
        }
        return new SegmentOutcome(true, before, after, nextHorizon);
    }

    private static boolean isAborted(RecordBatch batch, Map<Long, List<AbortedTransaction>> aborted) {
        if (!batch.isTransactional() || batch.isControlBatch()) {
            return false;
        }
        List<AbortedTransaction> ofProducer = aborted.get(batch.producerId());
        if (ofProducer != null) {
            for (AbortedTransaction transaction : ofProducer) {
                if (transaction.firstOffset() <= batch.baseOffset() && batch.baseOffset() <= transaction.lastOffset()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Decides, batch by batch, what survives; see the class comment. */
    private static final class CompactionFilter extends RecordFilter {

        private final OffsetMap map;
        private boolean batchAborted;
        private boolean lastInSegment;

        CompactionFilter(long nowMs, long deleteRetentionMs, OffsetMap map) {
            super(nowMs, deleteRetentionMs);
            this.map = map;
        }

        void prepare(boolean aborted, boolean last) {
            this.batchAborted = aborted;
            this.lastInSegment = last;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            if (lastInSegment) {
                return new BatchRetentionResult(BatchRetention.RETAIN_EMPTY, false);
            }
            return new BatchRetentionResult(batchAborted ? BatchRetention.DELETE : BatchRetention.DELETE_EMPTY, false);
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (batch.isControlBatch()) {
                return true;
            }
            if (batchAborted) {
                return false;
            }
            if (!record.hasKey()) {
                return true;
            }
            if (map.get(record.key()) > record.offset()) {
                return false;
            }
            if (record.hasValue()) {
                return true;
            }
            OptionalLong horizon = batch.deleteHorizonMs();
            return horizon.isEmpty() || currentTime < horizon.getAsLong();
        }
    }

    private record SegmentOutcome(boolean rewritten, long bytesBefore, long bytesAfter, long nextDeleteHorizonMs) {
    }
}
