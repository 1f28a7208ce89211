package dev.hearth.txn;

/** Where a transaction is in its life; the PREPARE states are the durable commit/abort decision. */
public enum TransactionState {
    EMPTY, ONGOING, PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT, COMPLETE_ABORT;

    boolean isPrepared() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    boolean isOpen() {
        return this == ONGOING;
    }
}
