package dev.hearth.txn;

/**
 * Where a transaction is in its life. PREPARE_COMMIT and PREPARE_ABORT are a durable decision that only
 * needs completing; PREPARED is an XA branch that voted yes and waits for its transaction manager's
 * decision, however long that takes (a restart does not decide it).
 */
public enum TransactionState {
    EMPTY("Empty"),
    ONGOING("Ongoing"),
    /** Kafka has no name for an XA branch awaiting its decision: to Kafka's tools its records are still pending. */
    PREPARED("Ongoing"),
    PREPARE_COMMIT("PrepareCommit"),
    PREPARE_ABORT("PrepareAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    COMPLETE_ABORT("CompleteAbort");

    private final String kafkaName;

    TransactionState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** Kafka's name of the state, as ListTransactions and DescribeTransactions report it ({@code Ongoing}). */
    public String kafkaName() {
        return kafkaName;
    }

    boolean isPrepared() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    boolean isOpen() {
        return this == ONGOING;
    }
}
