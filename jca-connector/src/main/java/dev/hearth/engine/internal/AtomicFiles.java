package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;

/**
 * Crash-safe replacement of a small file: the one way Hearth replaces a file's whole content (credentials,
 * checkpoints, topic definitions, markers). {@link #write} does, in this order:
 *
 * <pre>
 * 1. create &lt;target&gt;.tmp afresh, owner-only (0600, see {@link OwnerOnlyFiles}); a stale one is deleted first
 * 2. write the content and fsync the temp file            ← the bytes are durable before anyone can see them
 * 3. rename &lt;target&gt;.tmp over &lt;target&gt; (atomic)      ← the commit point
 * 4. fsync the directory                                   ← the rename itself is durable
 * </pre>
 *
 * After a crash or power cut at any point a reader of {@code <target>} finds the complete old content (or no
 * file, if there was none) or the complete new content, never an empty or partial file, as long as the file
 * system honours fsync and rename (ext4, xfs, btrfs do). The target ends up 0600 whatever mode an older file
 * had, because the rename puts the temp file's inode in its place. A crash before step 3 can leave
 * {@code <target>.tmp} behind: it is 0600, never read, and replaced by the next write; a failed write deletes
 * it at once.
 *
 * <p>Public because the web module's credential store writes through it: one implementation of this protocol
 * in Hearth, not one per module.
 *
 * <p>Thread-safety: stateless; writes to different targets may run concurrently. Writes to the same target
 * must be serialized by the caller (they share the temp file name); every current caller writes a given file
 * from one thread or under its owner's lock.
 */
public final class AtomicFiles {

    /** Appended to the target's name for the file the new content is written to before the rename. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target}'s content with {@code content} as described above. The parent directory must
     * exist. On return the new content and its name are on stable storage.
     *
     * @throws IOException when any step fails; the target then still holds its old content (or is absent)
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        Files.deleteIfExists(temp);
        try {
            try (FileChannel channel = OwnerOnlyFiles.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        fsyncDirectory(dir);
    }

    /** Makes a directory's entries (created, renamed or deleted files) durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
