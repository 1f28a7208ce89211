package dev.hearth.mdb;

import java.util.List;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import dev.hearth.connector.api.HearthBatchListener;
import dev.hearth.connector.api.HearthRecord;

/** Takes records in batches of at most 25. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "mdb-batches"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "mdb-batchers"),
        @ActivationConfigProperty(propertyName = "maxPollRecords", propertyValue = "25")})
@TransactionManagement(TransactionManagementType.BEAN)
public class BatchBean implements HearthBatchListener {

    @Override
    public void onRecords(List<HearthRecord> records) {
        Deliveries.batchSizes.add(records.size());
        records.forEach(record -> Deliveries.received("batch", record));
    }
}
