package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.RecordBatch;

import dev.hearth.engine.AbortedTransaction;
import dev.hearth.engine.AppendResult;
import dev.hearth.engine.DiskFullException;
import dev.hearth.engine.Isolation;
import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.FetchResult;
import dev.hearth.engine.InvalidRecordException;
import dev.hearth.engine.MessageTimestampType;
import dev.hearth.engine.OffsetOutOfRangeException;
import dev.hearth.engine.PartitionInfo;
import dev.hearth.engine.PartitionState;
import dev.hearth.engine.PendingAppend;
import dev.hearth.engine.PartitionStats;
import dev.hearth.engine.RecordTooLargeException;
import dev.hearth.engine.StorageException;
import dev.hearth.engine.TopicConfig;

/**
 * The log of one topic partition: an ordered set of {@link LogSegment}s in one directory, the last of them
 * active (appended to).
 *
 * <p>Invariants: segment base offsets strictly increase; {@code logStartOffset} is at or above the first
 * segment's base offset and at most {@code logEndOffset} (above the base only after DeleteRecords, then kept in
 * {@link LogStartOffsetFile}); {@code logEndOffset} is the active segment's next offset; everything below
 * {@code recoveryPoint} has been fsynced.
 *
 * <p>Crash: {@link #open} starts from what a {@link LogLoader} recovered from the directory; from then on this
 * class keeps the recovery point (and the producer-state snapshot) that the next load after a crash starts from.
 *
 * <p>Thread-safety: appends, rolls and retention serialize on {@code appendLock}; flushes serialize on
 * {@code flushLock} and run outside the append lock, so an fsync never blocks appenders and concurrent
 * durable appends share one fsync (group commit). Reads take no lock.
 *
 * <p>Failure: an append that finds no space left on the file system is refused with a
 * {@link DiskFullException} after its partial bytes are cut, and the partition stays online. Any other
 * {@link IOException} takes this partition offline once, with a SEVERE log naming it; every later call fails
 * fast with {@link StorageException}. Other partitions are unaffected.
 */
public final class PartitionLog {

    private static final Logger LOG = Logger.getLogger(PartitionLog.class.getName());

    private final String topic;
    private final int partition;
    private final Path dir;
    private final EngineConfig engineConfig;
    private final LongSupplier clock;
    private final SegmentDeleter deleter;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
    private final Object appendLock = new Object();
    private final Object flushLock = new Object();
    private final List<AppendListener> listeners;
    private final TransactionIndex transactions;
    /** Idempotent-producer state; guarded by {@code appendLock}. */
    private final ProducerStateTable producerStates;
    private volatile TopicConfig config;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    /** Every offset below this is on disk (fsynced). */
    private volatile long recoveryPoint;
    private volatile PartitionState state = PartitionState.ONLINE;
    private volatile String offlineReason;
    /** Records and bytes appended by producers since this log was opened (markers excluded). */
    private final LongAdder producedRecords = new LongAdder();
    private final LongAdder producedBytes = new LongAdder();
    /** Bytes handed to readers since this log was opened. */
    private final LongAdder fetchedBytes = new LongAdder();
    /** fsyncs of the log files and their total duration in nanoseconds since this log was opened. */
    private final LongAdder flushCount = new LongAdder();
    private final LongAdder flushTimeNanos = new LongAdder();
    private final CleanerState cleanerState = new CleanerState();

    private PartitionLog(String topic, int partition, Path dir, TopicConfig config, EngineConfig engineConfig,
                         LongSupplier clock, SegmentDeleter deleter, List<AppendListener> listeners,
                         LogLoader.LoadedLog loaded) {
        this.topic = topic;
        this.partition = partition;
        this.dir = dir;
        this.config = config;
        this.engineConfig = engineConfig;
        this.clock = clock;
        this.deleter = deleter;
        this.listeners = listeners;
        this.segments.putAll(loaded.segments());
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.transactions = loaded.transactions();
        this.producerStates = loaded.producerStates();
    }

    /**
     * Opens (creating if needed) the partition in {@code dir}, loading it with a {@link LogLoader}: after a
     * clean shutdown every segment is trusted; otherwise segments from the one holding
     * {@code checkpointedRecoveryPoint} on are recovered. Never throws for a damaged partition: it comes back
     * offline instead.
     */
    static PartitionLog open(String topic, int partition, Path dir, TopicConfig config, EngineConfig engineConfig,
                             LongSupplier clock, SegmentDeleter deleter, List<AppendListener> listeners,
                             boolean cleanShutdown, long checkpointedRecoveryPoint) {
        LogLoader loader = new LogLoader(topic, partition, dir, engineConfig.indexIntervalBytes(), clock);
        try {
            return new PartitionLog(topic, partition, dir, config, engineConfig, clock, deleter, listeners,
                    loader.load(cleanShutdown, checkpointedRecoveryPoint));
        } catch (IOException | RuntimeException e) {
            PartitionLog log = new PartitionLog(topic, partition, dir, config, engineConfig, clock, deleter, listeners,
                    LogLoader.LoadedLog.unloaded(checkpointedRecoveryPoint));
            log.takeOffline("could not be opened: " + e, e);
            return log;
        }
    }

    /**
     * Validates the batches, assigns their offsets (and, for LogAppendTime topics, timestamps) in place and
     * appends them. With a flush-every-append policy, returns only once the batches are on disk.
     *
     * @throws InvalidRecordException  a batch is corrupt or not format v2; nothing was appended
     * @throws RecordTooLargeException a batch exceeds max.message.bytes; nothing was appended
     */
    public AppendResult append(MemoryRecords records) {
        return appendWithoutFlush(records).complete();
    }

    /**
     * As {@link #append}, except that the flush and the append listeners wait for {@link PendingAppend#complete},
     * so that a request appending to several partitions fsyncs them after writing them all.
     */
    public PendingAppend appendWithoutFlush(MemoryRecords records) {
        ensureOnline();
        TopicConfig topicConfig = config;
        validate(records, topicConfig);
        RecordBatch first = null;
        RecordBatch last = null;
        for (RecordBatch batch : records.batches()) {
            first = first == null ? batch : first;
            last = batch;
        }
        AppendResult retried;
        AppendResult appended = null;
        synchronized (appendLock) {
            ensureOnline();
            retried = producerStates.checkAppend(first, last, topic, partition);
            if (retried == null) {
                appended = appendLocked(records, topicConfig, first, last);
            }
        }
        AppendResult written = appended;
        int sizeInBytes = records.sizeInBytes();
        return () -> {
            AppendResult result = retried != null ? retried : written;
            if (engineConfig.flushPolicy().flushesEveryAppend()) {
                // Also for a retry: the original append may still be waiting for its fsync in another request.
                flushUpTo(result.lastOffset() + 1);
            }
            if (retried != null) {
                return new AppendResult(retried.baseOffset(), retried.lastOffset(), retried.logAppendTime(), logStartOffset);
            }
            producedRecords.add(written.recordCount());
            producedBytes.add(sizeInBytes);
            for (AppendListener listener : listeners) {
                listener.onAppend(topic, partition, written.lastOffset() + 1);
            }
            return written;
        };
    }

    /**
     * Assigns offsets to validated batches that are not a retry and writes them; the caller holds
     * {@code appendLock}. A file system without space rejects the append and leaves the log as it was.
     */
    private AppendResult appendLocked(MemoryRecords records, TopicConfig topicConfig, RecordBatch first,
                                      RecordBatch last) {
        long now = clock.getAsLong();
        long appendTime = topicConfig.messageTimestampType() == MessageTimestampType.LOG_APPEND_TIME ? now : -1;
        long baseOffset = logEndOffset;
        long next = baseOffset;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (MutableRecordBatch batch : records.batches()) {
            long batchLastOffset = next + (batch.lastOffset() - batch.baseOffset());
            batch.setLastOffset(batchLastOffset);
            if (appendTime >= 0) {
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, appendTime);
            }
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            next = batchLastOffset + 1;
        }
        long lastOffset = next - 1;
        try {
            LogSegment active = maybeRoll(records.sizeInBytes(), topicConfig, now);
            active.append(baseOffset, lastOffset, maxTimestamp, records);
        } catch (IOException e) {
            throw storageFailure("append", e);
        }
        logEndOffset = next;
        if (first.isTransactional()) {
            transactions.onTransactionalBatch(first.producerId(), baseOffset);
        }
        AppendResult result = new AppendResult(baseOffset, lastOffset, appendTime, logStartOffset);
        producerStates.onAppend(first, last, result, now);
        return result;
    }

    /**
     * Ends {@code producerId}'s transaction in this partition with a COMMIT or ABORT control batch (durable
     * per the flush policy before returning). Readers at READ_COMMITTED see its records only after a COMMIT.
     *
     * @return the marker's offset
     */
    public long writeTransactionMarker(long producerId, short producerEpoch, boolean commit) {
        ensureOnline();
        long markerOffset;
        synchronized (appendLock) {
            ensureOnline();
            long now = clock.getAsLong();
            markerOffset = logEndOffset;
            MemoryRecords marker = MemoryRecords.withEndTransactionMarker(markerOffset, now, 0, producerId, producerEpoch,
                    new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0));
            try {
                maybeRoll(marker.sizeInBytes(), config, now).append(markerOffset, markerOffset, now, marker);
            } catch (IOException e) {
                throw storageFailure("transaction marker append", e);
            }
            logEndOffset = markerOffset + 1;
            transactions.onMarker(producerId, commit, markerOffset);
            producerStates.onMarker(producerId, producerEpoch, now);
        }
        if (engineConfig.flushPolicy().flushesEveryAppend()) {
            flushUpTo(markerOffset + 1);
        }
        for (AppendListener listener : listeners) {
            listener.onAppend(topic, partition, markerOffset + 1);
        }
        return markerOffset;
    }

    /** Producer id → first offset of each transaction still open in this partition. */
    public Map<Long, Long> openTransactions() {
        return transactions.openTransactions();
    }

    /** The producers this partition keeps state for, with their open transaction's first offset (DescribeProducers). */
    public List<dev.hearth.engine.ActiveProducer> activeProducers() {
        ensureOnline();
        synchronized (appendLock) {
            return producerStates.describe(transactions.openTransactions());
        }
    }

    /**
     * The record with the largest timestamp (the first of equals), Kafka's ListOffsets MAX_TIMESTAMP; empty when
     * the log holds no record at or above its start.
     */
    public java.util.Optional<dev.hearth.engine.TimestampAndOffset> findMaxTimestamp() {
        ensureOnline();
        LogSegment latest = null;
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestamp() >= 0 && (latest == null || segment.maxTimestamp() > latest.maxTimestamp())) {
                latest = segment;
            }
        }
        if (latest == null) {
            return java.util.Optional.empty();
        }
        long[] found = latest.findOffsetByTimestamp(latest.maxTimestamp());
        return found == null || found[0] < logStartOffset ? java.util.Optional.empty()
                : java.util.Optional.of(new dev.hearth.engine.TimestampAndOffset(found[1], found[0]));
    }

    private static void validate(MemoryRecords records, TopicConfig topicConfig) {
        int validatedBytes = 0;
        try {
            for (MutableRecordBatch batch : records.batches()) {
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                    throw new InvalidRecordException("Record batch has magic " + batch.magic()
                            + "; only format v2 (magic 2) is accepted");
                }
                if (batch.sizeInBytes() > topicConfig.maxMessageBytes()) {
                    throw new RecordTooLargeException("Record batch of " + batch.sizeInBytes()
                            + " bytes exceeds max.message.bytes " + topicConfig.maxMessageBytes());
                }
                batch.ensureValid();
                if (batch.isControlBatch()) {
                    throw new InvalidRecordException("Clients may not append control batches");
                }
                Integer count = batch.countOrNull();
                if (count == null || count <= 0 || batch.lastOffset() - batch.baseOffset() != count - 1) {
                    throw new InvalidRecordException("Record batch has " + count + " records but offset delta "
                            + (batch.lastOffset() - batch.baseOffset()));
                }
                validatedBytes += batch.sizeInBytes();
            }
        } catch (CorruptRecordException e) {
            throw new InvalidRecordException("Corrupt record batch: " + e.getMessage());
        }
        if (validatedBytes == 0) {
            throw new InvalidRecordException("No record batch in the request");
        }
        if (validatedBytes != records.sizeInBytes()) {
            throw new InvalidRecordException("Request carries " + (records.sizeInBytes() - validatedBytes)
                    + " trailing bytes that are not a whole record batch");
        }
    }

    private LogSegment maybeRoll(int bytesToAppend, TopicConfig topicConfig, long now) throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        boolean full = (long) active.sizeInBytes() + bytesToAppend > topicConfig.segmentBytes();
        boolean old = now - active.createdMs() >= topicConfig.segmentMs();
        if (active.sizeInBytes() == 0 || !(full || old)) {
            return active;
        }
        active.onBecomeInactive();
        active.flush();
        LogSegment next = LogSegment.create(dir, logEndOffset, engineConfig.indexIntervalBytes(), now);
        segments.put(logEndOffset, next);
        AtomicFiles.fsyncDirectory(dir);
        maybeSnapshotProducers(logEndOffset);
        return next;
    }

    /**
     * Writes the producer-state snapshot at {@code offset} (everything below it flushed) unless one already
     * covers it; the caller holds {@code appendLock}. A failure is logged, not fatal: the state stays in
     * memory and recovery falls back to an older snapshot plus the log.
     */
    private void maybeSnapshotProducers(long offset) {
        if (producerStates.snapshotOffset() >= offset) {
            return;
        }
        try {
            producerStates.writeSnapshot(dir, offset);
        } catch (IOException e) {
            LOG.warning(() -> "HEARTH-0120 " + topic + "-" + partition + ": could not write the producer-state "
                    + "snapshot at offset " + offset + " (" + e.getMessage() + "); it is retried at the next roll");
        }
    }

    /**
     * Before retention or cleaning drop batches below the active segment, makes sure a snapshot holds the
     * producer state they carry; the caller holds {@code appendLock}.
     */
    private void ensureProducerSnapshotCoversClosedSegments() {
        long activeBase = segments.lastKey();
        if (producerStates.snapshotOffset() < activeBase) {
            flushUpTo(logEndOffset);
            maybeSnapshotProducers(logEndOffset);
        }
    }

    /**
     * Forgets producers idle for longer than Kafka's {@code producer.id.expiration.ms} that have no open
     * transaction here; called with retention.
     *
     * @return how many were forgotten
     */
    public int expireProducers() {
        synchronized (appendLock) {
            if (state != PartitionState.ONLINE) {
                return 0;
            }
            return producerStates.removeExpired(clock.getAsLong(), ProducerStateTable.PRODUCER_ID_EXPIRATION_MS,
                    transactions.openTransactions().keySet());
        }
    }

    /** The largest producer id whose state this partition keeps, or -1. */
    public long maxProducerId() {
        synchronized (appendLock) {
            return producerStates.maxProducerId();
        }
    }

    /**
     * Forces everything below {@code offset} to disk. Callers that arrive while another flush runs wait for
     * it and usually find their offset covered: one fsync serves them all.
     */
    public void flushUpTo(long offset) {
        if (recoveryPoint >= offset) {
            return;
        }
        synchronized (flushLock) {
            long flushedFrom = recoveryPoint;
            if (flushedFrom >= offset) {
                return;
            }
            ensureOnline();
            long target = logEndOffset;
            Long fromKey = segments.floorKey(flushedFrom);
            long started = System.nanoTime();
            try {
                // Logs only: index files need no fsync here, because after an unclean stop the segments from
                // the recovery point on are recovered and their indexes rebuilt; closed segments had theirs
                // forced at roll. This keeps a durable append at one fsync instead of three.
                for (LogSegment segment : (fromKey == null ? segments : segments.tailMap(fromKey)).values()) {
                    segment.flushLog();
                }
            } catch (IOException e) {
                throw takeOffline("flush failed: " + e, e);
            }
            flushTimeNanos.add(System.nanoTime() - started);
            flushCount.increment();
            recoveryPoint = target;
        }
    }

    /** Flushes whatever was appended since the last flush; for periodic flush policies. */
    public void flush() {
        if (state == PartitionState.ONLINE) {
            flushUpTo(logEndOffset);
        }
    }

    /**
     * Reads whole batches from the one holding {@code offset}, at most about {@code maxBytes} (at least one
     * batch). Empty at the log end.
     */
    public FetchResult read(long offset, int maxBytes) {
        return read(offset, maxBytes, Isolation.READ_UNCOMMITTED);
    }

    /**
     * As {@link #read(long, int)}; at READ_COMMITTED only batches below the last stable offset are returned,
     * with the aborted transactions among them.
     */
    public FetchResult read(long offset, int maxBytes, Isolation isolation) {
        ensureOnline();
        long end = logEndOffset;
        long start = logStartOffset;
        long stable = transactions.lastStableOffset(end);
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException(topic, partition, offset, start, end);
        }
        long limit = isolation == Isolation.READ_COMMITTED ? stable : end;
        if (offset >= limit) {
            return new FetchResult(MemoryRecords.EMPTY, end, stable, start, end, List.of());
        }
        for (Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset); entry != null;
             entry = segments.higherEntry(entry.getKey())) {
            FileRecords slice = entry.getValue().read(offset, maxBytes, limit);
            if (slice != null) {
                List<AbortedTransaction> aborted = isolation == Isolation.READ_COMMITTED
                        ? transactions.abortedBetween(offset, limit) : List.of();
                fetchedBytes.add(slice.sizeInBytes());
                return new FetchResult(slice, end, stable, start, end, aborted);
            }
        }
        return new FetchResult(MemoryRecords.EMPTY, end, stable, start, end, List.of());
    }

    public long lastStableOffset() {
        return transactions.lastStableOffset(logEndOffset);
    }

    /** The first offset whose record timestamp is at or after {@code timestamp}. */
    public OptionalLong offsetForTimestamp(long timestamp) {
        return findByTimestamp(timestamp).map(found -> OptionalLong.of(found.offset())).orElse(OptionalLong.empty());
    }

    /** The first record whose timestamp is at or after {@code timestamp}: its offset and timestamp. */
    public java.util.Optional<dev.hearth.engine.TimestampAndOffset> findByTimestamp(long timestamp) {
        ensureOnline();
        long start = logStartOffset;
        for (LogSegment segment : segments.values()) {
            long[] found = segment.findOffsetByTimestamp(timestamp);
            if (found != null) {
                return found[0] >= start
                        ? java.util.Optional.of(new dev.hearth.engine.TimestampAndOffset(found[1], found[0]))
                        : findByTimestampFrom(start, timestamp);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The first record at or after {@code from} whose timestamp is at or after {@code timestamp}, by reading
     * batches: for the rare lookup that the time index answers below a log start offset DeleteRecords moved.
     */
    private java.util.Optional<dev.hearth.engine.TimestampAndOffset> findByTimestampFrom(long from, long timestamp) {
        long next = from;
        while (next < logEndOffset) {
            long before = next;
            for (RecordBatch batch : read(next, 1 << 20).records().batches()) {
                if (!batch.isControlBatch() && batch.maxTimestamp() >= timestamp && batch.lastOffset() >= from) {
                    for (org.apache.kafka.common.record.internal.Record record : batch) {
                        if (record.offset() >= from && record.timestamp() >= timestamp) {
                            return java.util.Optional.of(new dev.hearth.engine.TimestampAndOffset(record.timestamp(),
                                    record.offset()));
                        }
                    }
                }
                next = Math.max(next, batch.nextOffset());
            }
            if (next == before) {
                break;
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Deletes closed segments that retention.ms or retention.bytes no longer keep; the active segment always
     * stays. Files are renamed at once and removed later by the {@link SegmentDeleter}, so readers holding
     * views of them finish undisturbed.
     *
     * @return number of segments deleted
     */
    public int deleteRetainedSegments() {
        if (state != PartitionState.ONLINE) {
            return 0;
        }
        TopicConfig topicConfig = config;
        if (topicConfig.cleanupPolicy() != dev.hearth.engine.CleanupPolicy.DELETE) {
            return 0;
        }
        List<LogSegment> deleted = new ArrayList<>();
        synchronized (appendLock) {
            long now = clock.getAsLong();
            long totalBytes = sizeInBytes();
            for (LogSegment segment : segments.headMap(segments.lastKey()).values()) {
                boolean expired = topicConfig.retentionMs() >= 0 && segment.maxTimestamp() >= 0
                        && now - segment.maxTimestamp() > topicConfig.retentionMs();
                boolean oversize = topicConfig.retentionBytes() >= 0
                        && totalBytes - segment.sizeInBytes() >= topicConfig.retentionBytes();
                if (!expired && !oversize) {
                    break;
                }
                totalBytes -= segment.sizeInBytes();
                deleted.add(segment);
            }
            if (deleted.isEmpty()) {
                return 0;
            }
            ensureProducerSnapshotCoversClosedSegments();
            for (LogSegment segment : deleted) {
                segments.remove(segment.baseOffset());
            }
            logStartOffset = Math.max(logStartOffset, segments.firstKey());
            transactions.truncateBelow(logStartOffset);
            try {
                for (LogSegment segment : deleted) {
                    segment.markDeleted();
                }
                AtomicFiles.fsyncDirectory(dir);
            } catch (IOException e) {
                throw takeOffline("retention could not rename deleted segments: " + e, e);
            }
        }
        long start = logStartOffset;
        LOG.info(() -> "HEARTH-0104 " + topic + "-" + partition + ": retention deleted " + deleted.size()
                + " segment(s); log start offset is now " + start);
        deleted.forEach(deleter::deleteLater);
        return deleted.size();
    }

    /**
     * Kafka's DeleteRecords: moves the log start offset up to {@code offset} (records below it are no longer
     * served, and closed segments wholly below it are deleted at once) and returns the new log start offset, which
     * never moves down. The new start is durable ({@link LogStartOffsetFile}) before this returns.
     *
     * @param offset the first offset to keep, at most the log end offset (Hearth's high watermark);
     *               {@code -1} means the log end
     * @throws OffsetOutOfRangeException       {@code offset} is above the log end or below -1
     * @throws RecordDeletionRefusedException  the topic's cleanup policy is not {@code delete}
     */
    public long deleteRecordsBefore(long offset) {
        ensureOnline();
        if (config.cleanupPolicy() != dev.hearth.engine.CleanupPolicy.DELETE) {
            throw new dev.hearth.engine.RecordDeletionRefusedException("Records of " + topic + "-" + partition
                    + " cannot be deleted: its cleanup.policy is " + config.cleanupPolicy().configValue());
        }
        List<LogSegment> deleted = new ArrayList<>();
        long newStart;
        synchronized (appendLock) {
            ensureOnline();
            long end = logEndOffset;
            long target = offset == -1 ? end : offset;
            if (target < 0 || target > end) {
                throw new OffsetOutOfRangeException(topic, partition, offset, logStartOffset, end);
            }
            if (target <= logStartOffset) {
                return logStartOffset;
            }
            try {
                LogStartOffsetFile.write(dir, target);
            } catch (IOException e) {
                throw storageFailure("log start offset checkpoint", e);
            }
            logStartOffset = target;
            // A closed segment goes when the next one starts at or below the new start: none of its records is served.
            for (Map.Entry<Long, LogSegment> entry : segments.headMap(segments.lastKey()).entrySet()) {
                Long next = segments.higherKey(entry.getKey());
                if (next == null || next > target) {
                    break;
                }
                deleted.add(entry.getValue());
            }
            if (!deleted.isEmpty()) {
                ensureProducerSnapshotCoversClosedSegments();
                for (LogSegment segment : deleted) {
                    segments.remove(segment.baseOffset());
                }
                try {
                    for (LogSegment segment : deleted) {
                        segment.markDeleted();
                    }
                    AtomicFiles.fsyncDirectory(dir);
                } catch (IOException e) {
                    throw takeOffline("DeleteRecords could not rename deleted segments: " + e, e);
                }
            }
            transactions.truncateBelow(target);
            newStart = target;
        }
        LOG.info(() -> "HEARTH-0105 " + topic + "-" + partition + ": records before " + newStart
                + " deleted on request; " + deleted.size() + " segment(s) removed");
        deleted.forEach(deleter::deleteLater);
        return newStart;
    }

    /**
     * What the {@link LogCleaner} may clean now: the closed segments that lie wholly below the active segment,
     * the last stable offset (nothing of an undecided transaction is touched) and the recovery point (so a
     * concurrent flush never meets a retired segment, and crash recovery never re-validates a cleaned one).
     * Empty when the partition is offline.
     */
    CleanableSegments cleanableSegments() {
        synchronized (appendLock) {
            if (state != PartitionState.ONLINE || segments.isEmpty()) {
                return new CleanableSegments(List.of(), List.of(), logStartOffset, List.of(), config);
            }
            long bound = Math.min(Math.min(segments.lastKey(), transactions.lastStableOffset(logEndOffset)),
                    recoveryPoint);
            List<LogSegment> cleanable = new ArrayList<>();
            List<Long> endOffsets = new ArrayList<>();
            for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
                Long next = segments.higherKey(entry.getKey());
                if (next == null || next > bound) {
                    break;
                }
                cleanable.add(entry.getValue());
                endOffsets.add(next);
            }
            long end = endOffsets.isEmpty() ? logStartOffset : endOffsets.get(endOffsets.size() - 1);
            return new CleanableSegments(List.copyOf(cleanable), List.copyOf(endOffsets), logStartOffset,
                    transactions.abortedBetween(logStartOffset, end), config);
        }
    }

    /**
     * Installs {@code cleaned} (flushed, in {@code .cleaned} files) in place of {@code original} by
     * {@link CleanedSegmentSwap#commit}, and hands the original to the {@link SegmentDeleter} so readers
     * holding views of it finish undisturbed.
     *
     * @return false, changing nothing, if {@code original} is no longer this log's segment (retention or a
     *         close got there first); the caller then abandons {@code cleaned}
     */
    boolean replaceSegment(LogSegment original, LogSegment cleaned) {
        synchronized (appendLock) {
            if (state != PartitionState.ONLINE || segments.get(original.baseOffset()) != original) {
                return false;
            }
            ensureProducerSnapshotCoversClosedSegments();
            try {
                CleanedSegmentSwap.commit(dir, original, cleaned);
            } catch (IOException e) {
                throw takeOffline("the swap of a cleaned segment failed (completed at next open): " + e, e);
            }
            segments.put(original.baseOffset(), cleaned);
        }
        deleter.deleteLater(original);
        return true;
    }

    /** The log cleaner's progress in this partition; owned by the {@link LogCleaner}. */
    CleanerState cleanerState() {
        return cleanerState;
    }

    public dev.hearth.engine.CleanerStats cleanerStats() {
        return cleanerState.snapshot();
    }

    Path dir() {
        return dir;
    }

    int indexIntervalBytes() {
        return engineConfig.indexIntervalBytes();
    }

    TopicConfig config() {
        return config;
    }

    /**
     * A snapshot for one cleaning pass.
     *
     * @param segments   cleanable segments, oldest first
     * @param endOffsets for each, the base offset of the segment after it (its records are all below)
     * @param aborted    aborted transactions overlapping those segments
     */
    record CleanableSegments(List<LogSegment> segments, List<Long> endOffsets, long logStartOffset,
                             List<AbortedTransaction> aborted, TopicConfig config) {
    }

    public void updateConfig(TopicConfig newConfig) {
        this.config = newConfig;
    }

    public PartitionInfo info() {
        if (state != PartitionState.ONLINE) {
            return new PartitionInfo(partition, state, -1, -1, -1, -1, 0, 0);
        }
        long end = logEndOffset;
        return new PartitionInfo(partition, state, logStartOffset, end, end, transactions.lastStableOffset(end),
                sizeInBytes(), segments.size());
    }

    /**
     * This log's activity since it was opened; cumulative, so a caller sums partitions for a topic. Each
     * counter is read on its own, not as one atomic snapshot.
     */
    public PartitionStats stats() {
        return new PartitionStats(partition, producedRecords.sum(), producedBytes.sum(), fetchedBytes.sum(),
                state == PartitionState.ONLINE ? sizeInBytes() : 0, flushCount.sum(), flushTimeNanos.sum());
    }

    private long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.sizeInBytes();
        }
        return total;
    }

    /** Flushes (after a clean run) and closes every file. Idempotent. */
    public void close() {
        synchronized (appendLock) {
            try {
                if (state == PartitionState.ONLINE && !segments.isEmpty()) {
                    LogSegment active = segments.lastEntry().getValue();
                    active.onBecomeInactive();
                    flushUpTo(logEndOffset);
                    // flushUpTo skips a flushed log; the final time-index entry just written must reach the
                    // disk before the clean-shutdown marker does.
                    active.flush();
                    maybeSnapshotProducers(logEndOffset);
                }
            } catch (IOException | StorageException e) {
                LOG.log(Level.SEVERE, "HEARTH-0105 " + topic + "-" + partition + ": flush at close failed", e);
            }
            for (LogSegment segment : segments.values()) {
                try {
                    segment.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "HEARTH-0106 " + topic + "-" + partition + ": close failed", e);
                }
            }
            segments.clear();
            state = PartitionState.OFFLINE;
            offlineReason = "closed";
        }
    }

    private StorageException takeOffline(String reason, Throwable cause) {
        offlineReason = reason;
        state = PartitionState.OFFLINE;
        LOG.log(Level.SEVERE, "HEARTH-0101 Partition " + topic + "-" + partition + " in " + dir
                + " is OFFLINE: " + reason + ". Other partitions keep working; repair or remove its files and restart.",
                cause);
        return new StorageException("Partition " + topic + "-" + partition + " is offline: " + reason, cause);
    }

    /**
     * The one place an append's {@link IOException} becomes an engine failure: a file system without space
     * rejects this append only (the segment was rolled back to its previous end, so nothing half-written
     * remains and the partition stays readable and writable once space is freed); any other failure takes
     * the partition offline.
     */
    private StorageException storageFailure(String operation, IOException e) {
        if (DiskSpace.isOutOfSpace(e) && e.getSuppressed().length == 0) {
            return new DiskFullException("Partition " + topic + "-" + partition + " rejected an " + operation
                    + ": no space left on the data directory's file system; appends resume once space is freed");
        }
        return takeOffline(operation + " failed: " + e, e);
    }

    private void ensureOnline() {
        if (state != PartitionState.ONLINE) {
            throw new StorageException("Partition " + topic + "-" + partition + " is offline: " + offlineReason);
        }
    }

    public PartitionState state() {
        return state;
    }

    public String offlineReason() {
        return offlineReason;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    public int partition() {
        return partition;
    }

    public String topic() {
        return topic;
    }
}
