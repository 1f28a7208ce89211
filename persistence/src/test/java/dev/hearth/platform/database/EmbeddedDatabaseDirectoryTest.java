package dev.hearth.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded H2 database in the data directory is readable by Hearth's user only, whatever the umask. */
class EmbeddedDatabaseDirectoryTest {

    @TempDir
    Path dataDir;

    @Test
    void theEmbeddedDatabaseDirectoryAndItsFilesAreOwnerOnly() throws Exception {
        assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        DatabaseSettings settings = DatabaseSettings.from(key -> Optional.ofNullable(
                Map.of("hearth.data.dir", dataDir.toString()).get(key)));
        Path directory = dataDir.resolve("database");
        assertEquals(directory, settings.embeddedDirectory(), "the default database lives in <data dir>/database");

        DataSource dataSource = HearthDataSource.open(settings);

        assertEquals("rwx------", mode(directory), "the database directory is created owner-only");
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.toList();
        }
        assertTrue(files.contains(directory.resolve("hearth.mv.db")), "opening created the database file: " + files);
        for (Path file : files) {
            assertEquals("rw-------", mode(file), file + " is owner-only although H2 created it with the umask's mode");
        }
        shutdown(dataSource);
    }

    @Test
    void aDatabaseDirectoryOpenToOthersIsNarrowedAtOpen() throws Exception {
        assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        // As an older Hearth left it: directory and file with the umask's 022 mode.
        Path directory = Files.createDirectories(dataDir.resolve("database"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        DatabaseSettings settings = DatabaseSettings.from(key -> Optional.ofNullable(
                Map.of("hearth.data.dir", dataDir.toString()).get(key)));
        shutdown(HearthDataSource.open(settings));
        Files.setPosixFilePermissions(directory.resolve("hearth.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        DataSource reopened = HearthDataSource.open(settings);

        assertEquals("rwx------", mode(directory), "the directory is narrowed");
        assertEquals("rw-------", mode(directory.resolve("hearth.mv.db")), "and so is the database file");
        shutdown(reopened);
    }

    @Test
    void aConfiguredUrlLeavesItsDirectoryAlone() {
        DatabaseSettings settings = DatabaseSettings.from(key -> Optional.ofNullable(Map.of(
                "hearth.data.dir", dataDir.toString(), "hearth.db.url", "jdbc:h2:file:/var/lib/shared/db").get(key)));
        assertEquals(null, settings.embeddedDirectory(), "a database the operator names is not Hearth's to chmod");
    }

    private static void shutdown(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
