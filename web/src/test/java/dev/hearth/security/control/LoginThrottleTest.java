package dev.hearth.security.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Waits that grow per source after a few failures, cleared by a success, in bounded memory. */
class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(now::get);

    @Test
    void aSourcePastTheFreeFailuresWaitsLongerAfterEachUpToAMinute() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(OptionalLong.empty(), throttle.waitMs("10.0.0.1"), "the first failures cost nothing");
            throttle.onFailure("10.0.0.1");
        }
        assertEquals(OptionalLong.empty(), throttle.waitMs("10.0.0.1"), "five failures are free");
        throttle.onFailure("10.0.0.1");
        assertEquals(OptionalLong.of(1_000), throttle.waitMs("10.0.0.1"), "the sixth imposes a 1 s wait");
        assertEquals(OptionalLong.empty(), throttle.waitMs("10.0.0.2"), "other sources are not affected");
        now.addAndGet(1_000);
        throttle.onFailure("10.0.0.1");
        assertEquals(OptionalLong.of(2_000), throttle.waitMs("10.0.0.1"), "each further failure doubles the wait");
        for (int i = 0; i < 20; i++) {
            throttle.onFailure("10.0.0.1");
        }
        assertEquals(OptionalLong.of(LoginThrottle.MAX_WAIT_MS), throttle.waitMs("10.0.0.1"), "at most a minute");
        throttle.onSuccess("10.0.0.1");
        assertEquals(OptionalLong.empty(), throttle.waitMs("10.0.0.1"), "a success clears the source");
    }

    @Test
    void manySourcesAreBoundedAndThrottledTogetherBeyondTheLimit() {
        for (int i = 0; i < LoginThrottle.MAX_SOURCES + 5_000; i++) {
            throttle.onFailure("source-" + i);
        }
        assertTrue(throttle.trackedSources() <= LoginThrottle.MAX_SOURCES + 1, "memory is bounded: "
                + throttle.trackedSources() + " sources");
        assertTrue(throttle.waitMs("another-new-source").isPresent(),
                "beyond the limit, new sources share one entry, which 5,000 failures have throttled");
    }
}
