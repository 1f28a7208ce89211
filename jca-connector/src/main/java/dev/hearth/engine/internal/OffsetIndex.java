package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Sparse map from offset to byte position in one segment's log file.
 *
 * <p>On disk ({@code <baseOffset>.index}): a sequence of 8-byte big-endian entries
 * {@code [int relativeOffset][int position]}, both strictly increasing, where relativeOffset is the base
 * offset of a batch minus the segment's base offset and position is where that batch starts. The file is
 * appended to, never rewritten, and forced with its segment. A torn or inconsistent file is detected on load
 * ({@link #load}) and rebuilt from the log by the caller.
 *
 * <p>Thread-safety: one appending thread, any number of concurrent lookups; all access is synchronized on
 * the index (entries are in memory, so critical sections are short and do no I/O except the append write).
 */
final class OffsetIndex implements AutoCloseable {

    static final int ENTRY_BYTES = 8;

    private final long baseOffset;
    private final FileChannel channel;
    private final ByteBuffer entryBuffer = ByteBuffer.allocate(ENTRY_BYTES);
    private Path file;
    private int[] relativeOffsets = new int[64];
    private int[] positions = new int[64];
    private int entries;

    private OffsetIndex(long baseOffset, Path file, FileChannel channel) {
        this.baseOffset = baseOffset;
        this.file = file;
        this.channel = channel;
    }

    static OffsetIndex open(Path file, long baseOffset) throws IOException {
        FileChannel channel = OwnerOnlyFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new OffsetIndex(baseOffset, file, channel);
    }

    /**
     * Loads the entries from disk. Returns false, leaving the index empty, if the file is not a valid index
     * for a log of {@code logSizeInBytes} bytes; the caller then rebuilds it.
     */
    synchronized boolean load(int logSizeInBytes) throws IOException {
        long size = channel.size();
        if (size % ENTRY_BYTES != 0) {
            return false;
        }
        ByteBuffer content = ByteBuffer.allocate((int) size);
        while (content.hasRemaining() && channel.read(content, content.position()) >= 0) {
            // read until full
        }
        content.flip();
        int previousOffset = -1;
        int previousPosition = -1;
        while (content.remaining() >= ENTRY_BYTES) {
            int relativeOffset = content.getInt();
            int position = content.getInt();
            if (relativeOffset <= previousOffset || position <= previousPosition || position >= logSizeInBytes) {
                reset();
                return false;
            }
            addInMemory(relativeOffset, position);
            previousOffset = relativeOffset;
            previousPosition = position;
        }
        return true;
    }

    /** Records that the batch starting at {@code offset} begins at byte {@code position}. */
    synchronized void append(long offset, int position) throws IOException {
        int relativeOffset = Math.toIntExact(offset - baseOffset);
        if (entries > 0 && (relativeOffset <= relativeOffsets[entries - 1] || position <= positions[entries - 1])) {
            return;
        }
        entryBuffer.clear();
        entryBuffer.putInt(relativeOffset).putInt(position).flip();
        long filePosition = (long) entries * ENTRY_BYTES;
        while (entryBuffer.hasRemaining()) {
            filePosition += channel.write(entryBuffer, filePosition);
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

    synchronized void reset() throws IOException {
        entries = 0;
        channel.truncate(0);
    }

    synchronized int entries() {
        return entries;
    }

    void flush() throws IOException {
        channel.force(true);
    }

    synchronized void renameTo(Path target) throws IOException {
        java.nio.file.Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    synchronized Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
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
