package dev.hearth.bench;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/** Per-record delivery, not transacted: the adapter's own cost per record. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "${MPCONFIG=bench.record.topic}"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "bench-record"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "${MPCONFIG=bench.concurrency}")})
@TransactionManagement(TransactionManagementType.BEAN)
public class BenchRecordBean implements HearthRecordListener {

    @Override
    public void onRecord(HearthRecord record) {
        DeliveryClock.delivered(1);
    }
}
