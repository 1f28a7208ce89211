package dev.hearth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory for one trial's data, deleted with everything in it on {@link #close}.
 *
 * <p>Created under {@code $HEARTH_BENCH_DIR} when that is set (put it on the disk you want to measure;
 * it must not be tmpfs, where fsync costs nothing), else under {@code java.io.tmpdir}.
 *
 * <p>Thread-safety: create and close from one thread; {@link #path} from any.
 */
final class ScratchDirectory implements AutoCloseable {

    static final String ROOT_ENV = "HEARTH_BENCH_DIR";

    private final Path path;

    private ScratchDirectory(Path path) {
        this.path = path;
    }

    static ScratchDirectory create(String prefix) throws IOException {
        String root = System.getenv(ROOT_ENV);
        Path dir = root == null || root.isBlank()
                ? Files.createTempDirectory(prefix)
                : Files.createTempDirectory(Files.createDirectories(Path.of(root)), prefix);
        return new ScratchDirectory(dir);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        // Commit the deletion now: the journal commit (and, on a disk mounted with discard, the discards of
        // gigabytes of freed blocks) then costs this tear-down instead of slowing the next trial's fsyncs.
        try (FileChannel parent = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            parent.force(true);
        }
    }
}
