package dev.hearth.job.exec;

import dev.hearth.job.api.Aggregation;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;

/**
 * Tumbling and hopping window aggregation. A record at event time {@code t} is added to every window
 * {@code [s, s + size)} with {@code s <= t < s + size}, {@code s} a multiple of the advance, that is not final;
 * if all are final the record is late and goes to the side output. A window is final when
 * {@code watermark >= s + size + allowedLateness}, where watermark = frontier - outOfOrderness; it is then emitted
 * once, as {@code (Windowed(key, s, s + size), aggregate)} stamped {@code s + size - 1} (the window's last
 * millisecond: the result's event time, so it falls into the window of a downstream stage that contains the
 * window's end), and deleted. Results are emitted in no particular key order but never below
 * {@link #outputWatermarkMs}, which is what the task broadcasts downstream.
 * Records with a {@code null} key are dropped. Confined to the task's thread.
 */
final class WindowAggregateProcessor extends ForwardingProcessor implements WatermarkListener {
    private final WindowStore<Object, Object> store;
    private final Serde<Object> keySerde;
    private final Aggregation aggregation;
    private final long sizeMs;
    private final long advanceMs;
    private final long outOfOrdernessMs;
    private final long allowedLatenessMs;
    private final String lateTopic;
    private final TaskContext context;
    private final WindowStore.ExpiredWindow<Object, Object> emitFinal = this::emitFinal;

    WindowAggregateProcessor(WindowStore<Object, Object> store, Serde<Object> keySerde, Aggregation aggregation,
                             Windows windows, String lateTopic, TaskContext context) {
        this.store = store;
        this.keySerde = keySerde;
        this.aggregation = aggregation;
        this.sizeMs = windows.sizeMs();
        this.advanceMs = windows.advanceMs();
        this.outOfOrdernessMs = windows.outOfOrdernessMs();
        this.allowedLatenessMs = windows.allowedLatenessMs();
        this.lateTopic = lateTopic;
        this.context = context;
    }

    @Override
    public void process(Object key, Object value, long timestampMs) {
        if (key == null) {
            return;
        }
        long watermarkMs = EventTimes.minus(context.frontierMs(), outOfOrdernessMs);
        Bytes storeKey = null;
        long lastStartMs = timestampMs - Math.floorMod(timestampMs, advanceMs);
        for (long startMs = lastStartMs; startMs > timestampMs - sizeMs; startMs -= advanceMs) {
            if (startMs + sizeMs + allowedLatenessMs <= watermarkMs) {
                break; // this window and every earlier one is final
            }
            if (storeKey == null) {
                storeKey = new Bytes(keySerde.serialize(key));
            }
            Object aggregate = store.get(storeKey, startMs);
            if (aggregate == null) {
                aggregate = aggregation.initializer().get();
            }
            store.put(storeKey, key, startMs, aggregation.adder().apply(key, value, aggregate));
        }
        if (storeKey == null) {
            context.sendLate(lateTopic, store.name(), watermarkMs);
        }
    }

    @Override
    public void onFrontier(long frontierMs) {
        long watermarkMs = EventTimes.minus(frontierMs, outOfOrdernessMs);
        if (watermarkMs == Long.MIN_VALUE) {
            return;
        }
        store.expire(EventTimes.minus(watermarkMs, sizeMs + allowedLatenessMs), emitFinal);
    }

    /** A window not yet final ends after {@code watermark - allowedLateness}: its result is stamped at least that. */
    @Override
    public long outputWatermarkMs(long frontierMs) {
        return EventTimes.minus(EventTimes.minus(frontierMs, outOfOrdernessMs), allowedLatenessMs);
    }

    private void emitFinal(Object key, long windowStartMs, Object aggregate) {
        long windowEndMs = windowStartMs + sizeMs;
        forward(new Windowed<>(key, windowStartMs, windowEndMs), aggregate, windowEndMs - 1);
    }
}
