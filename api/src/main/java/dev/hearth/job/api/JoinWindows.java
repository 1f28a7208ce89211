package dev.hearth.job.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Which records of two streams a windowed stream–stream join pairs, and how late a record may be. Immutable; every
 * method returns a copy.
 * <p>
 * Event-time rules (all times in epoch milliseconds, bounds inclusive):
 * <ul>
 * <li>A left record at {@code tl} and a right record at {@code tr} with the same key join when
 * {@code tl - beforeMs <= tr <= tl + afterMs}. The joined record's event time is {@code max(tl, tr)}.</li>
 * <li>The operator's watermark is {@code frontier - outOfOrdernessMs}, the frontier being the minimum, over every
 * input partition of the join's stage (both sides), of the maximum event time seen on that partition.</li>
 * <li>The join window of a left record closes when {@code watermark > tl + afterMs + allowedLatenessMs}, that of a
 * right record when {@code watermark > tr + beforeMs + allowedLatenessMs}: from then on no right (left) record it
 * could pair with can still be accepted. A record arriving after its window closed is late: it goes unchanged to
 * {@link #lateRecordsTopic()}, is counted, and joins nothing.</li>
 * <li>A stored record is forgotten when {@code watermark > t + beforeMs + afterMs + allowedLatenessMs}: every record
 * of the other side that could still pair with it would be late.</li>
 * </ul>
 * So among the records that are not late, every pair within the window is emitted exactly once, when the second of
 * the two is processed, whatever the arrival order.
 */
public final class JoinWindows {
    private final long beforeMs;            // how far a right record may precede a left one
    private final long afterMs;             // how far a right record may follow a left one
    private final long outOfOrdernessMs;    // how far behind the max event time a record may arrive and count
    private final long allowedLatenessMs;   // how long a join window stays open after the watermark passes its end
    private final String lateRecordsTopic;  // null: the job's default, <job>-late

    private JoinWindows(long beforeMs, long afterMs, long outOfOrdernessMs, long allowedLatenessMs,
                        String lateRecordsTopic) {
        this.beforeMs = beforeMs;
        this.afterMs = afterMs;
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.lateRecordsTopic = lateRecordsTopic;
    }

    /** Records at most {@code beforeAndAfter} apart, in either direction, join. */
    public static JoinWindows of(Duration beforeAndAfter) {
        long ms = nonNegativeMs(beforeAndAfter, "beforeAndAfter");
        return new JoinWindows(ms, ms, 0, 0, null);
    }

    /** A right record may precede a left record by at most {@code before}. */
    public JoinWindows before(Duration before) {
        return new JoinWindows(nonNegativeMs(before, "before"), afterMs, outOfOrdernessMs, allowedLatenessMs,
                lateRecordsTopic);
    }

    /** A right record may follow a left record by at most {@code after}. */
    public JoinWindows after(Duration after) {
        return new JoinWindows(beforeMs, nonNegativeMs(after, "after"), outOfOrdernessMs, allowedLatenessMs,
                lateRecordsTopic);
    }

    public JoinWindows outOfOrderness(Duration outOfOrderness) {
        return new JoinWindows(beforeMs, afterMs, nonNegativeMs(outOfOrderness, "outOfOrderness"), allowedLatenessMs,
                lateRecordsTopic);
    }

    public JoinWindows allowedLateness(Duration allowedLateness) {
        return new JoinWindows(beforeMs, afterMs, outOfOrdernessMs, nonNegativeMs(allowedLateness, "allowedLateness"),
                lateRecordsTopic);
    }

    /** Where late records go; default {@code <job>-late}. */
    public JoinWindows lateRecordsTo(String topic) {
        Objects.requireNonNull(topic, "topic");
        return new JoinWindows(beforeMs, afterMs, outOfOrdernessMs, allowedLatenessMs, topic);
    }

    public long beforeMs() {
        return beforeMs;
    }

    public long afterMs() {
        return afterMs;
    }

    public long outOfOrdernessMs() {
        return outOfOrdernessMs;
    }

    public long allowedLatenessMs() {
        return allowedLatenessMs;
    }

    /** @return the side-output topic, or {@code null} for the job's default */
    public String lateRecordsTopic() {
        return lateRecordsTopic;
    }

    @Override
    public String toString() {
        return "join(before " + beforeMs + "ms, after " + afterMs + "ms, outOfOrderness " + outOfOrdernessMs
                + "ms, allowedLateness " + allowedLatenessMs + "ms)";
    }

    private static long nonNegativeMs(Duration duration, String what) {
        long ms = duration.toMillis();
        if (ms < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + duration);
        }
        return ms;
    }
}
