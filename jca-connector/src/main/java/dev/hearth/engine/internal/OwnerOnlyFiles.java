package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates what Hearth keeps in its data directory readable by Hearth's user only: directories
 * {@code rwx------} (0700), files {@code rw-------} (0600). The mode is passed to the creating system call, so
 * the result does not depend on the process's umask (a umask only removes bits) and no file is ever briefly
 * readable by others between its creation and a later {@code chmod}. Paths that already exist keep their mode:
 * only {@link #restrict} changes it.
 *
 * <p>On a file system without POSIX permissions (Windows, some mounted shares) paths are created without a
 * mode and {@link #restrict} does nothing; access there is whatever the directory's ACL grants.
 *
 * <p>Public because the web module's credential store creates its files through {@link AtomicFiles}, which
 * builds on this class. Thread-safety: stateless; concurrent calls are as safe as the file system calls they
 * make (creating the same path twice is not an error).
 */
public final class OwnerOnlyFiles {

    /** {@code rw-------}: what every file Hearth creates carries. */
    public static final Set<PosixFilePermission> FILE_PERMISSIONS =
            Set.copyOf(PosixFilePermissions.fromString("rw-------"));
    /** {@code rwx------}: what every directory Hearth creates carries. */
    public static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS =
            Set.copyOf(PosixFilePermissions.fromString("rwx------"));

    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    /**
     * Creates {@code dir} and any missing parents as 0700 (like {@link Files#createDirectories}, which it
     * calls); existing directories are left as they are.
     */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, attributes(dir, DIRECTORY_PERMISSIONS));
    }

    /**
     * As {@link #createDirectories}, and durably: the parent of every directory this creates is fsynced, so that
     * a power cut cannot take back a directory's entry while the files below it were fsynced (POSIX makes a new
     * entry durable only with an fsync of its directory). Existing directories cost nothing.
     */
    public static Path createDirectoriesDurably(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        createDirectories(absolute);
        if (existing != null) {
            for (Path created = absolute; !created.equals(existing); created = created.getParent()) {
                AtomicFiles.fsyncDirectory(created.getParent());
            }
        }
        return dir;
    }

    /**
     * Opens {@code file} with {@code options}; when they create it ({@link StandardOpenOption#CREATE} or
     * {@link StandardOpenOption#CREATE_NEW}), it is created 0600. An existing file keeps its mode.
     */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), attributes(file, FILE_PERMISSIONS));
    }

    /**
     * Creates {@code file} empty and 0600 unless it exists, for libraries that open files by name and would
     * otherwise create them with the umask's mode (Kafka's {@code FileRecords}).
     */
    public static void createFileIfAbsent(Path file) throws IOException {
        try {
            Files.createFile(file, attributes(file, FILE_PERMISSIONS));
        } catch (FileAlreadyExistsException e) {
            // Already there: it keeps its content and mode.
        }
    }

    /**
     * Removes every group and others permission bit from an existing {@code path} (not recursively).
     *
     * @return whether the mode changed, so the caller can say so; false also where POSIX modes do not exist
     * @throws IOException when the mode cannot be read or changed, e.g. because another user owns the path
     */
    public static boolean restrict(Path path) throws IOException {
        if (!isPosix(path)) {
            return false;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
        if (mode.stream().noneMatch(GROUP_AND_OTHERS::contains)) {
            return false;
        }
        Set<PosixFilePermission> ownerOnly = EnumSet.copyOf(mode);
        ownerOnly.removeAll(GROUP_AND_OTHERS);
        Files.setPosixFilePermissions(path, ownerOnly);
        return true;
    }

    private static FileAttribute<?>[] attributes(Path path, Set<PosixFilePermission> permissions) {
        return isPosix(path)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
