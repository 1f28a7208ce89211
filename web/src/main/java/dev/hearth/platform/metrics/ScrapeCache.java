package dev.hearth.platform.metrics;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.hearth.connector.api.HearthConnectionException;

/**
 * The figures last read from the adapter for {@code /metrics}: scrapes close together (or concurrent ones) are
 * served from one read, repeated at most once per {@code maxAgeNanos}. While the adapter is unreachable the last
 * figures are served (readiness reports the adapter's state). Thread-safety: a fresh value is read from a volatile
 * without locking; a re-read happens under this object's monitor, once for all waiting scrapes.
 *
 * @param <S> an immutable snapshot
 */
final class ScrapeCache<S> {

    private static final Logger LOG = Logger.getLogger(ScrapeCache.class.getName());

    private final long maxAgeNanos;
    private final Supplier<S> reader;
    private volatile S value;
    /** When {@link #value} was read; meaningless until {@link #read} is true. */
    private volatile long readAtNanos;
    private volatile boolean read;

    /**
     * @param empty  served until the first successful read
     * @param reader reads a snapshot from the adapter
     */
    ScrapeCache(S empty, long maxAgeNanos, Supplier<S> reader) {
        this.value = empty;
        this.maxAgeNanos = maxAgeNanos;
        this.reader = reader;
    }

    /** The snapshot, re-read first when it is older than the maximum age. */
    S current() {
        S last = value;
        return fresh() ? last : refresh();
    }

    synchronized S refresh() {
        if (fresh()) {
            return value;
        }
        try {
            S next = reader.get();
            value = next;
            readAtNanos = System.nanoTime();
            read = true;
        } catch (HearthConnectionException e) {
            LOG.log(Level.FINE, "Hearth adapter unreachable for metrics; serving the last figures", e);
        }
        return value;
    }

    private boolean fresh() {
        return read && System.nanoTime() - readAtNanos < maxAgeNanos;
    }
}
