package dev.hearth.job.api;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A grouped stream cut into windows. Every aggregation emits exactly one record per key and window, when the
 * window is final (see {@link Windows}); late records go to the side output instead.
 */
public interface WindowedStream<K, V> {

    /**
     * The same windowed stream, whose next aggregation keeps its windows in a store called {@code storeName};
     * see {@link GroupedStream#withStoreName}.
     *
     * @throws IllegalArgumentException if the name is malformed
     */
    WindowedStream<K, V> withStoreName(String storeName);

    /** The same windows, whose aggregation keeps its state in a store of {@code storeKind}. */
    WindowedStream<K, V> withStore(StoreKind storeKind);

    Stream<Windowed<K>, Long> count();

    Stream<Windowed<K>, V> reduce(BinaryOperator<V> reducer);

    /** Aggregate; for session windows use {@link #aggregate(Supplier, Aggregator, Merger, Serde)}. */
    <A> Stream<Windowed<K>, A> aggregate(Supplier<A> initializer, Aggregator<? super K, ? super V, A> adder,
                                         Serde<A> aggregateSerde);

    /** Aggregate with a merger, required when sessions merge. */
    <A> Stream<Windowed<K>, A> aggregate(Supplier<A> initializer, Aggregator<? super K, ? super V, A> adder,
                                         Merger<? super K, A> merger, Serde<A> aggregateSerde);
}
