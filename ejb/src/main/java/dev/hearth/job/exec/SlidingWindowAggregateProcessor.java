package dev.hearth.job.exec;

import dev.hearth.job.api.Aggregation;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;

import java.util.ArrayList;
import java.util.List;

/**
 * Sliding window aggregation ({@link Windows.Kind#SLIDING}, size {@code size}). Windows are defined by the records:
 * a record at event time {@code t} opens the window {@code [t - size, t]} (both ends inclusive) of its key, whose
 * aggregate covers every record of the key with an event time in that range, whenever it arrives before the window
 * is final; records sharing {@code t} share one window.
 * <p>
 * Finality and lateness follow the other kinds, with the window's exclusive end {@code t + 1}: a window is final
 * when {@code watermark >= t + 1 + allowedLateness}, and is then emitted once as
 * {@code (Windowed(key, t - size, t), aggregate)} stamped {@code t}, and deleted. A record is late, and goes to the
 * side output, when every window it can belong to is final, the last being {@code [t, t + size]}; a record whose own
 * window is already final still counts in the later windows that are not. Records with a {@code null} key or value
 * are dropped.
 * <p>
 * State: {@code windows} holds the aggregate of each open window, under window start {@code t - size};
 * {@code records} holds each record of the last {@code size + 1 + allowedLateness} ms of event time (below the
 * watermark), from which a window opened by a later or out-of-order record computes its aggregate. Both are
 * restored from their changelogs; the watermark that decides finality is restored by the task. Per record the
 * processor reads the key's records of {@code [t - size, t + size]}, so its cost grows with the records per key
 * and window.
 * <p>
 * Confined to the task's thread.
 */
final class SlidingWindowAggregateProcessor extends ForwardingProcessor implements WatermarkListener {
    private final WindowStore<Object, Object> windows;
    private final JoinWindowStore<Object> records;
    private final Serde<Object> keySerde;
    private final Aggregation aggregation;
    private final long sizeMs;
    private final long outOfOrdernessMs;
    private final long allowedLatenessMs;
    private final String lateTopic;
    private final TaskContext context;
    private final List<Long> laterWindowEnds = new ArrayList<>(); // reused per record
    private final WindowStore.ExpiredWindow<Object, Object> emitFinal = this::emitFinal;

    SlidingWindowAggregateProcessor(WindowStore<Object, Object> windows, JoinWindowStore<Object> records,
                                    Serde<Object> keySerde, Aggregation aggregation, Windows slidingWindows,
                                    String lateTopic, TaskContext context) {
        if (slidingWindows.kind() != Windows.Kind.SLIDING) {
            throw new IllegalArgumentException("not sliding windows: " + slidingWindows);
        }
        this.windows = windows;
        this.records = records;
        this.keySerde = keySerde;
        this.aggregation = aggregation;
        this.sizeMs = slidingWindows.sizeMs();
        this.outOfOrdernessMs = slidingWindows.outOfOrdernessMs();
        this.allowedLatenessMs = slidingWindows.allowedLatenessMs();
        this.lateTopic = lateTopic;
        this.context = context;
    }

    @Override
    public void process(Object key, Object value, long timestampMs) {
        if (key == null || value == null) {
            return;
        }
        long watermarkMs = EventTimes.minus(context.frontierMs(), outOfOrdernessMs);
        if (isFinal(timestampMs + sizeMs, watermarkMs)) {
            context.sendLate(lateTopic, windows.name(), watermarkMs);
            return;
        }
        Bytes storeKey = new Bytes(keySerde.serialize(key));
        // The windows this record falls in that are already open: those of the key's records in [t, t + size].
        laterWindowEnds.clear();
        records.fetch(storeKey, timestampMs, timestampMs + sizeMs, (endMs, ignored) -> {
            if (laterWindowEnds.isEmpty() || laterWindowEnds.get(laterWindowEnds.size() - 1) != endMs) {
                laterWindowEnds.add(endMs);
            }
        });
        for (long endMs : laterWindowEnds) {
            Object aggregate = windows.get(storeKey, endMs - sizeMs);
            if (aggregate != null) { // null: final and emitted, or never opened (its record came too late)
                windows.put(storeKey, key, endMs - sizeMs, aggregation.adder().apply(key, value, aggregate));
            }
        }
        if (!isFinal(timestampMs, watermarkMs) && windows.get(storeKey, timestampMs - sizeMs) == null) {
            Object[] aggregate = {aggregation.initializer().get()};
            records.fetch(storeKey, timestampMs - sizeMs, timestampMs,
                    (eventTimeMs, earlier) -> aggregate[0] = aggregation.adder().apply(key, earlier, aggregate[0]));
            windows.put(storeKey, key, timestampMs - sizeMs, aggregation.adder().apply(key, value, aggregate[0]));
        }
        records.put(storeKey, timestampMs, value);
    }

    /** Whether the window ending (inclusively) at {@code endMs} is final at {@code watermarkMs}. */
    private boolean isFinal(long endMs, long watermarkMs) {
        return watermarkMs != Long.MIN_VALUE && endMs + 1 + allowedLatenessMs <= watermarkMs;
    }

    @Override
    public void onFrontier(long frontierMs) {
        long watermarkMs = EventTimes.minus(frontierMs, outOfOrdernessMs);
        if (watermarkMs == Long.MIN_VALUE) {
            return;
        }
        long lastFinalEndMs = EventTimes.minus(watermarkMs, 1 + allowedLatenessMs);
        windows.expire(EventTimes.minus(lastFinalEndMs, sizeMs), emitFinal);
        // A record at r is read by the windows ending in [r, r + size]; once the last is final it is not needed.
        records.expire(EventTimes.minus(lastFinalEndMs, sizeMs));
    }

    private void emitFinal(Object key, long windowStartMs, Object aggregate) {
        long windowEndMs = windowStartMs + sizeMs;
        forward(new Windowed<>(key, windowStartMs, windowEndMs), aggregate, windowEndMs);
    }
}
