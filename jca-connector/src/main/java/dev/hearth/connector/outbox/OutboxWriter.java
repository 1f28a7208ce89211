package dev.hearth.connector.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;

/**
 * Appends records to the outbox ({@link OutboxTables}) on the caller's connection, inside the caller's transaction:
 * they are published by the shard's {@link OutboxRelay} once, and only if, that transaction commits.
 *
 * <p>Shard of a record: with a key, a hash of (topic, key), so all records of a key are in one shard and keep their
 * order; without a key but with a partition, a hash of (topic, partition), so that order is kept too; with neither,
 * a hash of the topic alone. The hash is {@code String.hashCode} and {@code Arrays.hashCode(byte[])}, both fixed by
 * the Java specification, so every process and version agrees.
 *
 * <p>Sequence numbers: the shard's counter row is raised by the number of records ({@code UPDATE ... SET next_seq =
 * next_seq + n}), which locks it until the caller's transaction ends; another append to that shard waits for the
 * lock. Hence seqs of a shard become visible in seq order, which the relay relies on. The cost: appends to one
 * shard are serialised for the duration of their transactions (more shards, more parallelism), so the database's
 * lock timeout must exceed the longest such transaction (H2's default {@code LOCK_TIMEOUT} is 1 s). The caller's
 * transaction must run at READ COMMITTED, the default of H2 and PostgreSQL: at REPEATABLE READ PostgreSQL refuses
 * the second of two concurrent appends to a shard (a serialization failure). An append locks its shards in
 * ascending order; a transaction that appends several times can still deadlock with another one, and the
 * database then rolls one of them back.
 *
 * <p>Thread-safety: immutable and thread-safe; the connection is used by the calling thread only, and is neither
 * committed nor closed.
 */
public final class OutboxWriter {

    private static final String RAISE = "UPDATE " + OutboxTables.SHARDS + " SET next_seq = next_seq + ? WHERE shard = ?";
    private static final String READ = "SELECT next_seq FROM " + OutboxTables.SHARDS + " WHERE shard = ?";
    private static final String INSERT = "INSERT INTO " + OutboxTables.RECORDS
            + " (shard, seq, topic_name, partition_id, record_key, record_value, headers, timestamp_ms)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final int shards;
    /** Epoch millis for records without a timestamp. */
    private final LongSupplier clock;

    /** @param shards the outbox's {@link OutboxConfig#shards()}, the same in every writer and relay */
    public OutboxWriter(int shards) {
        this(shards, System::currentTimeMillis);
    }

    OutboxWriter(int shards, LongSupplier clock) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be positive, not " + shards);
        }
        this.shards = shards;
        this.clock = clock;
    }

    /**
     * Writes the records to the outbox on {@code connection}, which the caller got inside its transaction (from a
     * JTA data source: enlisted; else with auto-commit off) and commits or rolls back itself. The tables must exist
     * (created by {@link OutboxRelays#start}).
     *
     * @return one receipt per record, in order: the topic; the partition given, or -1 when the producer will choose
     * it; offset -1, as the offset is known only once a relay has published the record, after the commit; the
     * timestamp the record will carry (the one given, or this append's clock) — unless the topic uses
     * LogAppendTime
     * @throws SQLException as the database reports it; the caller's transaction should then roll back
     * @throws IllegalStateException if a shard has no counter row (the tables were created for fewer shards)
     */
    public List<ProduceReceipt> append(Connection connection, String topic, List<OutgoingRecord> records)
            throws SQLException {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("A topic is needed");
        }
        int count = records.size();
        int[] shardOf = new int[count];
        int[] perShard = new int[shards];
        for (int i = 0; i < count; i++) {
            shardOf[i] = shardOf(topic, records.get(i));
            perShard[shardOf[i]]++;
        }
        long now = clock.getAsLong();
        ProduceReceipt[] receipts = new ProduceReceipt[count];
        try (PreparedStatement raise = connection.prepareStatement(RAISE);
             PreparedStatement read = connection.prepareStatement(READ);
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (int shard = 0; shard < shards; shard++) {
                if (perShard[shard] == 0) {
                    continue;
                }
                long seq = allocate(raise, read, shard, perShard[shard]);
                for (int i = 0; i < count; i++) {
                    if (shardOf[i] == shard) {
                        OutgoingRecord record = records.get(i);
                        long timestampMs = record.timestamp() == null ? now : record.timestamp();
                        bind(insert, shard, seq++, topic, record, timestampMs);
                        insert.addBatch();
                        receipts[i] = new ProduceReceipt(topic,
                                record.partition() == null ? -1 : record.partition(), -1, timestampMs);
                    }
                }
                insert.executeBatch();
            }
        }
        return List.of(receipts);
    }

    /** Raises the shard's counter by {@code n} under its row lock; returns the first of the n seqs. */
    private static long allocate(PreparedStatement raise, PreparedStatement read, int shard, int n)
            throws SQLException {
        raise.setInt(1, n);
        raise.setInt(2, shard);
        if (raise.executeUpdate() != 1) {
            throw new IllegalStateException("The outbox has no counter row for shard " + shard
                    + ": its tables were created for fewer shards than configured");
        }
        read.setInt(1, shard);
        try (ResultSet row = read.executeQuery()) {
            row.next();
            return row.getLong(1) - n;
        }
    }

    private static void bind(PreparedStatement insert, int shard, long seq, String topic, OutgoingRecord record,
                             long timestampMs) throws SQLException {
        insert.setInt(1, shard);
        insert.setLong(2, seq);
        insert.setString(3, topic);
        if (record.partition() == null) {
            insert.setNull(4, Types.INTEGER);
        } else {
            insert.setInt(4, record.partition());
        }
        setBytes(insert, 5, record.key());
        setBytes(insert, 6, record.value());
        setBytes(insert, 7, OutboxTables.encodeHeaders(record.headers()));
        insert.setLong(8, timestampMs);
    }

    private static void setBytes(PreparedStatement statement, int index, byte[] bytes) throws SQLException {
        if (bytes == null) {
            statement.setNull(index, Types.VARBINARY);
        } else {
            statement.setBytes(index, bytes);
        }
    }

    int shardOf(String topic, OutgoingRecord record) {
        int hash = topic.hashCode();
        if (record.key() != null) {
            hash = 31 * hash + Arrays.hashCode(record.key());
        } else if (record.partition() != null) {
            hash = 31 * hash + record.partition();
        }
        return Math.floorMod(hash, shards);
    }
}
