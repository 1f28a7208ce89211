package dev.hearth.connect.replica;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/**
 * Applies Debezium's change events of {@code public.customers} (JSON without schemas: key {@code {"id":…}}, value
 * {@code {"before":…,"after":…,"source":{"lsn":…},"op":"c|r|u|d"}}) to {@code replica.customers}, in the delivery's
 * JTA transaction, together with the group's consumed offset ({@code offsetsDataSource}): what Hearth delivers
 * reaches the replica exactly once.
 *
 * <p>Debezium itself is at-least-once: after a crash of its worker it emits again the changes after its last
 * flushed source offset. Such an event carries a source LSN at or below the last one applied for its key (the
 * writes to one row are serialized by the row lock, so per key, LSN order is commit order): the bean skips it,
 * and records every event, applied or skipped, in {@code replica.deliveries}. Tombstones (null values) are
 * ignored.
 *
 * <p>One activation ({@code maxConcurrency=1}) on a one-partition topic: deliveries come in offset order.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = CustomerReplicaBean.TOPIC),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "customer-replica"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1"),
        @ActivationConfigProperty(propertyName = "maxPollRecords", propertyValue = "100"),
        @ActivationConfigProperty(propertyName = "offsetsDataSource", propertyValue = ReplicaDatabase.JNDI_NAME)})
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class CustomerReplicaBean implements HearthRecordListener {

    /** Debezium's topic of the table: {@code <topic.prefix>.<schema>.<table>}. */
    public static final String TOPIC = "cdc.public.customers";

    @Resource(lookup = ReplicaDatabase.JNDI_NAME)
    DataSource dataSource;

    @Override
    public void onRecord(HearthRecord record) {
        if (record.value() == null || record.value().length == 0) {
            return;
        }
        JsonObject event = parse(record.value());
        String op = event.getString("op");
        long lsn = event.getJsonObject("source").getJsonNumber("lsn").longValueExact();
        JsonObject row = op.equals("d") ? event.getJsonObject("before") : event.getJsonObject("after");
        long id = parse(record.key()).getJsonNumber("id").longValueExact();
        Integer version = op.equals("d") ? null : row.getInt("version");
        try (Connection connection = dataSource.getConnection()) {
            boolean skipped = !advance(connection, id, lsn);
            if (!skipped) {
                if (op.equals("d")) {
                    execute(connection, "DELETE FROM replica.customers WHERE id = ?", id);
                } else {
                    try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO replica.customers"
                            + " (id, name, email, version) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                            + " name = EXCLUDED.name, email = EXCLUDED.email, version = EXCLUDED.version")) {
                        upsert.setLong(1, id);
                        upsert.setString(2, row.getString("name"));
                        upsert.setString(3, row.getString("email"));
                        upsert.setInt(4, version);
                        upsert.executeUpdate();
                    }
                }
            }
            try (PreparedStatement delivery = connection.prepareStatement("INSERT INTO replica.deliveries"
                    + " (id, lsn, op, version, skipped, record_offset) VALUES (?, ?, ?, ?, ?, ?)")) {
                delivery.setLong(1, id);
                delivery.setLong(2, lsn);
                delivery.setString(3, op);
                if (version == null) {
                    delivery.setNull(4, java.sql.Types.INTEGER);
                } else {
                    delivery.setInt(4, version);
                }
                delivery.setBoolean(5, skipped);
                delivery.setLong(6, record.offset());
                delivery.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not apply " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " (id " + id + ", lsn " + lsn + ")", e);
        }
    }

    /**
     * Moves the key's last applied LSN to {@code lsn} if that is newer, holding the key's row lock until the
     * transaction ends; false (nothing changed) when the event was applied before.
     */
    private static boolean advance(Connection connection, long id, long lsn) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO replica.applied (id, last_lsn)"
                + " VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET last_lsn = EXCLUDED.last_lsn"
                + " WHERE replica.applied.last_lsn < EXCLUDED.last_lsn RETURNING id")) {
            upsert.setLong(1, id);
            upsert.setLong(2, lsn);
            try (ResultSet changed = upsert.executeQuery()) {
                return changed.next();
            }
        }
    }

    private static void execute(Connection connection, String sql, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    private static JsonObject parse(byte[] json) {
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(json))) {
            JsonValue value = reader.readValue();
            return value.asJsonObject();
        }
    }
}
