package dev.hearth.engine.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

import dev.hearth.engine.DiskFullException;

/**
 * Whether the data directory's file system has refused appends for lack of space. Set by a
 * {@link DiskFullException}; cleared by the next successful write, or when asked and the file system has at
 * least {@value #RECOVERED_USABLE_BYTES} bytes usable again (so readiness comes back even when no producer
 * is left retrying).
 *
 * <p>Thread-safety: safe for any thread; the hot path is one volatile read per successful append.
 */
final class DiskSpaceMonitor {

    private static final Logger LOG = Logger.getLogger(DiskSpaceMonitor.class.getName());
    /** Usable bytes that count as "space was freed": room for a few batches and a segment roll. */
    static final long RECOVERED_USABLE_BYTES = 4L << 20;

    private final Path dataDir;
    /** When appends were first refused, or null while the file system has space. */
    private volatile Instant fullSince;

    DiskSpaceMonitor(Path dataDir) {
        this.dataDir = dataDir;
    }

    void onDiskFull(DiskFullException e) {
        if (fullSince == null) {
            synchronized (this) {
                if (fullSince == null) {
                    fullSince = Instant.now();
                    LOG.severe(() -> "HEARTH-0121 The data directory's file system is full: appends are refused "
                            + "(reads continue) until space is freed. " + e.getMessage());
                }
            }
        }
    }

    void onWriteSucceeded() {
        if (fullSince != null) {
            clear();
        }
    }

    Optional<String> problem() {
        Instant since = fullSince;
        if (since == null) {
            return Optional.empty();
        }
        try {
            if (Files.getFileStore(dataDir).getUsableSpace() >= RECOVERED_USABLE_BYTES) {
                clear();
                return Optional.empty();
            }
        } catch (IOException e) {
            // Keep reporting the last known problem.
        }
        return Optional.of("no space left on the data directory's file system since " + since
                + "; appends are refused until space is freed");
    }

    private synchronized void clear() {
        if (fullSince != null) {
            fullSince = null;
            LOG.info("HEARTH-0122 The data directory's file system has space again: appends are accepted");
        }
    }
}
