package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sparse map from timestamp to offset in one segment, for "first offset at or after time T" lookups.
 *
 * <p>On disk ({@code <baseOffset>.timeindex}): 12-byte big-endian entries {@code [long timestamp][int
 * relativeOffset]}. An entry {@code (T, o)} says: T is the largest timestamp of any record up to the batch
 * ending at offset o, and every batch before o's batch has a smaller maximum timestamp. Timestamps and
 * offsets strictly increase. Same durability, file-handling and rebuild contract as {@link OffsetIndex}.
 *
 * <p>Thread-safety: as {@link OffsetIndex}.
 */
final class TimeIndex extends WriteBehindIndex {

    static final int ENTRY_BYTES = 12;

    private final long baseOffset;
    private long[] timestamps = new long[64];
    private int[] relativeOffsets = new int[64];

    private TimeIndex(long baseOffset, IndexFile indexFile) {
        super(indexFile, ENTRY_BYTES);
        this.baseOffset = baseOffset;
    }

    /** Creates the file if it is missing; holds no descriptor afterwards. */
    static TimeIndex open(Path file, long baseOffset) throws IOException {
        return new TimeIndex(baseOffset, IndexFile.create(file, ENTRY_BYTES));
    }

    /** As {@link OffsetIndex#load}: false means the file is invalid for a segment ending before {@code nextOffset}. */
    boolean load(long nextOffset) throws IOException {
        return loadFile(nextOffset);
    }

    @Override
    protected boolean loadEntries(ByteBuffer content, long nextOffset) {
        long previousTimestamp = Long.MIN_VALUE;
        int previousOffset = -1;
        while (content.remaining() >= ENTRY_BYTES) {
            long timestamp = content.getLong();
            int relativeOffset = content.getInt();
            if (timestamp <= previousTimestamp || relativeOffset <= previousOffset
                    || baseOffset + relativeOffset >= nextOffset) {
                return false;
            }
            addInMemory(timestamp, relativeOffset);
            previousTimestamp = timestamp;
            previousOffset = relativeOffset;
        }
        return true;
    }

    /** Adds {@code (timestamp, offset)} if the timestamp is newer than the last entry's. */
    synchronized void maybeAppend(long timestamp, long offset) {
        int relativeOffset = Math.toIntExact(offset - baseOffset);
        if (entries > 0 && (timestamp <= timestamps[entries - 1] || relativeOffset <= relativeOffsets[entries - 1])) {
            return;
        }
        addInMemory(timestamp, relativeOffset);
    }

    /**
     * An offset from which a forward scan finds the first record with timestamp at or after {@code timestamp}
     * without missing any: the offset of the last entry whose timestamp is below it, else the base offset.
     */
    synchronized long lookupScanStart(long timestamp) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (timestamps[mid] < timestamp) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 ? baseOffset : baseOffset + relativeOffsets[found];
    }

    /** Largest indexed timestamp, or -1 when empty. */
    synchronized long lastTimestamp() {
        return entries == 0 ? -1 : timestamps[entries - 1];
    }

    @Override
    protected void putEntry(ByteBuffer target, int index) {
        target.putLong(timestamps[index]).putInt(relativeOffsets[index]);
    }

    private void addInMemory(long timestamp, int relativeOffset) {
        if (entries == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, entries * 2);
            relativeOffsets = Arrays.copyOf(relativeOffsets, entries * 2);
        }
        timestamps[entries] = timestamp;
        relativeOffsets[entries] = relativeOffset;
        entries++;
    }
}
