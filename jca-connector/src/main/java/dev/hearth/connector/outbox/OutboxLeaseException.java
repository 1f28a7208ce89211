package dev.hearth.connector.outbox;

/**
 * A relay does not hold its shard's lease: another instance holds it (at start), or took it over (later). Not an
 * error: the relay stops, and its runner tries again once the lease may have expired.
 */
public final class OutboxLeaseException extends RuntimeException {

    private final int shard;

    OutboxLeaseException(int shard, String message) {
        super(message);
        this.shard = shard;
    }

    public int shard() {
        return shard;
    }
}
