package dev.hearth.job.exec;

/**
 * Saturating event-time arithmetic: {@link Long#MIN_VALUE} means "no watermark yet" and {@link Long#MAX_VALUE}
 * "end of input"; both absorb any finite offset. Stateless.
 */
final class EventTimes {

    private EventTimes() {
    }

    /** {@code timeMs - deltaMs} for {@code deltaMs >= 0}, saturating at the two infinities. */
    static long minus(long timeMs, long deltaMs) {
        if (timeMs == Long.MIN_VALUE || timeMs == Long.MAX_VALUE) {
            return timeMs;
        }
        return timeMs < Long.MIN_VALUE + deltaMs ? Long.MIN_VALUE : timeMs - deltaMs;
    }
}
