package dev.hearth.kafka;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Warnings about what clients do wrong (malformed frames, refused connections), written at most once per
 * {@code interval} per kind, with the number of lines left out since the previous one. One client can make
 * any number of these happen; the log must not grow with them (200,000 bad frames once wrote 36 MB of stack
 * traces). A client's mistake is logged without a stack trace (it is not the broker's failure); a request that
 * failed inside the broker ({@link #warn(String, Supplier, Throwable)}) keeps its trace, for the rare line that
 * is written.
 *
 * <p>A kind is the message's stable code ({@code HEARTH-0401}); kinds are a fixed, small set, so the state is
 * bounded. Thread-safe: any thread may report; a kind's window is updated under its own lock.
 */
final class ClientProblemLog {

    static final long DEFAULT_INTERVAL_MS = 10_000;

    private final Logger logger;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    ClientProblemLog(Logger logger) {
        this(logger, DEFAULT_INTERVAL_MS, System::nanoTime);
    }

    /** @param nanoClock monotonic nanoseconds; replaceable for tests */
    ClientProblemLog(Logger logger, long intervalMs, LongSupplier nanoClock) {
        this.logger = logger;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.nanoClock = nanoClock;
    }

    /**
     * Logs {@code kind + " " + message} at WARNING unless a line of this kind was logged less than an interval
     * ago, in which case it is counted; the message is built only when it is written.
     */
    void warn(String kind, Supplier<String> message) {
        warn(kind, message, null);
    }

    /** As {@link #warn(String, Supplier)}, with {@code thrown}'s stack trace on the lines written. */
    void warn(String kind, Supplier<String> message, Throwable thrown) {
        if (!logger.isLoggable(Level.WARNING)) {
            return;
        }
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        long suppressed;
        synchronized (window) {
            long now = nanoClock.getAsLong();
            if (window.everLogged && now - window.lastLoggedNanos < intervalNanos) {
                window.suppressed++;
                return;
            }
            suppressed = window.suppressed;
            window.everLogged = true;
            window.lastLoggedNanos = now;
            window.suppressed = 0;
        }
        String line = kind + " " + message.get();
        if (suppressed > 0) {
            line += " (" + suppressed + " more like this in the previous " + TimeUnit.NANOSECONDS.toSeconds(intervalNanos)
                    + " s not logged)";
        }
        logger.log(Level.WARNING, line, thrown);
    }

    /** Rate-limiting state of one kind; guarded by itself. */
    private static final class Window {
        boolean everLogged;
        long lastLoggedNanos;
        long suppressed;
    }
}
