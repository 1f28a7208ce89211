package dev.hearth.engine.internal;

import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Removes the files of deleted segments after a grace period, so that a reader that obtained a view of a
 * segment just before retention removed it can still finish its transfer. Thread-safe; {@link #runDue}
 * is called from the engine's maintenance work.
 */
final class SegmentDeleter {

    private static final Logger LOG = Logger.getLogger(SegmentDeleter.class.getName());

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final LongSupplier clock;
    private final long delayMs;

    SegmentDeleter(LongSupplier clock, long delayMs) {
        this.clock = clock;
        this.delayMs = delayMs;
    }

    void deleteLater(LogSegment segment) {
        pending.add(new Pending(segment, clock.getAsLong() + delayMs));
    }

    /** Deletes the segments whose grace period has passed, or all of them when {@code all}. */
    void runDue(boolean all) {
        long now = clock.getAsLong();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending next = it.next();
            if (all || next.dueMs() <= now) {
                it.remove();
                try {
                    next.segment().closeAndDelete();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "HEARTH-0107 could not delete segment files of base offset "
                            + next.segment().baseOffset() + "; they are removed at next start", e);
                }
            }
        }
    }

    private record Pending(LogSegment segment, long dueMs) {
    }
}
