package dev.hearth.security.control;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Makes guessing passwords slow for the guesser and free for the server: after {@link #FREE_FAILURES} failed
 * logins from one source (client address), that source must wait before its next attempt is even looked at:
 * 1 s, then twice as long after each further failure, at most {@link #MAX_WAIT_MS}. An attempt inside the wait is
 * refused at once (HTTP 429 with Retry-After): no password check, no thread held asleep. A success clears the
 * source.
 *
 * <p>Memory is bounded: at most {@link #MAX_SOURCES} sources are tracked; when that many are, those whose wait
 * ended long ago are dropped, and if none can be, further sources share one entry, so that many addresses
 * together are throttled as one.
 *
 * <p>Thread-safety: a concurrent map of immutable per-source states, updated atomically.
 */
public final class LoginThrottle {

    public static final int FREE_FAILURES = 5;
    public static final long FIRST_WAIT_MS = 1_000;
    public static final long MAX_WAIT_MS = 60_000;
    static final int MAX_SOURCES = 10_000;
    /** A source whose last failure and wait ended this long ago is forgotten when room is needed. */
    private static final long FORGET_AFTER_MS = 10 * 60_000;
    static final String OVERFLOW = "*";

    private final LongSupplier clockMs;
    private final ConcurrentHashMap<String, Failures> sources = new ConcurrentHashMap<>();

    /** Failed attempts since the last success, the last one's time and until when the source must wait (epoch ms). */
    private record Failures(int count, long lastFailureMs, long waitUntilMs) {
    }

    public LoginThrottle() {
        this(System::currentTimeMillis);
    }

    /** @param clockMs wall-clock milliseconds; replaceable for tests */
    public LoginThrottle(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /** Milliseconds {@code source} must still wait before an attempt is checked, or empty if it may try now. */
    public OptionalLong waitMs(String source) {
        Failures failures = sources.get(key(source));
        long remaining = failures == null ? 0 : failures.waitUntilMs() - clockMs.getAsLong();
        return remaining > 0 ? OptionalLong.of(remaining) : OptionalLong.empty();
    }

    public void onFailure(String source) {
        long now = clockMs.getAsLong();
        String key = key(source);
        if (!sources.containsKey(key) && sources.size() >= MAX_SOURCES) {
            forgetStale(now);
            if (sources.size() >= MAX_SOURCES) {
                key = OVERFLOW;
            }
        }
        sources.merge(key, new Failures(1, now, 0), (old, one) -> {
            int count = old.count() + 1;
            if (count <= FREE_FAILURES) {
                return new Failures(count, now, 0);
            }
            long waitMs = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS << Math.min(16, count - FREE_FAILURES - 1));
            return new Failures(count, now, now + waitMs);
        });
    }

    public void onSuccess(String source) {
        sources.remove(source);
    }

    /** Sources tracked now (for tests). */
    int trackedSources() {
        return sources.size();
    }

    private String key(String source) {
        return sources.containsKey(source) || sources.size() < MAX_SOURCES ? source : OVERFLOW;
    }

    private void forgetStale(long now) {
        for (Map.Entry<String, Failures> entry : sources.entrySet()) {
            Failures failures = entry.getValue();
            if (now - Math.max(failures.lastFailureMs(), failures.waitUntilMs()) > FORGET_AFTER_MS) {
                sources.remove(entry.getKey(), entry.getValue());
            }
        }
    }
}
