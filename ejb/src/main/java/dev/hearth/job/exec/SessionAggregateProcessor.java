package dev.hearth.job.exec;

import dev.hearth.job.api.Aggregation;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Session window aggregation. A record at {@code t} joins (and merges) every session of its key within the gap
 * ({@code start - gap < t < end + gap}), else starts {@code [t, t]}. A session is final when
 * {@code watermark >= end + gap + allowedLateness}; it is then emitted once as
 * {@code (Windowed(key, start, end), aggregate)} stamped {@code end}. A record is late when
 * {@code t + allowedLateness < watermark}: any session it could join is final by then, so accepting it could
 * reopen an emitted session. Confined to the task's thread.
 */
final class SessionAggregateProcessor extends ForwardingProcessor implements WatermarkListener {
    private final SessionStore<Object, Object> store;
    private final Serde<Object> keySerde;
    private final Aggregation aggregation;
    private final long gapMs;
    private final long outOfOrdernessMs;
    private final long allowedLatenessMs;
    private final String lateTopic;
    private final TaskContext context;
    private final List<SessionStore.Session<Object, Object>> overlapping = new ArrayList<>(); // reused per record
    private final Consumer<SessionStore.Session<Object, Object>> emitFinal = this::emitFinal;

    SessionAggregateProcessor(SessionStore<Object, Object> store, Serde<Object> keySerde, Aggregation aggregation,
                              Windows windows, String lateTopic, TaskContext context) {
        if (aggregation.merger() == null) {
            throw new IllegalArgumentException("session windows merge aggregates: " + aggregation.name()
                    + " needs a merger");
        }
        this.store = store;
        this.keySerde = keySerde;
        this.aggregation = aggregation;
        this.gapMs = windows.gapMs();
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
        if (watermarkMs != Long.MIN_VALUE && timestampMs + allowedLatenessMs < watermarkMs) {
            context.sendLate(lateTopic, store.name(), watermarkMs);
            return;
        }
        Bytes storeKey = new Bytes(keySerde.serialize(key));
        store.findOverlapping(storeKey, timestampMs - gapMs, timestampMs + gapMs, overlapping);
        long startMs = timestampMs;
        long endMs = timestampMs;
        Object aggregate = null;
        boolean first = true;
        for (int i = overlapping.size() - 1; i >= 0; i--) { // earliest first: mergers see sessions in order
            SessionStore.Session<Object, Object> session = overlapping.get(i);
            startMs = Math.min(startMs, session.startMs());
            endMs = Math.max(endMs, session.endMs());
            aggregate = first ? session.aggregate() : aggregation.merger().merge(key, aggregate, session.aggregate());
            first = false;
            store.remove(session);
        }
        overlapping.clear();
        if (first) {
            aggregate = aggregation.initializer().get();
        }
        aggregate = aggregation.adder().apply(key, value, aggregate);
        store.put(new SessionStore.Session<>(storeKey, key, startMs, endMs, aggregate));
    }

    /** An open session, or one a record accepted later starts, ends after {@code watermark - gap - allowedLateness}. */
    @Override
    public long outputWatermarkMs(long frontierMs) {
        return EventTimes.minus(EventTimes.minus(frontierMs, outOfOrdernessMs), gapMs + allowedLatenessMs);
    }

    @Override
    public void onFrontier(long frontierMs) {
        long watermarkMs = EventTimes.minus(frontierMs, outOfOrdernessMs);
        if (watermarkMs == Long.MIN_VALUE) {
            return;
        }
        store.expire(EventTimes.minus(watermarkMs, gapMs + allowedLatenessMs), emitFinal);
    }

    private void emitFinal(SessionStore.Session<Object, Object> session) {
        forward(new Windowed<>(session.keyObject(), session.startMs(), session.endMs()), session.aggregate(),
                session.endMs());
    }
}
