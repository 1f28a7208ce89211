package dev.hearth.connector.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;

/** The outbox's rows as the writer leaves them in a real H2 database, without a relay. */
class OutboxWriterTest {

    @TempDir
    Path dir;

    private JdbcDataSource dataSource;

    @BeforeEach
    void open() throws SQLException {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("app") + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        OutboxTables.create(dataSource, 4);
    }

    @AfterEach
    void shutdown() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }

    @Test
    void recordsOfAKeyGetConsecutiveSeqsOfOneShardInTheirOrder() throws SQLException {
        OutboxWriter writer = new OutboxWriter(4, () -> 99L);
        List<OutgoingRecord> records = List.of(record("a", "a1"), record("b", "b1"), record("a", "a2"),
                new OutgoingRecord(3, null, bytes("p3"), Map.of(), 7L));
        List<ProduceReceipt> receipts;
        try (Connection connection = transaction()) {
            receipts = writer.append(connection, "t", records);
            writer.append(connection, "t", List.of(record("a", "a3")));
            connection.commit();
        }
        assertEquals(List.of(new ProduceReceipt("t", -1, -1, 99L), new ProduceReceipt("t", -1, -1, 99L),
                        new ProduceReceipt("t", -1, -1, 99L), new ProduceReceipt("t", 3, -1, 7L)), receipts,
                "receipts in the records' order: the partition given or -1, offset -1, the timestamp to be sent");
        Map<Integer, List<String>> rows = rowsByShard();
        int shardOfA = writer.shardOf("t", records.get(0));
        assertEquals(List.of("0:a1", "1:a2", "2:a3"), rows.get(shardOfA).stream().filter(r -> r.contains(":a")).toList(),
                "the records of key a are in one shard, in append order, with consecutive seqs");
        assertEquals(5, rows.values().stream().mapToInt(List::size).sum(), "one row per record");
    }

    @Test
    void aRolledBackAppendLeavesNoRowAndNoGap() throws SQLException {
        OutboxWriter writer = new OutboxWriter(4);
        try (Connection connection = transaction()) {
            writer.append(connection, "t", List.of(record("a", "rolled-back")));
            connection.rollback();
        }
        try (Connection connection = transaction()) {
            writer.append(connection, "t", List.of(record("a", "committed")));
            connection.commit();
        }
        assertEquals(List.of("0:committed"), rowsByShard().get(writer.shardOf("t", record("a", "x"))),
                "the rolled-back append released its seq with its counter update");
    }

    @Test
    void createIsIdempotentAndAddsTheRowsOfNewShards() throws SQLException {
        OutboxTables.create(dataSource, 4);
        OutboxTables.create(dataSource, 6);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet counts = statement.executeQuery("SELECT (SELECT COUNT(*) FROM " + OutboxTables.SHARDS
                     + "), (SELECT COUNT(*) FROM " + OutboxTables.LEASES + ")")) {
            counts.next();
            assertEquals(6, counts.getInt(1), "one counter row per shard, none twice");
            assertEquals(6, counts.getInt(2), "one lease row per shard, none twice");
        }
    }

    @Test
    void headersSurviveTheirColumnInOrderWithNullValues() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("z", bytes("last-name-first"));
        headers.put("empty", new byte[0]);
        headers.put("null", null);
        headers.put("ünïcode", bytes("v"));
        Map<String, byte[]> decoded = OutboxTables.decodeHeaders(OutboxTables.encodeHeaders(headers));
        assertEquals(List.copyOf(headers.keySet()), List.copyOf(decoded.keySet()), "names in their order");
        assertArrayEquals(bytes("last-name-first"), decoded.get("z"), "a value");
        assertArrayEquals(new byte[0], decoded.get("empty"), "an empty value stays empty");
        assertNull(decoded.get("null"), "a null value stays null");
        assertNull(OutboxTables.encodeHeaders(Map.of()), "no headers, no column value");
        assertEquals(Map.of(), OutboxTables.decodeHeaders(null), "and back");
    }

    private Connection transaction() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    /** Each shard's rows as "seq:value", in seq order. */
    private Map<Integer, List<String>> rowsByShard() throws SQLException {
        Map<Integer, List<String>> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT shard, seq, record_value FROM "
                     + OutboxTables.RECORDS + " ORDER BY shard, seq");
             ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.computeIfAbsent(result.getInt(1), s -> new ArrayList<>())
                        .add(result.getLong(2) + ":" + new String(result.getBytes(3), StandardCharsets.UTF_8));
            }
        }
        return rows;
    }

    private static OutgoingRecord record(String key, String value) {
        return OutgoingRecord.of(bytes(key), bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
