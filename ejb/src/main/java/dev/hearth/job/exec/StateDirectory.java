package dev.hearth.job.exec;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The root of the local copies of persistent state stores, {@code hearth.jobs.state.dir}. Layout:
 * <pre>
 * &lt;root&gt;/&lt;job&gt;/&lt;stage&gt;_&lt;partition&gt;/          one directory per task ({@link TaskStateDirectory})
 * &lt;root&gt;/&lt;job&gt;/&lt;stage&gt;_&lt;partition&gt;/.checkpoint
 * &lt;root&gt;/&lt;job&gt;/&lt;stage&gt;_&lt;partition&gt;/&lt;store&gt;/  one RocksDB database per persistent store
 * </pre>
 * Nothing here is needed for correctness: deleting any part of it only makes the next restore read more of the
 * changelog. Thread-safety: immutable; each task directory belongs to the thread that owns the task.
 */
public final class StateDirectory {
    private final Path root;

    public StateDirectory(Path root) {
        this.root = root.toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    /** The directory of one task of {@code job}; created on first use of a persistent store. */
    TaskStateDirectory task(String job, TaskId id) {
        return new TaskStateDirectory(root.resolve(job).resolve(id.toString()), id);
    }

    /** Deletes the local state of every task of {@code job} (a reset empties its changelogs; this must follow). */
    public void deleteJob(String job) {
        delete(root.resolve(job));
    }

    /** Deletes a file tree; a missing one is fine. */
    static void delete(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new StateStoreException("cannot delete local state " + tree, e);
        }
    }
}
