package dev.hearth.job.exec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * One task's local state: a RocksDB directory per persistent store and the task's <b>checkpoint</b>, which records,
 * per changelog partition, the offset up to which the local stores reflect the changelog, so that a restore reads
 * only the changelog from there on.
 *
 * <h2>Checkpoint format</h2>
 * A text file {@code .checkpoint}, as Kafka's own offset checkpoints:
 * <pre>
 * 0                                  format version
 * &lt;n&gt;                                number of entries
 * &lt;topic&gt; &lt;partition&gt; &lt;offset&gt;       n lines: the changelog partition and the offset of the next record
 *                                    the store has not applied (its position, as a consumer's)
 * </pre>
 * It is written atomically (temporary file, fsync, rename, fsync of the directory), so a crash leaves the old
 * checkpoint, the new one or none, never a torn one. A file that does not parse, does not end with a newline (cut
 * short), has fewer or more entries than it says, names another partition or has a negative offset counts as
 * absent.
 *
 * <h2>Invariant (exactly-once)</h2>
 * <b>A persistent store's disk holds only committed state: a prefix of its changelog partition that ends at or
 * after the checkpointed offset.</b> Stores keep a transaction's writes in memory (a RocksDB
 * {@code WriteBatchWithIndex}, read through by the store itself) and write them to disk only after the
 * transaction that carried their changelog records committed; then the runtime syncs the WAL and writes a new
 * checkpoint. So:
 * <ul>
 * <li>a crash or an abort before the commit loses only the in-memory batch: the disk and the checkpoint still
 * match the last committed transaction, and the changelog has nothing after it that is committed;</li>
 * <li>a crash after the commit but before the disk write or the new checkpoint leaves the disk at the old
 * checkpoint (or past it) and the changelog past it: replaying the changelog from the checkpoint gives exactly
 * the committed state, because replaying records the store already holds is harmless (each sets a key's latest
 * value, or deletes it).</li>
 * </ul>
 * Unlike Kafka Streams under exactly-once (which deletes the checkpoint while processing, so that any crash costs a
 * full restore), the checkpoint therefore stays valid while the task runs and a crash replays only the tail.
 * Anything that breaks the premise (no checkpoint, an invalid one, a store that is missing or fails to open, a
 * checkpointed offset outside the changelog's range, as after a reset) wipes the store first
 * ({@link #invalidateCheckpoint()}) and restores it from the whole changelog. Deleted tombstones are the one
 * limit: a store offline for longer than the changelog's {@code delete.retention.ms} may miss a delete that
 * compaction removed; the runtime deletes the local state of tasks it gives up, so only its own restarts rely on
 * the checkpoint.
 * <p>
 * Thread-safety: confined to the thread that owns the task.
 */
final class TaskStateDirectory {
    private static final Logger LOG = Logger.getLogger(TaskStateDirectory.class.getName());
    static final String CHECKPOINT_FILE = ".checkpoint";
    private static final String FORMAT_VERSION = "0";

    private final Path directory;
    private final TaskId id;
    private boolean checkpointMayExist = true; // false once deleted by this process and not written since

    TaskStateDirectory(Path directory, TaskId id) {
        this.directory = directory;
        this.id = id;
    }

    Path directory() {
        return directory;
    }

    Path storeDirectory(String storeName) {
        return directory.resolve(storeName);
    }

    /**
     * The checkpointed changelog offsets by topic, empty if there is no valid checkpoint.
     */
    Map<String, Long> readCheckpoint() {
        Path file = directory.resolve(CHECKPOINT_FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            LOG.warning(() -> "HEARTH-1021 Checkpoint " + file + " unreadable (" + e + "); restoring from the whole"
                    + " changelog");
            return Map.of();
        }
        // Every line ends with a newline: a file cut short (which the atomic rename should rule out) never parses.
        Map<String, Long> offsets = text.endsWith("\n") ? parse(text.lines().toList()) : null;
        if (offsets == null) {
            LOG.warning(() -> "HEARTH-1021 Checkpoint " + file + " invalid; restoring from the whole changelog");
            return Map.of();
        }
        return offsets;
    }

    private Map<String, Long> parse(List<String> lines) {
        try {
            if (lines.size() < 2 || !lines.get(0).equals(FORMAT_VERSION)) {
                return null;
            }
            int entries = Integer.parseInt(lines.get(1));
            if (entries < 0 || lines.size() != entries + 2) {
                return null;
            }
            Map<String, Long> offsets = new HashMap<>();
            for (int i = 0; i < entries; i++) {
                String[] fields = lines.get(i + 2).split(" ");
                if (fields.length != 3 || Integer.parseInt(fields[1]) != id.partition()) {
                    return null;
                }
                long offset = Long.parseLong(fields[2]);
                if (offset < 0 || offsets.put(fields[0], offset) != null) {
                    return null;
                }
            }
            return offsets;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Writes {@code offsets} (changelog topic to next offset) as the checkpoint, atomically and durably. */
    void writeCheckpoint(Map<String, Long> offsets) {
        StringBuilder text = new StringBuilder(64 * (offsets.size() + 1));
        text.append(FORMAT_VERSION).append('\n').append(offsets.size()).append('\n');
        offsets.forEach((topic, offset) -> text.append(topic).append(' ').append(id.partition()).append(' ')
                .append(offset).append('\n'));
        Path file = directory.resolve(CHECKPOINT_FILE);
        Path temporary = directory.resolve(CHECKPOINT_FILE + ".tmp");
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            checkpointMayExist = true;
        } catch (IOException e) {
            throw new StateStoreException("cannot write checkpoint " + file, e);
        }
    }

    /**
     * Deletes the checkpoint, durably, before a store is wiped: a crash during the wipe or the full restore that
     * follows must not find a checkpoint that describes a store no longer there. Cheap when it is already gone.
     */
    void invalidateCheckpoint() {
        if (!checkpointMayExist) {
            return;
        }
        try {
            if (Files.deleteIfExists(directory.resolve(CHECKPOINT_FILE))) {
                syncDirectory();
            }
            checkpointMayExist = false;
        } catch (IOException e) {
            throw new StateStoreException("cannot delete checkpoint in " + directory, e);
        }
    }

    /** Deletes the task's whole local state (its stores must be closed). */
    void delete() {
        StateDirectory.delete(directory);
        checkpointMayExist = false;
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
