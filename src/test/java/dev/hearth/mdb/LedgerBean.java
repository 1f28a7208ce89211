package dev.hearth.mdb;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/**
 * Transacted delivery: the database insert and the record's offset commit are one JTA transaction.
 * "fail-once" records throw after inserting on their first attempt, so that transaction must roll back.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "mdb-ledger"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "mdb-ledger-writers"),
        @ActivationConfigProperty(propertyName = "retries", propertyValue = "5"),
        @ActivationConfigProperty(propertyName = "retryBackoffMs", propertyValue = "10")})
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class LedgerBean implements HearthRecordListener {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Override
    public void onRecord(HearthRecord record) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        int attempt = Deliveries.attempt(value);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger (entry, record_offset) VALUES (?, ?)")) {
            insert.setString(1, value);
            insert.setLong(2, record.offset());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("ledger insert failed", e);
        }
        if (value.startsWith("fail-once") && attempt == 1) {
            throw new IllegalStateException("first attempt of " + value + " fails after its insert");
        }
    }
}
