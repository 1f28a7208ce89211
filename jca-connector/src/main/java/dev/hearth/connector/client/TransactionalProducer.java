package dev.hearth.connector.client;

/**
 * The producer identity of an open transaction that records are sent in: batches carry its producer id,
 * epoch and per-partition sequences and are flagged transactional, and each partition is registered with
 * the transaction before its first write (so that the commit or abort reaches it).
 */
public interface TransactionalProducer {

    long producerId();

    short producerEpoch();

    /** Called once per partition before the first batch goes to it. */
    void beforeFirstWrite(String topic, int partition);

    /** The base sequence for the next {@code count} records to the partition. */
    int nextSequence(String topic, int partition, int count);
}
