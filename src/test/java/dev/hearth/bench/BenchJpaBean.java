package dev.hearth.bench;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/**
 * Transacted per-record delivery: one JPA insert and the offset commit in one JTA transaction per record, the group's
 * offsets kept in the same database as the row ({@code offsetsDataSource}, Hearth's data source, which the
 * persistence unit writes to): exactly-once on either backend. The default {@code ordering=partition} lets the
 * table keep one offset per partition with {@code maxConcurrency} above 1.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "${MPCONFIG=bench.jpa.topic}"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "bench-jpa"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "${MPCONFIG=bench.concurrency}"),
        @ActivationConfigProperty(propertyName = "offsetsDataSource", propertyValue = "java:app/jdbc/hearth")})
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
