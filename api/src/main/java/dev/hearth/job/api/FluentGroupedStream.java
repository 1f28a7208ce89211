package dev.hearth.job.api;

import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

import static dev.hearth.job.api.JobBuilder.erase;

/** {@link GroupedStream}: a stream node plus the serdes to repartition and store it by key. Immutable. */
final class FluentGroupedStream<K, V> implements GroupedStream<K, V> {
    private final JobBuilder builder;
    private final LogicalNode node;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final String storeName; // of the next aggregation; null: derived from the aggregation and node id
    private final StoreKind storeKind; // null: the job's default

    FluentGroupedStream(JobBuilder builder, LogicalNode node, Serde<K> keySerde, Serde<V> valueSerde) {
        this(builder, node, keySerde, valueSerde, null, null);
    }

    private FluentGroupedStream(JobBuilder builder, LogicalNode node, Serde<K> keySerde, Serde<V> valueSerde,
                                String storeName, StoreKind storeKind) {
        this.builder = builder;
        this.node = node;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.storeName = storeName;
        this.storeKind = storeKind;
    }

    @Override
    public WindowedStream<K, V> windowedBy(Windows windows) {
        return new FluentWindowedStream<>(builder, node, keySerde, valueSerde, Objects.requireNonNull(windows),
                storeName, storeKind);
    }

    @Override
    public GroupedStream<K, V> withStoreName(String storeName) {
        return new FluentGroupedStream<>(builder, node, keySerde, valueSerde, JobBuilder.checkStoreName(storeName),
                storeKind);
    }

    @Override
    public GroupedStream<K, V> withStore(StoreKind storeKind) {
        return new FluentGroupedStream<>(builder, node, keySerde, valueSerde, storeName,
                Objects.requireNonNull(storeKind, "storeKind"));
    }

    @Override
    public Stream<K, Long> count() {
        return aggregate(Aggregations.count());
    }

    @Override
    public Stream<K, V> reduce(BinaryOperator<V> reducer) {
        return aggregate(Aggregations.reduce(reducer, valueSerde));
    }

    @Override
    public <A> Stream<K, A> aggregate(Supplier<A> initializer, Aggregator<? super K, ? super V, A> adder,
                                      Serde<A> aggregateSerde) {
        return aggregate(Aggregations.aggregate(initializer, adder, null, aggregateSerde));
    }

    private <A> Stream<K, A> aggregate(Aggregation aggregation) {
        String store = storeName != null ? storeName : builder.nextStoreName(aggregation.name());
        if (storeKind != null) {
            builder.storeKind(store, storeKind);
        }
        LogicalNode aggregated = builder.add(new Operation.Aggregate(store, aggregation, erase(keySerde),
                erase(valueSerde)), List.of(node), erase(keySerde), aggregation.aggregateSerde());
        return new FluentStream<>(builder, aggregated);
    }
}
