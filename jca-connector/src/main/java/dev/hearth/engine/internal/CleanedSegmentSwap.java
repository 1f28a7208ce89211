package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The crash-safe replacement of a segment by its cleaned copy, as Kafka's {@code .cleaned}/{@code .swap}
 * protocol. For the segment with file stem {@code S} (its base offset, 20 digits):
 *
 * <pre>
 * 1. build   S.log.cleaned, S.index.cleaned, S.timeindex.cleaned   written and fsynced; the original is untouched
 * 2. commit  rename S.index.cleaned → S.index.swap, S.timeindex.cleaned → S.timeindex.swap,
 *            then S.log.cleaned → S.log.swap                         ← the commit point; fsync the directory
 * 3. retire  the original's S.log, S.index, S.timeindex → *.deleted (kept open for readers, see SegmentDeleter)
 * 4. install S.index.swap → S.index, S.timeindex.swap → S.timeindex, then S.log.swap → S.log; fsync the directory
 * </pre>
 *
 * The cleaned segment keeps the original's base offset and every retained record keeps its offset, so the
 * two are interchangeable for readers; only the file names change.
 *
 * <p>Recovery ({@link #recover}, run when a partition opens, before segments are loaded): the presence of
 * {@code S.log.swap} is the whole truth. With it, the swap committed: each {@code S.<kind>.swap} present
 * replaces {@code S.<kind>} (indexes first, log last, so a crash during recovery is recovered the same way).
 * Without it, nothing committed: every {@code .cleaned} and index {@code .swap} file is deleted and the
 * original serves on. Either way no record is lost (the cleaned copy was fsynced before the commit) and no
 * offset appears twice (one log file per base offset).
 *
 * <p>Thread-safety: {@link #commit} runs under the partition's append lock; {@link #recover} before the
 * partition is published.
 */
final class CleanedSegmentSwap {

    static final String CLEANED_SUFFIX = ".cleaned";
    static final String SWAP_SUFFIX = ".swap";

    private static final Logger LOG = Logger.getLogger(CleanedSegmentSwap.class.getName());

    private CleanedSegmentSwap() {
    }

    /** Step 1: an empty segment in {@code .cleaned} files, replacing any left by an earlier attempt. */
    static LogSegment createCleaned(Path dir, long baseOffset, int indexIntervalBytes, long nowMs) throws IOException {
        for (Path file : files(dir, baseOffset, CLEANED_SUFFIX)) {
            Files.deleteIfExists(file);
        }
        return LogSegment.create(dir, baseOffset, indexIntervalBytes, nowMs, CLEANED_SUFFIX);
    }

    /**
     * Steps 2 to 4. {@code cleaned} must have been flushed. On return {@code cleaned} serves under the live
     * names and {@code original}'s files carry {@code .deleted}; hand it to the {@link SegmentDeleter}.
     */
    static void commit(Path dir, LogSegment original, LogSegment cleaned) throws IOException {
        cleaned.changeFileSuffix(SWAP_SUFFIX);
        AtomicFiles.fsyncDirectory(dir);
        original.markDeleted();
        cleaned.changeFileSuffix("");
        AtomicFiles.fsyncDirectory(dir);
    }

    /** Discards a cleaned segment that will not be committed (nothing changed, or the original went away). */
    static void abandon(LogSegment cleaned) throws IOException {
        cleaned.closeAndDelete();
    }

    /** Completes committed swaps and discards uncommitted ones; see the class comment. */
    static void recover(Path dir) throws IOException {
        boolean changed = false;
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogSegment.LOG_SUFFIX + SWAP_SUFFIX)) {
                String stem = name.substring(0, name.length() - (LogSegment.LOG_SUFFIX + SWAP_SUFFIX).length());
                for (String kind : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX, LogSegment.LOG_SUFFIX)) {
                    Path swap = dir.resolve(stem + kind + SWAP_SUFFIX);
                    if (Files.exists(swap)) {
                        Files.move(swap, dir.resolve(stem + kind), StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                changed = true;
                LOG.warning(() -> "HEARTH-0134 " + dir + ": completed the swap of cleaned segment " + stem
                        + " interrupted by a crash");
            }
        }
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(CLEANED_SUFFIX) || name.endsWith(SWAP_SUFFIX)) {
                Files.deleteIfExists(file);
                changed = true;
            }
        }
        if (changed) {
            AtomicFiles.fsyncDirectory(dir);
        }
    }

    private static List<Path> files(Path dir, long baseOffset, String suffix) {
        String stem = LogSegment.fileStem(baseOffset);
        return List.of(dir.resolve(stem + LogSegment.LOG_SUFFIX + suffix),
                dir.resolve(stem + LogSegment.INDEX_SUFFIX + suffix),
                dir.resolve(stem + LogSegment.TIME_INDEX_SUFFIX + suffix));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
