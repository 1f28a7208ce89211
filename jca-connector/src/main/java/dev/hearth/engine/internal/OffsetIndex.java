package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sparse map from offset to byte position in one segment's log file.
 *
 * <p>On disk ({@code <baseOffset>.index}): a sequence of 8-byte big-endian entries
 * {@code [int relativeOffset][int position]}, both strictly increasing, where relativeOffset is the base
 * offset of a batch minus the segment's base offset and position is where that batch starts. The file is
 * appended to, never rewritten, and written and forced when its segment is flushed whole; between those it is
 * not open ({@link IndexFile}). A torn or inconsistent file is detected on load ({@link #load}) and rebuilt from
 * the log by the caller.
 *
 * <p>Thread-safety: one appending thread, any number of concurrent lookups; the entries are synchronized on
 * the index (they are in memory, so lookups and appends do no I/O), file I/O on the {@link IndexFile}, which is
 * always locked before the index (see {@link WriteBehindIndex}).
 */
final class OffsetIndex extends WriteBehindIndex {

    static final int ENTRY_BYTES = 8;

    private final long baseOffset;
    private int[] relativeOffsets = new int[64];
    private int[] positions = new int[64];

    private OffsetIndex(long baseOffset, IndexFile indexFile) {
        super(indexFile, ENTRY_BYTES);
        this.baseOffset = baseOffset;
    }

    /** Creates the file if it is missing; holds no descriptor afterwards. */
    static OffsetIndex open(Path file, long baseOffset) throws IOException {
        return new OffsetIndex(baseOffset, IndexFile.create(file, ENTRY_BYTES));
    }

    /**
     * Loads the entries from disk. Returns false, leaving the index empty, if the file is not a valid index
     * for a log of {@code logSizeInBytes} bytes; the caller then rebuilds it.
     */
    boolean load(int logSizeInBytes) throws IOException {
        return loadFile(logSizeInBytes);
    }

    @Override
    protected boolean loadEntries(ByteBuffer content, long logSizeInBytes) {
        int previousOffset = -1;
        int previousPosition = -1;
        while (content.remaining() >= ENTRY_BYTES) {
            int relativeOffset = content.getInt();
            int position = content.getInt();
            if (relativeOffset <= previousOffset || position <= previousPosition || position >= logSizeInBytes) {
                return false;
            }
            addInMemory(relativeOffset, position);
            previousOffset = relativeOffset;
            previousPosition = position;
        }
        return true;
    }

    /** Records that the batch starting at {@code offset} begins at byte {@code position}. */
    synchronized void append(long offset, int position) {
        int relativeOffset = Math.toIntExact(offset - baseOffset);
        if (entries > 0 && (relativeOffset <= relativeOffsets[entries - 1] || position <= positions[entries - 1])) {
            return;
        }
        addInMemory(relativeOffset, position);
    }

    /** Position of the last indexed batch starting at or before {@code offset}; 0 when there is none. */
    synchronized int lookupPosition(long offset) {
        long relative = offset - baseOffset;
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (relativeOffsets[mid] <= relative) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 ? 0 : positions[found];
    }

    @Override
    protected void putEntry(ByteBuffer target, int index) {
        target.putInt(relativeOffsets[index]).putInt(positions[index]);
    }

    private void addInMemory(int relativeOffset, int position) {
        if (entries == relativeOffsets.length) {
            relativeOffsets = Arrays.copyOf(relativeOffsets, entries * 2);
            positions = Arrays.copyOf(positions, entries * 2);
        }
        relativeOffsets[entries] = relativeOffset;
        positions[entries] = position;
        entries++;
    }
}
