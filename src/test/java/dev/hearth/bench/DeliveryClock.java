package dev.hearth.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Times a benchmark's deliveries inside the server: logs when the first record arrives and when the expected
 * number ({@code bench.records}) has arrived, so the benchmark measures delivery alone, not the server's boot.
 */
public final class DeliveryClock {

    private static final Logger LOG = Logger.getLogger(DeliveryClock.class.getName());
    private static final long EXPECTED = Long.getLong("bench.records", Long.MAX_VALUE);
    private static final AtomicLong DELIVERED = new AtomicLong();
    private static volatile long firstNanos;

    private DeliveryClock() {
    }

    static void delivered(int records) {
        long before = DELIVERED.getAndAdd(records);
        if (before == 0) {
            firstNanos = System.nanoTime();
            LOG.info("BENCH first delivery");
        }
        if (before < EXPECTED && before + records >= EXPECTED) {
            long elapsedNanos = System.nanoTime() - firstNanos;
            LOG.info("BENCH delivered " + (before + records) + " records in " + elapsedNanos + " ns");
        }
    }
}
