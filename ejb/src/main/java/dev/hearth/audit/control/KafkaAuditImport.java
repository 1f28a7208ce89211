package dev.hearth.audit.control;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.audit.entity.AuditEntry;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.platform.control.LogConnections;

/**
 * Copies the changes made through the Kafka protocol into the audit trail, every second: the resource adapter
 * (which has no database) appends each one to its internal topic {@value KafkaAuditRecords#TOPIC} before answering
 * the request; this bean reads that topic through the connection API from the offset after the last one copied and
 * stores each record as an {@link AuditEntry} with its offset ({@link AuditTrail#recordFromKafka}), one transaction
 * per batch.
 *
 * <p>Exactly once: the offsets are stored with the entries, in the same transaction, in a unique column, and the
 * copy resumes after the highest one. A crash before the commit leaves the batch to the next run; a crash after
 * it leaves nothing to repeat; two servers copying at once cannot both commit one offset (the loser's batch rolls
 * back and its next run starts after the winner's).
 *
 * <p>Until the first Kafka-side change the topic does not exist, which is not a failure. Other failures are logged
 * (HEARTH-0830) and retried on the next run; a record that cannot be parsed is stored as
 * {@code UNREADABLE_KAFKA_RECORD} with its raw value (HEARTH-0831), never skipped.
 *
 * <p>Thread-safety: container-managed write lock; runs never overlap. Not transactional itself: the log is read
 * outside any transaction, the entries are written in {@link AuditTrail}'s own.
 */
@Singleton
@Startup
@DependsOn("HearthDatabase")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class KafkaAuditImport {

    private static final Logger LOG = Logger.getLogger(KafkaAuditImport.class.getName());
    /** Records per transaction. */
    static final int BATCH_RECORDS = 500;
    static final int BATCH_BYTES = 1 << 20;

    @Inject
    LogConnections connections;

    @EJB
    AuditTrail trail;

    /** Whether the last run failed, so that a lasting failure is logged once, not every second. */
    private boolean failing;

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false)
    void copyEverySecond() {
        try {
            int copied;
            do {
                copied = copyNextBatch();
            } while (copied == BATCH_RECORDS);
            if (failing) {
                LOG.info("HEARTH-0832 Copying Kafka-side audit records works again");
                failing = false;
            }
        } catch (HearthConnectionException e) {
            if (e.error() == HearthError.UNKNOWN_TOPIC_OR_PARTITION) {
                return; // no change was made through the Kafka protocol yet
            }
            failed(e);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * Copies the records after the last one copied, at most {@value #BATCH_RECORDS}, in one transaction.
     *
     * @return how many were copied
     */
    int copyNextBatch() {
        long next = trail.lastKafkaOffset() + 1;
        List<HearthRecord> records = connections.apply(
                connection -> connection.read(KafkaAuditRecords.TOPIC, 0, next, BATCH_RECORDS, BATCH_BYTES));
        if (records.isEmpty()) {
            return 0;
        }
        List<AuditEntry> entries = new ArrayList<>(records.size());
        for (HearthRecord record : records) {
            AuditEntry entry = KafkaAuditRecords.toEntry(record);
            if (KafkaAuditRecords.UNREADABLE.equals(entry.action())) {
                LOG.warning(() -> "HEARTH-0831 Record " + record.offset() + " of " + KafkaAuditRecords.TOPIC
                        + " is not an audit record; stored as " + KafkaAuditRecords.UNREADABLE + " with its raw value");
            }
            entries.add(entry);
        }
        trail.recordFromKafka(entries);
        return entries.size();
    }

    private void failed(RuntimeException e) {
        if (!failing) {
            LOG.log(Level.WARNING, "HEARTH-0830 Cannot copy Kafka-side audit records from " + KafkaAuditRecords.TOPIC
                    + " into the audit trail yet (" + e + "); retrying every second", e);
            failing = true;
        }
    }
}
