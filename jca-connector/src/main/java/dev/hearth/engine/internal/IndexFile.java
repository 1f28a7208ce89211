package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file behind an {@link OffsetIndex} or a {@link TimeIndex}: fixed-size entries, appended, never rewritten.
 * It holds no file descriptor between calls: entries live in the index's memory and reach this file only when
 * the segment is flushed whole (at roll, after recovery or cleaning, at close), in one open-write-force-close.
 * So a partition holds one descriptor per segment (its log) instead of three, and 5,000 partitions fit in a
 * normal open-file limit.
 *
 * <p>Crash contract: the active segment's entries since its last whole flush are not in the file. After an
 * unclean shutdown the active segment is always recovered from its log, which rebuilds both indexes; after a
 * clean one it was flushed at close. An index file is thus at worst a shorter, valid prefix, which a lookup
 * treats as a sparser index.
 *
 * <p>Thread-safety: {@link #write} serializes on this object, so concurrent flushes of one index do not
 * interleave; the other methods are called by the segment's single writer (loading, recovery, renames).
 */
final class IndexFile {

    private final int entryBytes;
    private volatile Path file;
    /** Entries at the start of the file that are written and forced. */
    private int persistedEntries;

    private IndexFile(Path file, int entryBytes) {
        this.file = file;
        this.entryBytes = entryBytes;
    }

    /** Creates the file (owner-only, empty) unless it exists, and closes it again. */
    static IndexFile create(Path file, int entryBytes) throws IOException {
        OwnerOnlyFiles.createFileIfAbsent(file);
        return new IndexFile(file, entryBytes);
    }

    /** The whole file, for loading; the entries in it count as persisted (the caller discards a torn file). */
    synchronized ByteBuffer readAll() throws IOException {
        ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(file));
        persistedEntries = content.remaining() / entryBytes;
        return content;
    }

    /** Empties the file now (recovery rewrites the index from the log). */
    synchronized void truncate() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        persistedEntries = 0;
    }

    synchronized int persistedEntries() {
        return persistedEntries;
    }

    /**
     * Writes {@code pending} (the encoded entries from {@link #persistedEntries} on, as the caller read that
     * count under this object's lock) after the persisted ones, and forces the file.
     *
     * @param entriesAfter the index's entry count that {@code pending} brings the file to
     */
    synchronized void write(ByteBuffer pending, int entriesAfter) throws IOException {
        if (!pending.hasRemaining()) {
            return;
        }
        long position = (long) persistedEntries * entryBytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (pending.hasRemaining()) {
                position += channel.write(pending, position);
            }
            channel.force(true);
        }
        persistedEntries = entriesAfter;
    }

    synchronized void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    Path file() {
        return file;
    }
}
