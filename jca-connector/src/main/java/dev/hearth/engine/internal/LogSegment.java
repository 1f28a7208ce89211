package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * One segment of a partition: the log file {@code <baseOffset>.log} holding Kafka record batches (format
 * v2, exactly as produced, offsets assigned), with its {@link OffsetIndex} and {@link TimeIndex}. All
 * offsets in the segment are at or above {@code baseOffset} and below the next segment's.
 *
 * <p>Thread-safety: {@link #append} is called by one thread at a time (the partition's append lock);
 * {@link #read} and lookups run concurrently with it and see only whole batches, because the file's size
 * is published after its bytes are written.
 *
 * <p>Crash behaviour: a segment is trusted up to the partition's recovery point. Beyond it,
 * {@link #recover} re-validates every batch (CRC-32C, magic, increasing offsets) and rebuilds both indexes;
 * the {@link LogLoader} then truncates the file to the last valid batch ({@link #truncateTo}), unless that
 * would cut below the recovery point.
 */
final class LogSegment implements AutoCloseable {

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";

    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    /** Wall-clock millis when the segment was created or opened, for segment.ms rolls. */
    private final long createdMs;
    private int bytesSinceLastIndexEntry;
    /** Largest record timestamp in the segment, -1 if none; written by the appender, read by retention. */
    private volatile long maxTimestamp = -1;
    /** Offset the next batch in this segment would start at. */
    private volatile long nextOffset;

    private LogSegment(long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex,
                       int indexIntervalBytes, long createdMs) {
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.nextOffset = baseOffset;
    }

    static String fileStem(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, long nowMs) throws IOException {
        return create(dir, baseOffset, indexIntervalBytes, nowMs, "");
    }

    /**
     * Opens or creates the segment whose three files carry {@code fileSuffix} after their usual names (the
     * log cleaner builds a replacement segment as {@code <stem>.log.cleaned} and so on, see
     * {@link CleanedSegmentSwap}).
     */
    static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, long nowMs, String fileSuffix)
            throws IOException {
        String stem = fileStem(baseOffset);
        Path logFile = dir.resolve(stem + LOG_SUFFIX + fileSuffix);
        // FileRecords would create a missing file with the umask's mode: create it owner-only first.
        OwnerOnlyFiles.createFileIfAbsent(logFile);
        FileRecords log = FileRecords.open(logFile.toFile());
        return new LogSegment(baseOffset, log,
                OffsetIndex.open(dir.resolve(stem + INDEX_SUFFIX + fileSuffix), baseOffset),
                TimeIndex.open(dir.resolve(stem + TIME_INDEX_SUFFIX + fileSuffix), baseOffset), indexIntervalBytes,
                nowMs);
    }

    /**
     * Renames the three files to their usual names followed by {@code fileSuffix} ("" for the live names):
     * the indexes first, the log last, so that the log's rename is the single step that completes the change
     * (the commit point of {@link CleanedSegmentSwap}). Open channels stay valid across the renames.
     */
    void changeFileSuffix(String fileSuffix) throws IOException {
        Path dir = log.file().toPath().getParent();
        String stem = fileStem(baseOffset);
        offsetIndex.renameTo(dir.resolve(stem + INDEX_SUFFIX + fileSuffix));
        timeIndex.renameTo(dir.resolve(stem + TIME_INDEX_SUFFIX + fileSuffix));
        log.renameTo(dir.resolve(stem + LOG_SUFFIX + fileSuffix).toFile());
    }

    /**
     * Opens an existing segment whose content is trusted. Indexes are loaded, or rebuilt if they are torn;
     * {@code nextOffset} is learnt from the last batch.
     */
    static LogSegment openTrusted(Path dir, long baseOffset, int indexIntervalBytes, long nowMs) throws IOException {
        LogSegment segment = create(dir, baseOffset, indexIntervalBytes, nowMs);
        boolean offsetIndexValid = segment.offsetIndex.load(segment.log.sizeInBytes());
        segment.nextOffset = segment.nextOffsetScanningFrom(
                offsetIndexValid ? segment.offsetIndex.lookupPosition(Long.MAX_VALUE) : 0);
        boolean indexesValid = offsetIndexValid && segment.timeIndex.load(segment.nextOffset);
        if (!indexesValid) {
            segment.rebuildIndexes();
        } else {
            segment.maxTimestamp = segment.timeIndex.lastTimestamp();
        }
        return segment;
    }

    /**
     * Re-validates every batch and rebuilds the indexes up to the last valid one. Does not touch the log file:
     * the caller decides whether the invalid rest may be cut ({@link #truncateTo}) or is durable data that
     * must be kept for repair.
     *
     * @return valid bytes, and bytes after them that are invalid (0 when the whole file was valid)
     */
    RecoveryResult recover() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = -1;
        bytesSinceLastIndexEntry = 0;
        int validBytes = 0;
        long expectedOffset = baseOffset;
        String stopReason = null;
        Iterator<FileChannelRecordBatch> batches = log.batchIterator();
        try {
            while (batches.hasNext()) {
                FileChannelRecordBatch batch = batches.next();
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                    stopReason = "magic " + batch.magic() + " at byte " + validBytes;
                    break;
                }
                batch.ensureValid();
                if (batch.baseOffset() < expectedOffset) {
                    stopReason = "offset " + batch.baseOffset() + " not above " + (expectedOffset - 1)
                            + " at byte " + validBytes;
                    break;
                }
                indexBatch(batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), validBytes,
                        batch.sizeInBytes());
                validBytes += batch.sizeInBytes();
                expectedOffset = batch.nextOffset();
            }
        } catch (CorruptRecordException e) {
            stopReason = e.getMessage() + " at byte " + validBytes;
        }
        int truncated = log.sizeInBytes() - validBytes;
        if (truncated > 0 && stopReason == null) {
            stopReason = "incomplete batch at byte " + validBytes;
        }
        nextOffset = expectedOffset;
        // As rebuildIndexes: a recovered segment that is not active never rolls again, so without this entry
        // its maximum timestamp would be lost at the next clean start (wrong time lookups and retention.ms).
        onBecomeInactive();
        return new RecoveryResult(validBytes, truncated, stopReason);
    }

    /** Cuts the log file to {@code validBytes}, as found by {@link #recover}. */
    void truncateTo(int validBytes) throws IOException {
        log.truncateTo(validBytes);
    }

    /**
     * Appends batches whose offsets are already assigned.
     *
     * @param firstOffset        base offset of the first batch
     * @param lastOffset         last offset of the last batch
     * @param batchMaxTimestamp  largest timestamp among the batches
     */
    void append(long firstOffset, long lastOffset, long batchMaxTimestamp, MemoryRecords records) throws IOException {
        int position = log.sizeInBytes();
        try {
            log.append(records);
            indexBatch(firstOffset, lastOffset, batchMaxTimestamp, position, records.sizeInBytes());
        } catch (IOException e) {
            rollBackTo(position, e);
            throw e;
        }
        nextOffset = lastOffset + 1;
    }

    /**
     * Cuts whatever a failed append wrote (a partial batch when the disk filled up), so the log file ends
     * where it did and the next append starts there; a failure to cut is added to {@code failure}.
     */
    private void rollBackTo(int position, IOException failure) {
        try {
            if (log.sizeInBytes() > position) {
                log.truncateTo(position);
            }
            if (log.channel().size() > position) {
                log.channel().truncate(position);
            }
            log.channel().position(position);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void indexBatch(long firstOffset, long lastOffset, long batchMaxTimestamp, int position, int sizeInBytes)
            throws IOException {
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
        }
        if (bytesSinceLastIndexEntry >= indexIntervalBytes) {
            offsetIndex.append(firstOffset, position);
            if (maxTimestamp >= 0) {
                timeIndex.maybeAppend(maxTimestamp, lastOffset);
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += sizeInBytes;
    }

    /**
     * Whole batches from the one containing {@code startOffset}, up to {@code maxBytes} (but always at least
     * that first batch, so a batch larger than the limit cannot stall a reader). Null when no batch in this
     * segment holds an offset at or above {@code startOffset}.
     */
    FileRecords read(long startOffset, int maxBytes, long limitOffset) {
        int endPosition = log.sizeInBytes();
        LogOffsetPosition start = log.searchForOffsetFromPosition(startOffset, offsetIndex.lookupPosition(startOffset));
        if (start == null) {
            return null;
        }
        if (limitOffset < nextOffset) {
            // Stop before the batch holding limitOffset (a batch starts there: it opens a transaction).
            LogOffsetPosition limit = log.searchForOffsetFromPosition(limitOffset, offsetIndex.lookupPosition(limitOffset));
            if (limit != null) {
                endPosition = limit.position;
                if (endPosition <= start.position) {
                    return null;
                }
            }
        }
        int available = endPosition - start.position;
        int size = Math.min(available, Math.max(start.size, maxBytes));
        return log.slice(start.position, size);
    }

    /** First record with timestamp at or after {@code timestamp}, as {offset, timestamp}; null if none. */
    long[] findOffsetByTimestamp(long timestamp) {
        if (maxTimestamp < timestamp) {
            return null;
        }
        long scanStart = timeIndex.lookupScanStart(timestamp);
        int position = offsetIndex.lookupPosition(scanStart);
        for (FileChannelRecordBatch batch : log.batchesFrom(position)) {
            if (batch.maxTimestamp() < timestamp) {
                continue;
            }
            for (Record record : batch) {
                if (record.timestamp() >= timestamp) {
                    return new long[] {record.offset(), record.timestamp()};
                }
            }
        }
        return null;
    }

    /** Every batch of the segment, headers read lazily from the file. */
    Iterable<FileChannelRecordBatch> batches() {
        return log.batches();
    }

    /** Writes a final time-index entry so the segment's maximum timestamp survives a clean restart. */
    void onBecomeInactive() throws IOException {
        if (maxTimestamp >= 0 && nextOffset > baseOffset) {
            timeIndex.maybeAppend(maxTimestamp, nextOffset - 1);
        }
    }

    /** Forces the log file only (see {@link PartitionLog#flushUpTo} for why that suffices there). */
    void flushLog() throws IOException {
        log.flush();
    }

    /**
     * Forces the log and writes the index entries not yet in their files: a segment is flushed whole when it stops
     * being written (roll, recovery, cleaning, close). Between those its index files are not open, so a segment
     * holds one file descriptor, its log's.
     */
    void flush() throws IOException {
        log.flush();
        flushIndexes();
    }

    /** Writes and forces the index entries not yet in their files; no I/O when there are none. */
    void flushIndexes() throws IOException {
        offsetIndex.flush();
        timeIndex.flush();
    }

    /** Renames the files with a {@code .deleted} suffix; they stay open for readers holding views. */
    void markDeleted() throws IOException {
        Path logFile = log.file().toPath();
        log.renameTo(logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX).toFile());
        Path indexFile = offsetIndex.file();
        offsetIndex.renameTo(indexFile.resolveSibling(indexFile.getFileName() + DELETED_SUFFIX));
        Path timeFile = logFile.resolveSibling(fileStem(baseOffset) + TIME_INDEX_SUFFIX);
        timeIndex.renameTo(timeFile.resolveSibling(timeFile.getFileName() + DELETED_SUFFIX));
    }

    /** Closes and removes the files (under their current names); call only once no reader can still use them. */
    void closeAndDelete() throws IOException {
        close();
        log.deleteIfExists();
        java.nio.file.Files.deleteIfExists(offsetIndex.file());
        java.nio.file.Files.deleteIfExists(timeIndex.file());
    }

    /** Reads batch headers from {@code position} (a batch start) to the end of the file. */
    private long nextOffsetScanningFrom(int position) {
        long next = baseOffset;
        for (FileChannelRecordBatch batch : log.batchesFrom(position)) {
            next = batch.nextOffset();
        }
        return next;
    }

    private void rebuildIndexes() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        int position = 0;
        for (FileChannelRecordBatch batch : log.batches()) {
            indexBatch(batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), position, batch.sizeInBytes());
            position += batch.sizeInBytes();
        }
        onBecomeInactive();
    }

    long baseOffset() {
        return baseOffset;
    }

    long nextOffset() {
        return nextOffset;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    long createdMs() {
        return createdMs;
    }

    int sizeInBytes() {
        return log.sizeInBytes();
    }

    @Override
    public void close() throws IOException {
        try (OffsetIndex ignored = offsetIndex; TimeIndex ignored2 = timeIndex) {
            log.close();
        }
    }

    /** Outcome of {@link #recover}: how much of the file was valid and, if it was cut, why. */
    record RecoveryResult(int validBytes, int truncatedBytes, String stopReason) {
    }
}
