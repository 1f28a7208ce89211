package dev.hearth.connector.inbound;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.hearth.connector.api.DeliveryStats;

/**
 * Counts message-driven-bean deliveries per group and topic for metrics, across activations and their
 * restarts, for the adapter's life. A delivery resolves its {@link Counters} once per batch, so counting a
 * record is a {@link LongAdder} increment. Thread-safe.
 */
public final class DeliveryCounters {

    private final Map<Key, Counters> counters = new ConcurrentHashMap<>();

    /** The counters of one group and topic, created on first use. */
    Counters of(String group, String topic) {
        return counters.computeIfAbsent(new Key(group, topic), key -> new Counters());
    }

    /** Ordered by group, then topic. */
    public List<DeliveryStats> snapshot() {
        List<DeliveryStats> stats = new ArrayList<>(counters.size());
        counters.forEach((key, value) -> stats.add(new DeliveryStats(key.group(), key.topic(),
                value.deliveries.sum(), value.failures.sum(), value.deadLettered.sum())));
        stats.sort(Comparator.comparing(DeliveryStats::group).thenComparing(DeliveryStats::topic));
        return stats;
    }

    private record Key(String group, String topic) {
    }

    /** One group and topic's counts; see {@link DeliveryStats} for what each means. */
    static final class Counters {
        final LongAdder deliveries = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder deadLettered = new LongAdder();
    }
}
