package dev.hearth.bench;

import java.util.List;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import dev.hearth.connector.api.HearthBatchListener;
import dev.hearth.connector.api.HearthRecord;

/** Batch delivery, not transacted. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "${MPCONFIG=bench.batch.topic}"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "bench-batch"),
        @ActivationConfigProperty(propertyName = "maxPollRecords", propertyValue = "2000"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "${MPCONFIG=bench.concurrency}")})
@TransactionManagement(TransactionManagementType.BEAN)
public class BenchBatchBean implements HearthBatchListener {

    @Override
    public void onRecords(List<HearthRecord> records) {
        DeliveryClock.delivered(records.size());
    }
}
