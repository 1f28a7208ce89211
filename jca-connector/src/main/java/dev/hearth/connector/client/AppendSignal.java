package dev.hearth.connector.client;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wakes in-process long-polls ({@link MembershipConsumer}) when anything is appended. Coarse on purpose: any
 * append wakes every waiter, which then reads its own partitions; waiters are few (HTTP members), appends
 * many, so the append side is one atomic increment and a volatile read unless someone waits.
 *
 * <p>Usage: {@code long seen = sequence();} then look for data, then {@code awaitAppendAfter(seen, ms)} if
 * there was none; an append between the two is not missed. Thread-safe.
 */
public final class AppendSignal {

    /** Appends since the engine opened. */
    private final AtomicLong sequence = new AtomicLong();
    /** Threads in {@link #awaitAppendAfter}; appends take the monitor only when there are some. */
    private final AtomicInteger waiters = new AtomicInteger();
    private final Object monitor = new Object();

    /** Called after every append, on the appending thread. */
    public void onAppend() {
        sequence.incrementAndGet();
        if (waiters.get() > 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    public long sequence() {
        return sequence.get();
    }

    /** Returns once an append happened after {@code seen} was read, or after {@code timeoutMs}. */
    public void awaitAppendAfter(long seen, long timeoutMs) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000L;
        waiters.incrementAndGet();
        try {
            synchronized (monitor) {
                long remainingMs = timeoutMs;
                while (sequence.get() == seen && remainingMs > 0) {
                    monitor.wait(remainingMs);
                    remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000L;
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }
}
