package dev.hearth.engine.internal;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.log.LogEngine;

/**
 * Everything the engine creates in its data directory is readable by its user only, whatever the umask:
 * directories 0700, files 0600, and a data directory open to others is narrowed at open.
 */
class LogDirectoryPermissionsTest {

    @TempDir
    Path root;

    @Test
    void everyDirectoryAndFileTheEngineCreatesIsOwnerOnly() throws IOException {
        assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        // As an operator's mkdir (or an older Hearth) would leave it: listable by everyone.
        Path dataDir = Files.createDirectory(root.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String value = "v".repeat(400);

        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            engine.createTopic("compacted", 2, Map.of(TopicConfig.SEGMENT_BYTES, "1024",
                    TopicConfig.CLEANUP_POLICY, "compact"));
            for (int i = 0; i < 12; i++) {
                engine.append("compacted", i % 2, batch(record(T0 + i, "key-" + (i % 3), value)));
            }
            engine.addPartitions("compacted", 3);
            engine.append("compacted", 2, batch(record(T0, "key", value)));
            engine.alterConfig("compacted", Map.of(TopicConfig.SEGMENT_BYTES, "2048"));
            engine.runCompaction();
            engine.checkpointRecoveryPoints();
        }

        assertEquals("rwx------", mode(dataDir), "the data directory is narrowed to its owner at open");
        List<Path> created;
        try (Stream<Path> tree = Files.walk(dataDir)) {
            created = tree.filter(path -> !path.equals(dataDir)).toList();
        }
        assertTrue(created.stream().anyMatch(path -> path.toString().endsWith(LogSegment.INDEX_SUFFIX)),
                "the walk covers segments (log, index, time index): " + created);
        assertTrue(created.stream().anyMatch(path -> path.endsWith(Path.of("compacted", "2"))),
                "and a partition added after creation: " + created);
        assertTrue(created.stream().anyMatch(path -> path.endsWith(".clean-shutdown")),
                "and the clean-shutdown marker: " + created);
        for (Path path : created) {
            String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
            assertEquals(expected, mode(path), path + " is created owner-only");
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
