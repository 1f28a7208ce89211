package dev.hearth.job.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a grouped stream is cut into windows, and how late a record may be. Immutable; the {@code with}-style
 * methods return copies.
 * <p>
 * Event-time rules (all times in epoch milliseconds):
 * <ul>
 * <li>The operator's watermark is {@code frontier - outOfOrdernessMs}, where the frontier is the minimum, over
 * every input partition feeding the operator, of the maximum event time seen on that partition.</li>
 * <li>A tumbling or hopping window {@code [start, end)} is final, emitted once and forgotten, when
 * {@code watermark >= end + allowedLatenessMs}.</li>
 * <li>A session window whose last record is at {@code end} is final when
 * {@code watermark >= end + gapMs + allowedLatenessMs}.</li>
 * <li>A sliding window {@code [start, end]} (both ends inclusive, {@code end = start + size}) is final when
 * {@code watermark >= end + 1 + allowedLatenessMs}.</li>
 * <li>A record is late, and goes unchanged to {@link #lateRecordsTopic()}, when every tumbling/hopping window it
 * belongs to is final (for sliding windows, the last holding a record at {@code t} is {@code [t, t + size]});
 * for session windows, when {@code eventTime + allowedLatenessMs < watermark} (such a record could otherwise
 * reopen a session that was already emitted).</li>
 * </ul>
 */
public final class Windows {

    /** The window shapes. */
    public enum Kind { TUMBLING, HOPPING, SESSION, SLIDING }

    private final Kind kind;
    private final long sizeMs;              // tumbling/hopping/sliding: window length; session: 0
    private final long advanceMs;           // tumbling/hopping: distance between window starts; session: 0
    private final long gapMs;               // session: inactivity gap that ends a session; otherwise 0
    private final long outOfOrdernessMs;    // how far behind the max event time a record may arrive and count
    private final long allowedLatenessMs;   // how long a window stays open after the watermark passes its end
    private final String lateRecordsTopic;  // null: the job's default, <job>-late

    private Windows(Kind kind, long sizeMs, long advanceMs, long gapMs, long outOfOrdernessMs,
                    long allowedLatenessMs, String lateRecordsTopic) {
        this.kind = kind;
        this.sizeMs = sizeMs;
        this.advanceMs = advanceMs;
        this.gapMs = gapMs;
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.lateRecordsTopic = lateRecordsTopic;
    }

    /** Fixed-size, non-overlapping windows {@code [n*size, (n+1)*size)}. */
    public static Windows tumbling(Duration size) {
        long sizeMs = positiveMs(size, "size");
        return new Windows(Kind.TUMBLING, sizeMs, sizeMs, 0, 0, 0, null);
    }

    /** Fixed-size windows starting every {@code advance}; a record belongs to {@code size/advance} windows. */
    public static Windows hopping(Duration size, Duration advance) {
        long sizeMs = positiveMs(size, "size");
        long advanceMs = positiveMs(advance, "advance");
        if (advanceMs > sizeMs) {
            throw new IllegalArgumentException("advance " + advance + " exceeds window size " + size);
        }
        return new Windows(Kind.HOPPING, sizeMs, advanceMs, 0, 0, 0, null);
    }

    /** Per-key sessions: records closer than {@code gap} to each other belong to one session. */
    public static Windows session(Duration gap) {
        return new Windows(Kind.SESSION, 0, 0, positiveMs(gap, "gap"), 0, 0, null);
    }

    /**
     * "Any {@code size}" windows, the windows of Kafka Streams'
     * {@code SlidingWindows.ofTimeDifferenceAndGrace(size, grace)} with grace {@link #allowedLateness}. Per key,
     * each record at event time {@code t} opens its left window {@code [t - size, t]} (both ends inclusive;
     * {@code [0, size]} when {@code 0 <= t < size}, as Kafka Streams has no negative window starts) and, when a
     * record of the key falls in it, its right window {@code [t + 1, t + 1 + size]}; records sharing {@code t} share
     * them. A window's aggregate covers every record of the key in its range, out-of-order ones included until it
     * is final; empty windows never exist. A window is emitted once, when final, keyed
     * {@code Windowed(key, start, start + size)} and stamped with its end. Records with a {@code null} value are
     * dropped.
     */
    public static Windows sliding(Duration size) {
        return new Windows(Kind.SLIDING, positiveMs(size, "size"), 0, 0, 0, 0, null);
    }

    public Windows outOfOrderness(Duration outOfOrderness) {
        return new Windows(kind, sizeMs, advanceMs, gapMs, nonNegativeMs(outOfOrderness, "outOfOrderness"),
                allowedLatenessMs, lateRecordsTopic);
    }

    public Windows allowedLateness(Duration allowedLateness) {
        return new Windows(kind, sizeMs, advanceMs, gapMs, outOfOrdernessMs,
                nonNegativeMs(allowedLateness, "allowedLateness"), lateRecordsTopic);
    }

    /** Where late records go; default {@code <job>-late}. */
    public Windows lateRecordsTo(String topic) {
        Objects.requireNonNull(topic, "topic");
        return new Windows(kind, sizeMs, advanceMs, gapMs, outOfOrdernessMs, allowedLatenessMs, topic);
    }

    public Kind kind() {
        return kind;
    }

    public long sizeMs() {
        return sizeMs;
    }

    public long advanceMs() {
        return advanceMs;
    }

    public long gapMs() {
        return gapMs;
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
        return switch (kind) {
            case TUMBLING -> "tumbling(" + sizeMs + "ms";
            case HOPPING -> "hopping(" + sizeMs + "ms/" + advanceMs + "ms";
            case SESSION -> "session(gap " + gapMs + "ms";
            case SLIDING -> "sliding(" + sizeMs + "ms";
        } + ", outOfOrderness " + outOfOrdernessMs + "ms, allowedLateness " + allowedLatenessMs + "ms)";
    }

    private static long positiveMs(Duration duration, String what) {
        long ms = duration.toMillis();
        if (ms <= 0) {
            throw new IllegalArgumentException(what + " must be at least 1 ms, got " + duration);
        }
        return ms;
    }

    private static long nonNegativeMs(Duration duration, String what) {
        long ms = duration.toMillis();
        if (ms < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + duration);
        }
        return ms;
    }
}
