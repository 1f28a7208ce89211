package dev.hearth.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigrationTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutAUrlTheDatabaseIsAnH2FileInTheDataDirectory() {
        DatabaseSettings settings = settings(Map.of("hearth.data.dir", dataDir.toString()));
        assertEquals("jdbc:h2:file:" + dataDir.resolve("database").resolve("hearth"), settings.describe());
        assertTrue(settings.url().contains(";WRITE_DELAY=0"), "commits reach the file before they return");
    }

    @Test
    void aPostgreSqlUrlIsTakenAsGivenAndDescribedWithoutItsOptions() {
        DatabaseSettings settings = settings(Map.of("hearth.db.url", "jdbc:postgresql://db:5432/hearth?ssl=true",
                "hearth.db.user", "hearth"));
        assertTrue(settings.isPostgreSql());
        assertEquals("jdbc:postgresql://db:5432/hearth", settings.describe());
        assertEquals("hearth", settings.user());
    }

    @Test
    void anotherDatabaseIsRefusedWithTheSettingsName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("hearth.db.url", "jdbc:mysql://db/hearth")));
        assertTrue(refused.getMessage().contains("hearth.db.url"), refused.getMessage());
    }

    @Test
    void migrationCreatesTheTablesOnceAndIsIdempotent() throws Exception {
        DataSource dataSource = HearthDataSource.open(settings(Map.of("hearth.data.dir", dataDir.toString())));
        assertEquals("4", SchemaMigration.migrate(dataSource, "test"));
        assertEquals("4", SchemaMigration.migrate(dataSource, "test"), "a second start applies nothing");
        assertTrue(Files.isRegularFile(dataDir.resolve("database").resolve("hearth.mv.db")));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO audit_entry (occurred_at, principal, action, resource_type, resource_name)"
                    + " VALUES (CURRENT_TIMESTAMP, 'admin', 'CREATE_TOPIC', 'topic', 'orders')");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit_entry")) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
            statement.execute("SHUTDOWN");
        }
    }

    @Test
    void aKafkaAuditRecordIsCopiedAtMostOnceWhileHttpEntriesHaveNoSourceOffset() throws Exception {
        DataSource dataSource = HearthDataSource.open(settings(Map.of("hearth.data.dir", dataDir.toString())));
        assertEquals("4", SchemaMigration.migrate(dataSource, "test"));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            String http = "INSERT INTO audit_entry (occurred_at, principal, action, resource_type, resource_name)"
                    + " VALUES (CURRENT_TIMESTAMP, 'admin', 'CREATE_TOPIC', 'topic', 'orders')";
            statement.execute(http);
            statement.execute(http);
            String kafka = "INSERT INTO audit_entry (occurred_at, principal, action, resource_type, resource_name,"
                    + " client_address, source_offset) VALUES (CURRENT_TIMESTAMP, 'User:alice', 'DELETE_TOPIC', 'topic',"
                    + " 'orders', '10.0.0.7', 41)";
            statement.execute(kafka);
            assertThrows(java.sql.SQLException.class, () -> statement.execute(kafka),
                    "the same source offset cannot be copied twice");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit_entry")) {
                rows.next();
                assertEquals(3, rows.getInt(1), "two HTTP entries (no source offset) and one copied record");
            }
            statement.execute("SHUTDOWN");
        }
    }

    @Test
    void aDatabaseSharedWithAnApplicationKeepsTheApplicationsTables() throws Exception {
        DataSource dataSource = HearthDataSource.open(settings(Map.of("hearth.data.dir", dataDir.toString())));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE app_orders (id BIGINT PRIMARY KEY)");
            statement.execute("INSERT INTO app_orders VALUES (7)");
        }
        assertEquals("4", SchemaMigration.migrate(dataSource, "test"));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM app_orders), (SELECT count(*) FROM audit_entry)")) {
            rows.next();
            assertEquals(1, rows.getInt(1));
            assertEquals(0, rows.getInt(2));
            statement.execute("SHUTDOWN");
        }
    }

    private static DatabaseSettings settings(Map<String, String> values) {
        return DatabaseSettings.from(key -> Optional.ofNullable(values.get(key)));
    }
}
