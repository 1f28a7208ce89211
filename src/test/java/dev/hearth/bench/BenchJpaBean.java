package dev.hearth.bench;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/** Transacted per-record delivery: one JPA insert and the offset commit in one JTA transaction per record. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "${MPCONFIG=bench.jpa.topic}"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "bench-jpa"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "${MPCONFIG=bench.concurrency}")})
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class BenchJpaBean implements HearthRecordListener {

    @PersistenceContext(unitName = "bench")
    EntityManager entityManager;

    @Override
    public void onRecord(HearthRecord record) {
        entityManager.persist(new BenchRow(record.partition(), record.offset(), record.value()));
        DeliveryClock.delivered(1);
    }
}
