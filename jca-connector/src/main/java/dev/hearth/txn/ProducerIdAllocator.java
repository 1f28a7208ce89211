package dev.hearth.txn;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out producer ids. Seeded with the start time (shifted to leave room for 1,024 ids per
 * millisecond of uptime), so ids stay unique across restarts as long as the clock does not go back;
 * transactional ids keep theirs in {@code __transaction_state}. Thread-safe.
 */
public final class ProducerIdAllocator {

    private final AtomicLong next = new AtomicLong(System.currentTimeMillis() << 10);

    public long next() {
        return next.getAndIncrement();
    }
}
