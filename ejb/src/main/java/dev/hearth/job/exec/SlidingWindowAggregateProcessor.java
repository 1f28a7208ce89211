package dev.hearth.job.exec;

import dev.hearth.job.api.Aggregation;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Sliding window aggregation ({@link Windows.Kind#SLIDING}, size {@code size}), with the windows of Kafka Streams'
 * {@code SlidingWindows.ofTimeDifferenceAndGrace(size, allowedLateness)}. Every window is
 * {@code [start, start + size]}, both ends inclusive, and is one of, per key:
 * <ul>
 * <li>the <em>left window</em> of a record at {@code t}: {@code [t - size, t]}; for {@code 0 <= t < size} it is
 * {@code [0, size]} instead, as Kafka Streams has no negative window starts;</li>
 * <li>the <em>right window</em> of a record at {@code t}: {@code [t + 1, t + 1 + size]}, only when a record of the key
 * falls in it, so that every distinct set of records a sliding window can hold has a window.</li>
 * </ul>
 * A window's aggregate covers every record of the key in it that arrived while it was open. Empty windows are never
 * created. Records sharing {@code t} share their windows.
 * <p>
 * Finality and lateness follow the other kinds, with the window's exclusive end {@code end + 1}: a window is final
 * (Kafka Streams: closed) when {@code watermark >= end + 1 + allowedLateness}; a final window is neither created nor
 * updated, and is emitted once as {@code (Windowed(key, start, end), aggregate)} stamped {@code end}, and deleted.
 * A record is late, and goes to the side output, when every window that can hold it is final, the last being
 * {@code [t, t + size]}; a record some of whose windows are final still counts in those that are not.
 * Records with a {@code null} key or value are dropped.
 * <p>
 * Kafka Streams builds a new window by copying a neighbouring window's aggregate, closed windows included; this
 * processor aggregates the key's stored records instead. The two agree (SlidingWindowsKafkaStreamsTest) whenever
 * every record arrives while all its windows are open (in order, or out of order within the grace) or when it is
 * wholly late. A record that arrives after some but not all of its windows are final can make them differ in a
 * few windows: Kafka Streams' copy may lack a record a closed neighbour missed, or a window may exist on one side
 * only. A new window aggregates its records in event-time order, so only aggregators that do not depend on order
 * (count, sum, min, max) are guaranteed Kafka Streams' results. On one partition with no out-of-orderness the
 * watermark is Kafka Streams' stream time and the allowed lateness its grace.
 * <p>
 * State: {@code windows} holds the aggregate of each open window, under its start; {@code records} holds each
 * record of the last {@code 2 * size + 1 + allowedLateness} ms of event time (below the watermark), from which
 * the windows a record touches are found and new windows compute their aggregate. Both are restored from their
 * changelogs; the watermark that decides finality is restored by the task. Per record the processor reads the
 * key's records of {@code [t - size - 1, t + size + 1]} and, for each window it creates, those of that window, so
 * its cost grows with the records per key and window.
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
    private final List<Long> nearbyTimesMs = new ArrayList<>(); // reused per record: distinct, ascending
    private final TreeSet<Long> windowStartsMs = new TreeSet<>(); // reused per record
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
        // Every window holding t, or created by t, starts or ends at a record of [t - size - 1, t + size + 1].
        nearbyTimesMs.clear();
        records.fetch(storeKey, timestampMs - sizeMs - 1, timestampMs + sizeMs + 1, (eventTimeMs, ignored) -> {
            if (nearbyTimesMs.isEmpty() || nearbyTimesMs.get(nearbyTimesMs.size() - 1) != eventTimeMs) {
                nearbyTimesMs.add(eventTimeMs);
            }
        });

        // The windows holding t that exist: left windows of records in [t, t + size], right ones of [t - size - 1, t).
        windowStartsMs.clear();
        for (long recordMs : nearbyTimesMs) {
            long leftStartMs = leftWindowStartMs(recordMs);
            if (leftStartMs <= timestampMs && timestampMs <= leftStartMs + sizeMs) {
                windowStartsMs.add(leftStartMs);
            }
            if (recordMs < timestampMs && timestampMs <= recordMs + 1 + sizeMs) {
                windowStartsMs.add(recordMs + 1);
            }
        }
        for (long startMs : windowStartsMs) {
            Object aggregate = windows.get(storeKey, startMs);
            if (aggregate != null && !isFinal(startMs + sizeMs, watermarkMs)) {
                windows.put(storeKey, key, startMs, aggregation.adder().apply(key, value, aggregate));
            }
        }
        records.put(storeKey, timestampMs, value);

        // The windows t makes non-empty: its left window, its right window if a later record falls in it, and the
        // right windows of the earlier records it falls in. Each aggregates the stored records, t included.
        maybeCreate(storeKey, key, leftWindowStartMs(timestampMs), watermarkMs);
        for (long recordMs : nearbyTimesMs) {
            if (recordMs > timestampMs && recordMs <= timestampMs + 1 + sizeMs) {
                maybeCreate(storeKey, key, timestampMs + 1, watermarkMs);
                break;
            }
        }
        for (long recordMs : nearbyTimesMs) {
            if (recordMs < timestampMs && timestampMs <= recordMs + 1 + sizeMs) {
                maybeCreate(storeKey, key, recordMs + 1, watermarkMs);
            }
        }
    }

    /** The start of the left window of a record at {@code recordMs}: Kafka Streams' windows start at 0 or later. */
    private long leftWindowStartMs(long recordMs) {
        return recordMs >= 0 && recordMs < sizeMs ? 0 : recordMs - sizeMs;
    }

    /** Creates the window starting at {@code startMs} from the stored records, unless it exists or is final. */
    private void maybeCreate(Bytes storeKey, Object key, long startMs, long watermarkMs) {
        if (isFinal(startMs + sizeMs, watermarkMs) || windows.get(storeKey, startMs) != null) {
            return;
        }
        Object[] aggregate = {aggregation.initializer().get()};
        records.fetch(storeKey, startMs, startMs + sizeMs,
                (eventTimeMs, value) -> aggregate[0] = aggregation.adder().apply(key, value, aggregate[0]));
        windows.put(storeKey, key, startMs, aggregate[0]);
    }

    /** Whether the window ending (inclusively) at {@code endMs} is final at {@code watermarkMs}. */
    private boolean isFinal(long endMs, long watermarkMs) {
        return watermarkMs != Long.MIN_VALUE && endMs + 1 + allowedLatenessMs <= watermarkMs;
    }

    /**
     * A window not yet final ends at or after {@code watermark - allowedLateness}, and its result is stamped with
     * its end: that is the least event time this operator may still emit.
     */
    @Override
    public long outputWatermarkMs(long frontierMs) {
        return EventTimes.minus(EventTimes.minus(frontierMs, outOfOrdernessMs), allowedLatenessMs);
    }

    @Override
    public void onFrontier(long frontierMs) {
        long watermarkMs = EventTimes.minus(frontierMs, outOfOrdernessMs);
        if (watermarkMs == Long.MIN_VALUE) {
            return;
        }
        long lastFinalEndMs = EventTimes.minus(watermarkMs, 1 + allowedLatenessMs);
        windows.expire(EventTimes.minus(lastFinalEndMs, sizeMs), emitFinal);
        // A record that is not late is at t >= lastFinalEnd + 1 - size and reads the records from t - size - 1 on.
        records.expire(EventTimes.minus(lastFinalEndMs, 2 * sizeMs + 1));
    }

    private void emitFinal(Object key, long windowStartMs, Object aggregate) {
        long windowEndMs = windowStartMs + sizeMs;
        forward(new Windowed<>(key, windowStartMs, windowEndMs), aggregate, windowEndMs);
    }
}
