package dev.hearth.job.exec;

import dev.hearth.job.api.JoinWindows;
import dev.hearth.job.api.Serde;
import dev.hearth.job.plan.PhysicalNode;

import java.util.function.BiFunction;

/**
 * Windowed stream–stream inner join, as a symmetric hash join over two {@link JoinWindowStore}s. Its parents push
 * into {@link #input(int) input 0} (left) or {@link #input(int) input 1} (right). A record at {@code t} that is not
 * late is stored in its side's store and probed against the other side's records of the same key in its window
 * ({@code [t - before, t + after]} for a left record, {@code [t - after, t + before]} for a right one); each match
 * is forwarded as {@code (key, joiner(left, right))} stamped {@code max(tl, tr)}. So a pair is emitted once, by the
 * second of its records to arrive.
 * <p>
 * Event time, with watermark = frontier - outOfOrderness (see {@link JoinWindows}): a left record is late when
 * {@code tl + after + allowedLateness < watermark}, a right one when {@code tr + before + allowedLateness <
 * watermark}; late records go to the side output and are neither stored nor joined. A stored record is expired when
 * {@code t + before + after + allowedLateness < watermark}. Why no pair of accepted records is missed: if the right
 * record arrives second and is accepted, {@code watermark <= tr + before + allowedLateness <= tl + after + before
 * + allowedLateness}, so the left record is still stored (and symmetrically). The watermark used for lateness is the
 * one before the current record's own event time counts, as for window aggregations.
 * <p>
 * Records with a {@code null} key or value are dropped (they cannot be stored nor matched). Confined to the
 * task's thread.
 */
final class StreamJoinProcessor extends ForwardingProcessor implements WatermarkListener {
    private final JoinWindowStore<Object> leftStore;
    private final JoinWindowStore<Object> rightStore;
    private final Serde<Object> keySerde;
    private final BiFunction<Object, Object, Object> joiner;
    private final long beforeMs;           // a right record may precede a left one by this much
    private final long afterMs;            // a right record may follow a left one by this much
    private final long outOfOrdernessMs;
    private final long allowedLatenessMs;
    private final long retentionMs;        // before + after + allowedLateness, saturated
    private final String lateTopic;
    private final TaskContext context;
    private final Processor left = this::processLeft;
    private final Processor right = this::processRight;

    StreamJoinProcessor(JoinWindowStore<Object> leftStore, JoinWindowStore<Object> rightStore, Serde<Object> keySerde,
                        BiFunction<Object, Object, Object> joiner, JoinWindows windows, String lateTopic,
                        TaskContext context) {
        this.leftStore = leftStore;
        this.rightStore = rightStore;
        this.keySerde = keySerde;
        this.joiner = joiner;
        this.beforeMs = windows.beforeMs();
        this.afterMs = windows.afterMs();
        this.outOfOrdernessMs = windows.outOfOrdernessMs();
        this.allowedLatenessMs = windows.allowedLatenessMs();
        this.retentionMs = plus(plus(beforeMs, afterMs), allowedLatenessMs);
        this.lateTopic = lateTopic;
        this.context = context;
    }

    /** The processor the parent in position {@code side} of the join's parents pushes into: 0 left, 1 right. */
    Processor input(int side) {
        return switch (side) {
            case 0 -> left;
            case 1 -> right;
            default -> throw new IllegalArgumentException("a join has inputs 0 and 1, not " + side);
        };
    }

    /**
     * Which input of the join {@code child} is the {@code childIndex}-th child of {@code parent}: the position of
     * that edge among the join's parents. Counts repeated edges, so a stream joined with itself feeds both inputs.
     */
    static int side(PhysicalNode parent, int childIndex, PhysicalNode child) {
        int occurrence = 0;
        for (int i = 0; i < childIndex; i++) {
            if (parent.children().get(i) == child) {
                occurrence++;
            }
        }
        for (int side = 0; side < child.parents().size(); side++) {
            if (child.parents().get(side) == parent && occurrence-- == 0) {
                return side;
            }
        }
        throw new IllegalStateException(parent + " is not a parent of " + child);
    }

    /** Records reach the join only through {@link #input}. */
    @Override
    public void process(Object key, Object value, long timestampMs) {
        throw new IllegalStateException("a stream join is fed through its left or right input");
    }

    /** A pair is stamped with its later record, and an accepted record is at least {@code watermark - retention}. */
    @Override
    public long outputWatermarkMs(long frontierMs) {
        return EventTimes.minus(EventTimes.minus(frontierMs, outOfOrdernessMs), retentionMs);
    }

    @Override
    public void onFrontier(long frontierMs) {
        long watermarkMs = EventTimes.minus(frontierMs, outOfOrdernessMs);
        long maxExpiredMs = EventTimes.minus(watermarkMs, plus(retentionMs, 1));
        if (maxExpiredMs != Long.MIN_VALUE) {
            leftStore.expire(maxExpiredMs);
            rightStore.expire(maxExpiredMs);
        }
    }

    private void processLeft(Object key, Object value, long timestampMs) {
        if (key == null || value == null || isLate(timestampMs, afterMs, leftStore)) {
            return;
        }
        Bytes storeKey = new Bytes(keySerde.serialize(key));
        leftStore.put(storeKey, timestampMs, value);
        rightStore.fetch(storeKey, EventTimes.minus(timestampMs, beforeMs), plus(timestampMs, afterMs),
                (rightTimeMs, rightValue) -> forward(key, joiner.apply(value, rightValue),
                        Math.max(timestampMs, rightTimeMs)));
    }

    private void processRight(Object key, Object value, long timestampMs) {
        if (key == null || value == null || isLate(timestampMs, beforeMs, rightStore)) {
            return;
        }
        Bytes storeKey = new Bytes(keySerde.serialize(key));
        rightStore.put(storeKey, timestampMs, value);
        leftStore.fetch(storeKey, EventTimes.minus(timestampMs, afterMs), plus(timestampMs, beforeMs),
                (leftTimeMs, leftValue) -> forward(key, joiner.apply(leftValue, value),
                        Math.max(leftTimeMs, timestampMs)));
    }

    /**
     * Whether the join window of a record at {@code timestampMs} closed, its last pairable event time of the other
     * side being {@code timestampMs + windowEndMs}; if so it goes to the side output.
     */
    private boolean isLate(long timestampMs, long windowEndMs, JoinWindowStore<Object> store) {
        long watermarkMs = EventTimes.minus(context.frontierMs(), outOfOrdernessMs);
        if (timestampMs >= EventTimes.minus(watermarkMs, plus(windowEndMs, allowedLatenessMs))) {
            return false;
        }
        context.sendLate(lateTopic, store.name(), watermarkMs);
        return true;
    }

    /** {@code a + b} for {@code b >= 0}, saturating at {@link Long#MAX_VALUE}. */
    private static long plus(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
