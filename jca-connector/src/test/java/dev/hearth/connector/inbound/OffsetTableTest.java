package dev.hearth.connector.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetTableTest {

    @TempDir
    Path dir;

    @Test
    void anH2FileDatabaseWithItsDefaultWriteDelayIsReported() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("delayed"), "sa", "")) {
            assertEquals(500, OffsetTable.h2WriteDelayMs(connection),
                    "H2's default: commits reach the file up to 500 ms later, from a background thread");
        }
    }

    @Test
    void anH2FileDatabaseWrittenAtEachCommitIsNot() throws Exception {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("durable") + ";WRITE_DELAY=0", "sa", "")) {
            assertEquals(0, OffsetTable.h2WriteDelayMs(connection), "WRITE_DELAY=0 writes each commit before it returns");
        }
    }
}
