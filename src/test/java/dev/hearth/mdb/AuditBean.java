package dev.hearth.mdb;

import java.nio.charset.StandardCharsets;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/** A non-transacted bean on a topic that does not exist at deployment; "poison" records always fail. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "mdb-orders"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "mdb-audit"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "3"),
        @ActivationConfigProperty(propertyName = "retries", propertyValue = "2"),
        @ActivationConfigProperty(propertyName = "retryBackoffMs", propertyValue = "10"),
        @ActivationConfigProperty(propertyName = "deadLetterTopic", propertyValue = "mdb-orders-dlt")})
@TransactionManagement(TransactionManagementType.BEAN)
public class AuditBean implements HearthRecordListener {

    @Override
    public void onRecord(HearthRecord record) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        Deliveries.attempt(value);
        if (value.startsWith("poison")) {
            throw new IllegalArgumentException("cannot audit " + value);
        }
        Deliveries.received("audit", record);
    }
}
