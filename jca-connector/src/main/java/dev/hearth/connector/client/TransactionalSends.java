package dev.hearth.connector.client;

import java.util.List;

import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;

/**
 * Sends that join the caller's JTA transaction on a backend whose log has no prepare phase (a Kafka cluster): the
 * records are written in that transaction to an outbox in a database, and published after it commits. On the
 * embedded engine a send joins the transaction as an XA branch of the engine instead, and there is none of these.
 *
 * <p>Thread-safety: called on the application's thread, the one that runs its transaction.
 */
public interface TransactionalSends {

    /** Whether the calling thread runs in an active JTA transaction. */
    boolean inTransaction();

    /**
     * Writes the records to the outbox in the calling thread's transaction.
     *
     * @return receipts with the partition if given (else -1) and offset -1: the offset exists only once the record
     *         is published, after the commit
     */
    List<ProduceReceipt> send(String topic, List<OutgoingRecord> records);
}
