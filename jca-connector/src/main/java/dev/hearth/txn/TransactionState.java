package dev.hearth.txn;

/**
 * Where a transaction is in its life. PREPARE_COMMIT and PREPARE_ABORT are a durable decision that only
 * needs completing; PREPARED is an XA branch that voted yes and waits for its transaction manager's
 * decision, however long that takes (a restart does not decide it).
 */
public enum TransactionState {
    EMPTY, ONGOING, PREPARED, PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT, COMPLETE_ABORT;

    boolean isPrepared() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    boolean isOpen() {
        return this == ONGOING;
    }
}
