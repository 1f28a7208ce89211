package dev.hearth.connector.client;

import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retries an attempt with exponential backoff: at most {@code retries + 1} attempts, pausing between them for the
 * initial backoff, then twice as long each time, never more than {@value #MAX_BACKOFF_MS} ms. When the last attempt
 * also fails, the caller's {@code exhausted} handler decides what the failure comes to (for deliveries: the
 * dead-letter topic, so that one poison record never stalls its partition). The loop ends early, without calling
 * {@code exhausted}, when the owner stops running.
 *
 * <p>Thread-safety: immutable; one instance may run loops on several threads at once, each call is independent.
 */
public final class RetryWithBackoff {

    /** The longest pause between two attempts. */
    public static final long MAX_BACKOFF_MS = 30_000;

    private final int retries;
    private final long initialBackoffMs;
    /** False once the owner stops: no further attempt starts. */
    private final BooleanSupplier running;
    private final Pause pause;

    /** Waits between attempts; returns early when the owner is stopped and wakes it. */
    @FunctionalInterface
    public interface Pause {
        void pause(long millis);
    }

    /**
     * @param retries          attempts after the first one; 0 means one attempt only
     * @param initialBackoffMs the pause after the first failed attempt
     */
    public RetryWithBackoff(int retries, long initialBackoffMs, BooleanSupplier running, Pause pause) {
        this.retries = retries;
        this.initialBackoffMs = initialBackoffMs;
        this.running = running;
        this.pause = pause;
    }

    /**
     * @param attempt   one attempt; its outcome tells whether it failed
     * @param failed    whether an outcome is a failure to retry
     * @param exhausted what the last failed outcome comes to
     * @param stopped   the result when the owner stopped before an attempt succeeded or the retries ran out
     * @return the first outcome that did not fail, or {@code exhausted}'s result, or {@code stopped}
     */
    public <T> T run(Supplier<T> attempt, Predicate<? super T> failed, Function<? super T, ? extends T> exhausted,
                     T stopped) {
        long backoffMs = initialBackoffMs;
        for (int attempts = 0; running.getAsBoolean(); attempts++) {
            T outcome = attempt.get();
            if (!failed.test(outcome)) {
                return outcome;
            }
            if (attempts >= retries) {
                return exhausted.apply(outcome);
            }
            pause.pause(Math.min(backoffMs, MAX_BACKOFF_MS));
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
        return stopped;
    }
}
