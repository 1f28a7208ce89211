package dev.hearth.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.testing.PostgresServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Hearth's own tables, through the audit trail of administrative changes: on the embedded H2 database in the
 * data directory (the default), surviving a restart; and on a real PostgreSQL server chosen by
 * {@code hearth.db.url}, where Flyway created the schema and the rows are checked with SQL.
 */
class DatabaseIT {

    private static final String AUDIT = RestClient.CLUSTER + "/audit-entries";

    @Test
    void theAuditTrailIsKeptInTheEmbeddedDatabaseAcrossRestarts() {
        Path dataDir;
        try (HearthServer server = HearthServer.onFreshDataDir("audit-h2").start()) {
            dataDir = server.dataDir();
            RestClient admin = new RestClient(server.baseUri());
            makeChanges(admin, "audited-orders");

            List<JsonObject> entries = entries(admin.get(AUDIT));
            assertEquals(List.of("DELETE_TOPIC", "ALTER_TOPIC_CONFIGS", "CREATE_TOPIC"),
                    entries.stream().map(entry -> entry.getString("action")).toList(), "newest first: " + entries);
            for (JsonObject entry : entries) {
                assertEquals(HearthServer.ADMIN_USER, entry.getString("principal"), "who made the change: " + entry);
                assertEquals("audited-orders", entry.getString("resource_name"));
            }
            assertTrue(entries.get(2).getString("detail").contains("partitions=2"), entries.get(2).toString());
            assertTrue(entries.get(1).getString("detail").contains("retention.ms=60000"), entries.get(1).toString());

            Reply refused = new RestClient(server.baseUri(), HearthServer.PRODUCER_USER, HearthServer.PRODUCER_PASSWORD)
                    .get(AUDIT);
            assertEquals(403, refused.status(), "the audit trail is for admins: " + refused);
            Reply badLimit = admin.get(AUDIT + "?limit=0");
            assertEquals(400, badLimit.status(), badLimit.toString());
            assertEquals("application/problem+json", badLimit.contentType());
            assertTrue(badLimit.object().getString("detail").contains("limit"), badLimit.toString());
            server.stop();
        }
        assertTrue(Files.isRegularFile(dataDir.resolve("database").resolve("hearth.mv.db")),
                "the embedded database lives in the data directory");

        try (HearthServer restarted = new HearthServer(dataDir, "audit-h2-restarted").start()) {
            RestClient admin = new RestClient(restarted.baseUri());
            assertEquals(3, entries(admin.get(AUDIT)).size(), "the trail survives a restart");
            Reply failed = admin.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                    .add("topic_name", "bad name!").add("partitions_count", 1).build());
            assertEquals(400, failed.status(), failed.toString());
            List<JsonObject> forTopic = entries(admin.get(AUDIT + "?resource_type=topic&resource_name=audited-orders&limit=1"));
            assertEquals(1, forTopic.size());
            assertEquals("DELETE_TOPIC", forTopic.get(0).getString("action"));
            assertEquals(3, entries(admin.get(AUDIT)).size(), "a refused change leaves no entry");
        }
    }

    @Test
    void postgreSqlByConfigurationWithTheSchemaMigratedOnStart() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             HearthServer server = HearthServer.onFreshDataDir("audit-postgres")
                     .with("hearth.db.url", postgres.jdbcUrl())
                     .with("hearth.db.user", postgres.user())
                     .start()) {
            RestClient admin = new RestClient(server.baseUri());
            makeChanges(admin, "pg-orders");
            assertEquals(3, entries(admin.get(AUDIT)).size());

            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
                List<String> actions = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(
                        "SELECT action, principal FROM audit_entry WHERE resource_name = 'pg-orders' ORDER BY id")) {
                    while (rows.next()) {
                        actions.add(rows.getString(1));
                        assertEquals(HearthServer.ADMIN_USER, rows.getString(2));
                    }
                }
                assertEquals(List.of("CREATE_TOPIC", "ALTER_TOPIC_CONFIGS", "DELETE_TOPIC"), actions);
                try (ResultSet history = statement.executeQuery(
                        "SELECT max(version) FROM hearth_schema_history WHERE success")) {
                    assertTrue(history.next() && history.getString(1) != null, "Flyway recorded the schema version");
                }
            }
            assertTrue(!Files.exists(server.dataDir().resolve("database")), "no embedded database when PostgreSQL is set");
            assertTrue(server.log().contains("HEARTH-0901 Database " + postgres.jdbcUrl()), "start-up names the database");
        }
    }

    private static void makeChanges(RestClient admin, String topic) {
        Reply created = admin.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", 2).build());
        assertEquals(201, created.status(), created.toString());
        Reply altered = admin.post(RestClient.CLUSTER + "/topics/" + topic + "/configs:alter", Json.createObjectBuilder()
                .add("data", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", "retention.ms").add("value", "60000"))).build());
        assertTrue(altered.status() / 100 == 2, altered.toString());
        Reply deleted = admin.delete(RestClient.CLUSTER + "/topics/" + topic);
        assertEquals(204, deleted.status(), deleted.toString());
    }

    private static List<JsonObject> entries(Reply reply) {
        assertEquals(200, reply.status(), reply.toString());
        return reply.object().getJsonArray("data").stream().map(JsonValue::asJsonObject).toList();
    }
}
