package dev.hearth.job.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checkpoint file: round trip, and a file cut at any byte never yields wrong offsets. */
class TaskStateDirectoryTest {

    @TempDir
    Path root;

    @Test
    void aCheckpointReadsBackAndACutOneIsEitherWholeOrIgnored() throws Exception {
        TaskStateDirectory directory = new StateDirectory(root).task("job", new TaskId(1, 3));
        Map<String, Long> offsets = Map.of("job-a-changelog", 400L, "job-b-changelog", 1_234_567L);
        directory.writeCheckpoint(offsets);
        assertEquals(offsets, directory.readCheckpoint(), "round trip");

        Path file = directory.directory().resolve(TaskStateDirectory.CHECKPOINT_FILE);
        byte[] whole = Files.readAllBytes(file);
        for (int length = 0; length < whole.length; length++) {
            Files.write(file, Arrays.copyOf(whole, length));
            assertEquals(Map.of(), directory.readCheckpoint(), "cut to " + length + " bytes: ignored");
        }
        Files.write(file, whole);
        assertEquals(offsets, directory.readCheckpoint());

        TaskStateDirectory otherPartition = new StateDirectory(root).task("job", new TaskId(1, 4));
        Files.createDirectories(otherPartition.directory());
        Files.write(otherPartition.directory().resolve(TaskStateDirectory.CHECKPOINT_FILE), whole);
        assertEquals(Map.of(), otherPartition.readCheckpoint(), "a checkpoint naming another partition is ignored");

        directory.invalidateCheckpoint();
        assertFalse(Files.exists(file), "invalidated: deleted");
        assertEquals(Map.of(), directory.readCheckpoint());
        directory.writeCheckpoint(offsets);
        assertTrue(Files.exists(file));
        assertFalse(Files.exists(file.resolveSibling(TaskStateDirectory.CHECKPOINT_FILE + ".tmp")),
                "no temporary file left behind");
    }
}
