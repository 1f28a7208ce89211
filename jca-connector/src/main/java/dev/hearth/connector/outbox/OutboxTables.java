package dev.hearth.connector.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The outbox's three tables in the application's database, and the binary format of the headers column. Portable
 * SQL for H2 2.x and PostgreSQL ({@code BYTEA} is H2's alias of {@code VARBINARY}).
 *
 * <pre>
 * hearth_outbox_records                        one row per record not yet known to be published
 *   shard         INT      NOT NULL  ┐ primary key
 *   seq           BIGINT   NOT NULL  ┘ position in the shard, from hearth_outbox_shards.next_seq
 *   topic_name    VARCHAR(249) NOT NULL
 *   partition_id  INT                  explicit partition, or NULL: the producer chooses by key
 *   record_key    BYTEA                NULL for a keyless record
 *   record_value  BYTEA                NULL for a tombstone
 *   headers       BYTEA                NULL without headers, else the format below
 *   timestamp_ms  BIGINT   NOT NULL    the record's CreateTime (the caller's, or the append's clock)
 *
 * hearth_outbox_shards                         one row per shard, created with the tables
 *   shard         INT      PRIMARY KEY
 *   next_seq      BIGINT   NOT NULL    the seq the next appended record of the shard gets
 *
 * hearth_outbox_leases                         one row per shard, created with the tables
 *   shard         INT      PRIMARY KEY
 *   owner_id      VARCHAR(255) NOT NULL   instance id of the relay holding the shard ('' when never held)
 *   expires_at_ms BIGINT   NOT NULL    epoch millis of the owner's clock; 0 when released
 *
 * headers = count:int32, then count times { nameLength:int32, name:UTF-8, valueLength:int32 (-1: null), value }
 *           (big-endian)
 * </pre>
 *
 * <p>Invariants: the committed seqs of a shard are contiguous from the first row not yet deleted, and a row with a
 * larger seq never becomes visible before one with a smaller seq: {@code next_seq} is raised in the appending
 * transaction, whose row lock on the shard's counter serialises appends to one shard until commit (a rolled-back
 * append also rolls back its counter). Rows below the shard's progress in Kafka are published and may be deleted at
 * any time; rows at or above it never are. Lease rows only make relays take turns; safety does not depend on them
 * (a relay's producer is fenced by the next relay of its shard), so clock skew between instances only costs
 * turns, as long as it stays well below the lease.
 *
 * <p>The database must keep its commits across a crash (for H2: {@code WRITE_DELAY=0}, see HEARTH-0736), or a
 * committed record can vanish before it is published.
 *
 * <p>Thread-safety: stateless; {@link #create} may run concurrently in several processes (each statement is
 * idempotent).
 */
final class OutboxTables {

    static final String RECORDS = "hearth_outbox_records";
    static final String SHARDS = "hearth_outbox_shards";
    static final String LEASES = "hearth_outbox_leases";

    private static final Logger LOG = Logger.getLogger(OutboxTables.class.getName());
    private static final String[] CREATE = {
            "CREATE TABLE IF NOT EXISTS " + RECORDS + " (shard INT NOT NULL, seq BIGINT NOT NULL, "
                    + "topic_name VARCHAR(249) NOT NULL, partition_id INT, record_key BYTEA, record_value BYTEA, "
                    + "headers BYTEA, timestamp_ms BIGINT NOT NULL, PRIMARY KEY (shard, seq))",
            "CREATE TABLE IF NOT EXISTS " + SHARDS + " (shard INT NOT NULL PRIMARY KEY, next_seq BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS " + LEASES + " (shard INT NOT NULL PRIMARY KEY, "
                    + "owner_id VARCHAR(255) NOT NULL, expires_at_ms BIGINT NOT NULL)"};
    private static final String INSERT_SHARD = "INSERT INTO " + SHARDS + " (shard, next_seq) VALUES (?, 0)";
    private static final String INSERT_LEASE = "INSERT INTO " + LEASES
            + " (shard, owner_id, expires_at_ms) VALUES (?, '', 0)";
    private static final String EXISTING_SHARDS = "SELECT shard FROM " + SHARDS;

    private OutboxTables() {
    }

    /**
     * Creates the tables and the rows of shards {@code 0 .. shards-1} where missing. Must run outside any JTA
     * transaction (DDL commits implicitly in some databases): the relays call it at their start, on the adapter's
     * thread, before they publish anything. Commits what it did if the connection is not in auto-commit mode.
     */
    static void create(DataSource dataSource, int shards) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : CREATE) {
                    statement.execute(ddl);
                }
            }
            commitIfManual(connection);
            boolean[] present = new boolean[shards];
            int beyond = 0;
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(EXISTING_SHARDS)) {
                while (rows.next()) {
                    int shard = rows.getInt(1);
                    if (shard < shards) {
                        present[shard] = true;
                    } else {
                        beyond++;
                    }
                }
            }
            commitIfManual(connection);
            for (int shard = 0; shard < shards; shard++) {
                if (!present[shard]) {
                    insertIgnoringDuplicate(connection, INSERT_SHARD, shard);
                    insertIgnoringDuplicate(connection, INSERT_LEASE, shard);
                }
            }
            if (beyond > 0) {
                int extra = beyond;
                LOG.warning(() -> "HEARTH-0751 The outbox tables have " + extra + " shard(s) beyond the " + shards
                        + " configured: records waiting there are not published until the shard count is restored");
            }
        }
    }

    private static void insertIgnoringDuplicate(Connection connection, String sql, int shard) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setInt(1, shard);
            insert.executeUpdate();
            commitIfManual(connection);
        } catch (SQLException e) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            // Integrity violation: another process inserted the row first, which is all we wanted.
        }
    }

    static void commitIfManual(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** The headers column: null without headers, else the format in the class comment. */
    static byte[] encodeHeaders(Map<String, byte[]> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        int size = 4;
        byte[][] names = new byte[headers.size()][];
        int i = 0;
        for (Map.Entry<String, byte[]> header : headers.entrySet()) {
            names[i] = header.getKey().getBytes(StandardCharsets.UTF_8);
            size += 8 + names[i].length + (header.getValue() == null ? 0 : header.getValue().length);
            i++;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(headers.size());
        i = 0;
        for (byte[] value : headers.values()) {
            buffer.putInt(names[i].length).put(names[i]);
            if (value == null) {
                buffer.putInt(-1);
            } else {
                buffer.putInt(value.length).put(value);
            }
            i++;
        }
        return buffer.array();
    }

    /** Reads {@link #encodeHeaders}' format back, in the stored order; an empty map for null. */
    static Map<String, byte[]> decodeHeaders(byte[] column) {
        if (column == null) {
            return Map.of();
        }
        ByteBuffer buffer = ByteBuffer.wrap(column);
        int count = buffer.getInt();
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[buffer.getInt()];
            buffer.get(name);
            int valueLength = buffer.getInt();
            byte[] value = null;
            if (valueLength >= 0) {
                value = new byte[valueLength];
                buffer.get(value);
            }
            headers.put(new String(name, StandardCharsets.UTF_8), value);
        }
        return headers;
    }
}
