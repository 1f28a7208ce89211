package dev.hearth.mdb;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/** ordering=key with four lanes: per-key order, keys in parallel. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "mdb-keys"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "mdb-key-ordered"),
        @ActivationConfigProperty(propertyName = "ordering", propertyValue = "key"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")})
@TransactionManagement(TransactionManagementType.BEAN)
public class KeyOrderedBean implements HearthRecordListener {

    @Override
    public void onRecord(HearthRecord record) {
        Deliveries.received("keys", record);
    }
}
