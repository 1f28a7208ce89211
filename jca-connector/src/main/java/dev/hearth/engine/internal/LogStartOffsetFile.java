package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * {@code log-start-offset} in a partition's directory: the partition's log start offset when DeleteRecords
 * moved it above the first segment's base offset (Kafka's {@code log-start-offset-checkpoint}, per partition).
 *
 * <p>Format: one line of ASCII decimal, the offset, then {@code \n}. Written through {@link AtomicFiles}, so a
 * crash leaves the old or the new value, never a torn one. Absent means "the first segment's base offset".
 *
 * <p>Recovery: a file that cannot be parsed is ignored with a warning (HEARTH-0124): the log then starts at its
 * first segment again, which shows deleted records again but loses none. A value below the first segment (retention
 * went further since) or above the log end (the log was cut after a crash) is clamped by the loader.
 *
 * <p>Thread-safety: stateless; a partition writes it under its append lock.
 */
final class LogStartOffsetFile {

    static final String FILE_NAME = "log-start-offset";
    private static final Logger LOG = Logger.getLogger(LogStartOffsetFile.class.getName());

    private LogStartOffsetFile() {
    }

    static OptionalLong read(Path partitionDir) throws IOException {
        String text;
        try {
            text = Files.readString(partitionDir.resolve(FILE_NAME), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            LOG.warning(() -> "HEARTH-0124 Ignoring the unreadable " + FILE_NAME + " in " + partitionDir
                    + "; the log starts at its first segment");
            return OptionalLong.empty();
        }
    }

    static void write(Path partitionDir, long logStartOffset) throws IOException {
        AtomicFiles.write(partitionDir.resolve(FILE_NAME),
                (logStartOffset + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
