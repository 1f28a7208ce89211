package dev.hearth.mdb.orders;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/**
 * A user's transacted message-driven bean writing one JDBC row per record to its XA H2 data source; Hearth keeps
 * the group's consumed offsets in the same database and transaction ({@code offsetsDataSource}). Each record takes
 * the bean at least 5 ms, so that a test can kill the server in the middle of a backlog. No unique constraint on
 * the record's position: a duplicate delivery shows up as a second row.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "orders"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "order-writers"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "2"),
        @ActivationConfigProperty(propertyName = "maxPollRecords", propertyValue = "20"),
        @ActivationConfigProperty(propertyName = "offsetsDataSource", propertyValue = OrdersDatabase.JNDI_NAME)})
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class OrderEntryBean implements HearthRecordListener {

    @Resource(lookup = OrdersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Override
    public void onRecord(HearthRecord record) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO order_entry (entry, record_partition, record_offset) VALUES (?, ?, ?)")) {
            insert.setString(1, new String(record.value(), StandardCharsets.UTF_8));
            insert.setInt(2, record.partition());
            insert.setLong(3, record.offset());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record " + record.topic() + "-" + record.partition() + "@"
                    + record.offset(), e);
        }
        LockSupport.parkNanos(5_000_000L);
    }
}
