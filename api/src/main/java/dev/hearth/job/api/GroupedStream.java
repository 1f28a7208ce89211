package dev.hearth.job.api;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A stream grouped by key: aggregations over all time (emitting the updated aggregate for every record, like a
 * table changelog) or, through {@link #windowedBy}, over windows.
 */
public interface GroupedStream<K, V> {

    WindowedStream<K, V> windowedBy(Windows windows);

    /**
     * The same grouped stream, whose next aggregation keeps its state in a store called {@code storeName}: the
     * name interactive queries use ({@code GET .../jobs/{job}/stores/{storeName}/...}) and part of the changelog
     * topic's name, {@code <job>-<storeName>-changelog}. Without it a store is named after its aggregation and
     * its place in the job ({@code count-3}), a name that changes when operators are added before it.
     *
     * @param storeName letters, digits, '.', '_' and '-', unique in the job
     * @throws IllegalArgumentException if the name is malformed
     */
    GroupedStream<K, V> withStoreName(String storeName);

    /**
     * The same grouping, whose aggregation (or windowed aggregation) keeps its state in a store of
     * {@code storeKind} instead of the job's default ({@link JobBuilder#stores}).
     */
    GroupedStream<K, V> withStore(StoreKind storeKind);

    /** Count of records per key; emits the new count for every record. */
    Stream<K, Long> count();

    /** Running reduction per key; emits the new value for every record. */
    Stream<K, V> reduce(BinaryOperator<V> reducer);

    /** Running aggregate per key; emits the new aggregate for every record. */
    <A> Stream<K, A> aggregate(Supplier<A> initializer, Aggregator<? super K, ? super V, A> adder,
                               Serde<A> aggregateSerde);
}
