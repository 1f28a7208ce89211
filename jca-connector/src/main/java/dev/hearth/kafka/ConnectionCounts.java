package dev.hearth.kafka;

import java.util.concurrent.atomic.LongAdder;

/**
 * The Kafka listener's connections for metrics: accepted and closed since it started (open is their difference)
 * and refused by {@link ConnectionQuotas}, per quota. Thread-safety: counters are {@link LongAdder}s, written by
 * every network thread and read by a scrape without stopping them (open may be off by a connection in flight).
 */
public final class ConnectionCounts {

    /** Which quota refused a connection. */
    public enum Refusal {
        /** {@code max.connections}: the broker's total. */
        MAX_CONNECTIONS,
        /** {@code max.connections.per.ip}. */
        MAX_CONNECTIONS_PER_IP
    }

    private final LongAdder accepted = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder[] refused = {new LongAdder(), new LongAdder()};

    void accepted() {
        accepted.increment();
    }

    void closed() {
        closed.increment();
    }

    void refused(Refusal quota) {
        refused[quota.ordinal()].increment();
    }

    /** Connections admitted past the quotas since the listener started. */
    public long acceptedTotal() {
        return accepted.sum();
    }

    /** Admitted connections open now. */
    public long open() {
        return Math.max(0, accepted.sum() - closed.sum());
    }

    /** Connections refused by {@code quota} since the listener started. */
    public long refusedTotal(Refusal quota) {
        return refused[quota.ordinal()].sum();
    }
}
