package dev.hearth.connector.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The one retry loop of in-process delivery: attempts, doubling pauses with a cap, exhaustion and stop. */
class RetryWithBackoffTest {

    private final List<Long> pauses = new ArrayList<>();

    @Test
    void aSucceedingAttemptIsNotRetried() {
        RetryWithBackoff retry = new RetryWithBackoff(3, 100, () -> true, pauses::add);
        assertEquals("ok", retry.run(() -> "ok", "failed"::equals, failed -> "dead", "stopped"));
        assertEquals(List.of(), pauses, "no pause without a failure");
    }

    @Test
    void failuresAreRetriedWithDoublingPausesThenExhausted() {
        AtomicInteger attempts = new AtomicInteger();
        RetryWithBackoff retry = new RetryWithBackoff(3, 100, () -> true, pauses::add);
        String result = retry.run(() -> "failed-" + attempts.incrementAndGet(), outcome -> outcome.startsWith("failed"),
                failed -> "dead after " + failed, "stopped");
        assertEquals("dead after failed-4", result, "retries + 1 attempts, then the exhausted handler gets the last one");
        assertEquals(List.of(100L, 200L, 400L), pauses, "the pause doubles between attempts");
    }

    @Test
    void thePauseIsCappedAndZeroRetriesMeansOneAttempt() {
        RetryWithBackoff capped = new RetryWithBackoff(3, 20_000, () -> true, pauses::add);
        capped.run(() -> "failed", "failed"::equals, failed -> "dead", "stopped");
        assertEquals(List.of(20_000L, RetryWithBackoff.MAX_BACKOFF_MS, RetryWithBackoff.MAX_BACKOFF_MS), pauses,
                "no pause is longer than the cap");

        AtomicInteger attempts = new AtomicInteger();
        new RetryWithBackoff(0, 100, () -> true, pauses::add)
                .run(() -> "failed-" + attempts.incrementAndGet(), outcome -> true, failed -> "dead", "stopped");
        assertEquals(1, attempts.get(), "retries=0 is a single attempt");
    }

    @Test
    void aStoppedOwnerEndsTheLoopWithoutExhausting() {
        AtomicInteger attempts = new AtomicInteger();
        RetryWithBackoff retry = new RetryWithBackoff(10, 100, () -> attempts.get() < 2, pauses::add);
        String result = retry.run(() -> "failed-" + attempts.incrementAndGet(), outcome -> true, failed -> "dead",
                "stopped");
        assertEquals("stopped", result, "a stop is not a dead letter");
        assertEquals(2, attempts.get(), "no attempt starts after the stop");
    }
}
