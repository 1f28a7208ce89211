package dev.hearth.mdb;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/**
 * Transacted delivery: the JPA insert and the record's offset commit are one JTA transaction, in which Hearth keeps
 * the group's consumed offsets in the same database ({@code offsetsDataSource}) as the row. Records whose
 * value starts with "fail-once" throw after inserting on their first attempt, so that transaction must roll
 * back (row and offset) and the record come again. Records starting with "slow" take 5 ms, so that a test
 * can kill the server in the middle of a backlog.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "hearth-connector"),
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "mdb-ledger"),
        @ActivationConfigProperty(propertyName = "groupId", propertyValue = "mdb-ledger-writers"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "2"),
        @ActivationConfigProperty(propertyName = "retries", propertyValue = "5"),
        @ActivationConfigProperty(propertyName = "retryBackoffMs", propertyValue = "10"),
        @ActivationConfigProperty(propertyName = "maxPollRecords", propertyValue = "20"),
        @ActivationConfigProperty(propertyName = "offsetsDataSource", propertyValue = "java:app/jdbc/hearth")})
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class LedgerBean implements HearthRecordListener {

    @PersistenceContext(unitName = "ledger")
    EntityManager entityManager;

    @Override
    public void onRecord(HearthRecord record) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        int attempt = Deliveries.attempt(value);
        entityManager.persist(new LedgerEntry(value, record.partition(), record.offset()));
        entityManager.flush();
        if (value.startsWith("fail-once") && attempt == 1) {
            throw new IllegalStateException("first attempt of " + value + " fails after its insert");
        }
        if (value.startsWith("slow")) {
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
