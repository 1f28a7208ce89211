package dev.hearth.mdb;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/** Shares the consumer group "shared-group" with a plain Kafka consumer in the test. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "mdb-shared"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "shared-group"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")})
@TransactionManagement(TransactionManagementType.BEAN)
public class SharedGroupBean implements HearthRecordListener {

    @Override
    public void onRecord(HearthRecord record) {
        Deliveries.received("shared", record);
    }
}
