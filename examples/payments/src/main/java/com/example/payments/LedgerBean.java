package com.example.payments;

import java.nio.charset.StandardCharsets;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/**
 * Books every record of topic {@code payments} into the ledger. The insert and the record's consumed offset are one
 * JTA transaction: {@code offsetsDataSource} keeps the group's offsets in the same database as the ledger, so each
 * payment is booked exactly once, also across crashes.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "payments"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "payments-ledger"),
        @ActivationConfigProperty(propertyName = "offsetsDataSource",
                propertyValue = "java:global/hearth/jdbc/hearth")})
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class LedgerBean implements HearthRecordListener {

    @PersistenceContext(unitName = "payments")
    EntityManager entityManager;

    @Override
    public void onRecord(HearthRecord record) {
        long amountCents = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8));
        String paymentId = new String(record.key(), StandardCharsets.UTF_8);
        entityManager.persist(new LedgerEntry(record.partition() + "-" + record.offset(), paymentId, amountCents));
    }
}
