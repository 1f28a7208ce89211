package dev.hearth.txn;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out producer ids. Starts above every id the log still remembers (partitions keep idempotence state
 * per producer id across restarts, so a reused id would inherit another producer's sequences) and above the
 * start time shifted to leave room for 1,024 ids per millisecond of uptime, so ids stay unique across
 * restarts even if the clock goes back; transactional ids keep theirs in {@code __transaction_state}.
 * Thread-safe.
 */
public final class ProducerIdAllocator {

    private final AtomicLong next;

    /** An allocator for a log whose largest remembered producer id is {@code maxKnownProducerId} (or -1). */
    public ProducerIdAllocator(long maxKnownProducerId) {
        next = new AtomicLong(Math.max(System.currentTimeMillis() << 10, maxKnownProducerId + 1));
    }

    /** An allocator for a log that remembers no producer. */
    public ProducerIdAllocator() {
        this(-1);
    }

    public long next() {
        return next.getAndIncrement();
    }
}
