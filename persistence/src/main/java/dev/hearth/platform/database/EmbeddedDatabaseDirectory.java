package dev.hearth.platform.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Keeps the embedded H2 database's directory ({@code <hearth.data.dir>/database}) readable by Hearth's user only.
 * H2 creates its files ({@code hearth.mv.db}, and later perhaps {@code hearth.trace.db} or temporary files)
 * with the process's umask and offers no way to choose their mode, so the guarantee is the directory: created
 * 0700 (the mode given to the creating call, so no umask widens it) and narrowed to its owner when found open.
 * The files H2 has created by then are narrowed to 0600 as well (after the first connection, see
 * {@link HearthDataSource#open}), so a listing shows no group or other permission; a file H2 creates later is
 * behind the 0700 directory.
 *
 * <p>On a file system without POSIX permissions nothing is changed. Not fatal when a mode cannot be changed
 * (another user owns the path): logged (HEARTH-0904) and left. Thread-safety: stateless.
 */
final class EmbeddedDatabaseDirectory {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseDirectory.class.getName());
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private EmbeddedDatabaseDirectory() {
    }

    /** Creates {@code dir} (and missing parents) 0700, or narrows an existing one to its owner. */
    static void prepare(Path dir) throws IOException {
        if (!isPosix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        narrow(dir);
    }

    /** Narrows every file directly in {@code dir} to its owner: what H2 created with the umask's mode. */
    static void restrictFiles(Path dir) throws IOException {
        if (!isPosix(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                narrow(file);
            }
        }
    }

    private static void narrow(Path path) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
        if (mode.stream().noneMatch(OPEN_TO_OTHERS::contains)) {
            return;
        }
        Set<PosixFilePermission> ownerOnly = EnumSet.copyOf(mode);
        ownerOnly.removeAll(OPEN_TO_OTHERS);
        try {
            Files.setPosixFilePermissions(path, ownerOnly);
            LOG.fine(() -> "HEARTH-0903 " + path + " narrowed to " + PosixFilePermissions.toString(ownerOnly));
        } catch (IOException e) {
            LOG.warning("HEARTH-0904 Could not make " + path + " readable by its owner only: " + e);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
