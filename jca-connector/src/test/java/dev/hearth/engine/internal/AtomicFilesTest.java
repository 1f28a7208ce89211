package dev.hearth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-fsync-rename-fsync protocol: whole old or whole new content, owner-only, no temp file left over. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
    }

    @Test
    void aWriteReplacesTheWholeContentOwnerOnlyAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("checkpoint");
        Files.writeString(target, "an older, longer content written with the umask's mode\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFiles.write(target, bytes("new\n"));

        assertEquals("new\n", Files.readString(target), "the target holds exactly the new content");
        assertEquals("rw-------", mode(target), "the replaced file is owner-only, whatever mode the old one had");
        assertFalse(Files.exists(temp(target)), "the temp file is renamed away, not left behind");
    }

    @Test
    void aTempFileLeftByACrashIsNeitherReadNorKept() throws IOException {
        Path target = dir.resolve("admin-credentials");
        AtomicFiles.write(target, bytes("complete\n"));
        // A power cut between "create the temp" and "rename": a partial, world-readable temp file remains.
        Files.writeString(temp(target), "parti");
        Files.setPosixFilePermissions(temp(target), PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals("complete\n", Files.readString(target), "after the crash the target still holds the old content");

        AtomicFiles.write(target, bytes("next\n"));
        assertEquals("next\n", Files.readString(target), "the next write is not mixed with the stale temp file");
        assertEquals("rw-------", mode(target), "nor does it inherit the stale temp file's mode");
        assertFalse(Files.exists(temp(target)), "the stale temp file is gone");
    }

    @Test
    void aFailedWriteKeepsTheOldContentAndRemovesItsTempFile() throws IOException {
        // A non-empty directory in the target's place makes the rename (the commit point) fail.
        Path target = Files.createDirectories(dir.resolve("topic.properties"));
        Files.writeString(target.resolve("inside"), "old");

        assertThrows(IOException.class, () -> AtomicFiles.write(target, bytes("new")), "the rename cannot succeed");

        assertEquals("old", Files.readString(target.resolve("inside")), "what was there is untouched");
        assertFalse(Files.exists(temp(target)), "a failed write does not leave its temp file behind");
    }

    @Test
    void anEmptyContentIsWrittenAsAnEmptyFile() throws IOException {
        Path marker = dir.resolve(".clean-shutdown");
        AtomicFiles.write(marker, new byte[0]);
        assertArrayEquals(new byte[0], Files.readAllBytes(marker), "a marker file is empty");
        assertEquals("rw-------", mode(marker), "and owner-only");
    }

    private static Path temp(Path target) {
        return target.resolveSibling(target.getFileName() + AtomicFiles.TEMP_SUFFIX);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
