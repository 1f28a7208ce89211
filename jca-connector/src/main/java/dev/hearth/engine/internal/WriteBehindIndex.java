package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * What {@link OffsetIndex} and {@link TimeIndex} share: fixed-size entries kept in memory, where every lookup
 * and append happens, and written behind to their {@link IndexFile} when the segment is flushed whole. See
 * {@link IndexFile} for the crash contract.
 *
 * <p>Thread-safety: entries are guarded by the index object; file I/O is serialized on its {@link IndexFile},
 * which is always locked before the index, so lookups never wait for a write or an fsync.
 */
abstract class WriteBehindIndex implements AutoCloseable {

    private final IndexFile indexFile;
    private final int entryBytes;
    /** Entries in memory; guarded by {@code this}. */
    protected int entries;

    protected WriteBehindIndex(IndexFile indexFile, int entryBytes) {
        this.indexFile = indexFile;
        this.entryBytes = entryBytes;
    }

    /**
     * Parses a whole file of entries into memory (called holding {@code this}, on an empty index).
     *
     * @param bound where entries must end: the log's size, or the segment's next offset
     * @return false if the entries are not a valid index within {@code bound}
     */
    protected abstract boolean loadEntries(ByteBuffer content, long bound);

    /** Encodes entry {@code index} into {@code target} (called holding {@code this}). */
    protected abstract void putEntry(ByteBuffer target, int index);

    /** Loads the file; false, leaving the index and its file empty, if it is torn or inconsistent. */
    protected final boolean loadFile(long bound) throws IOException {
        synchronized (indexFile) {
            ByteBuffer content = indexFile.readAll();
            boolean valid;
            synchronized (this) {
                valid = content.remaining() % entryBytes == 0 && loadEntries(content, bound);
            }
            if (!valid) {
                reset();
            }
            return valid;
        }
    }

    /** Forgets every entry and empties the file. */
    final void reset() throws IOException {
        synchronized (indexFile) {
            synchronized (this) {
                entries = 0;
            }
            indexFile.truncate();
        }
    }

    /** Writes the entries not yet in the file and forces it (one open-write-force-close; none if nothing is new). */
    final void flush() throws IOException {
        synchronized (indexFile) {
            ByteBuffer pending;
            int upTo;
            synchronized (this) {
                int from = indexFile.persistedEntries();
                upTo = entries;
                pending = ByteBuffer.allocate((upTo - from) * entryBytes);
                for (int i = from; i < upTo; i++) {
                    putEntry(pending, i);
                }
                pending.flip();
            }
            indexFile.write(pending, upTo);
        }
    }

    final synchronized int entries() {
        return entries;
    }

    final void renameTo(Path target) throws IOException {
        indexFile.renameTo(target);
    }

    final Path file() {
        return indexFile.file();
    }

    /** Holds no file open between calls, so there is nothing to release; entries not flushed are dropped. */
    @Override
    public final void close() {
        // no descriptor to close
    }
}
