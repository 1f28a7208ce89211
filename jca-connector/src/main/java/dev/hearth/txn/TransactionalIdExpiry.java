package dev.hearth.txn;

/**
 * How long a {@link TransactionCoordinator} keeps a transactional id with nothing open or prepared after its state
 * was last written: Kafka's {@code transactional.id.expiration.ms} ({@code defaultMs}) for every id, except ids that
 * start with {@code singleUsePrefix} (null: none), kept {@code singleUseMs}. Those are ids registered once and never
 * again, such as an XA branch's {@code xa:<xid>}: after its transaction completed, such an id only answers a
 * transaction manager that repeats its commit or rollback, so keeping it for days would let one id per transaction
 * accumulate (in memory and in {@code __transaction_state}) on a busy server.
 *
 * @param defaultMs       {@code transactional.id.expiration.ms}, positive
 * @param singleUsePrefix the prefix of single-use ids, or null
 * @param singleUseMs     how long a single-use id is kept once idle, positive when a prefix is given
 */
public record TransactionalIdExpiry(long defaultMs, String singleUsePrefix, long singleUseMs) {

    /** Kafka's default: 7 days, for every id. */
    public static final TransactionalIdExpiry KAFKA_DEFAULT =
            new TransactionalIdExpiry(7L * 24 * 60 * 60 * 1000, null, 0);

    public TransactionalIdExpiry {
        if (defaultMs < 1 || (singleUsePrefix != null && singleUseMs < 1)) {
            throw new IllegalArgumentException("transactional id expiration times must be positive");
        }
    }

    /** Kafka's default for every id, and {@code singleUseMs} for those starting with {@code singleUsePrefix}. */
    public TransactionalIdExpiry withSingleUse(String prefix, long ms) {
        return new TransactionalIdExpiry(defaultMs, prefix, ms);
    }

    /** How long {@code transactionalId} is kept once idle, in ms. */
    long of(String transactionalId) {
        return singleUsePrefix != null && transactionalId.startsWith(singleUsePrefix) ? singleUseMs : defaultMs;
    }
}
