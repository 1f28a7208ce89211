package dev.hearth.job.api;

import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

import static dev.hearth.job.api.JobBuilder.erase;

/** {@link WindowedStream}: a grouped stream node plus its windows. Immutable. */
final class FluentWindowedStream<K, V> implements WindowedStream<K, V> {
    private final JobBuilder builder;
    private final LogicalNode node;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final Windows windows;
    private final String storeName; // of the next aggregation; null: derived from the aggregation and node id
    private final StoreKind storeKind; // null: the job's default

    FluentWindowedStream(JobBuilder builder, LogicalNode node, Serde<K> keySerde, Serde<V> valueSerde,
                         Windows windows, String storeName, StoreKind storeKind) {
        this.builder = builder;
        this.node = node;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.windows = windows;
        this.storeName = storeName;
        this.storeKind = storeKind;
    }

    @Override
    public WindowedStream<K, V> withStoreName(String storeName) {
        return new FluentWindowedStream<>(builder, node, keySerde, valueSerde, windows,
                JobBuilder.checkStoreName(storeName), storeKind);
    }

    @Override
    public WindowedStream<K, V> withStore(StoreKind storeKind) {
        return new FluentWindowedStream<>(builder, node, keySerde, valueSerde, windows, storeName,
                Objects.requireNonNull(storeKind, "storeKind"));
    }

    @Override
    public Stream<Windowed<K>, Long> count() {
        return aggregate(Aggregations.count());
    }

    @Override
    public Stream<Windowed<K>, V> reduce(BinaryOperator<V> reducer) {
        return aggregate(Aggregations.reduce(reducer, valueSerde));
    }

    @Override
    public <A> Stream<Windowed<K>, A> aggregate(Supplier<A> initializer, Aggregator<? super K, ? super V, A> adder,
                                                Serde<A> aggregateSerde) {
        if (windows.kind() == Windows.Kind.SESSION) {
            throw new IllegalArgumentException("session windows merge aggregates: use aggregate(initializer, adder,"
                    + " merger, serde)");
        }
        return aggregate(Aggregations.aggregate(initializer, adder, null, aggregateSerde));
    }

    @Override
    public <A> Stream<Windowed<K>, A> aggregate(Supplier<A> initializer, Aggregator<? super K, ? super V, A> adder,
                                                Merger<? super K, A> merger, Serde<A> aggregateSerde) {
        return aggregate(Aggregations.aggregate(initializer, adder, Objects.requireNonNull(merger, "merger"),
                aggregateSerde));
    }

    private <A> Stream<Windowed<K>, A> aggregate(Aggregation aggregation) {
        String store = storeName != null ? storeName : builder.nextStoreName("windowed-" + aggregation.name());
        if (storeKind != null) {
            builder.storeKind(store, storeKind);
        }
        LogicalNode aggregated = builder.add(new Operation.WindowedAggregate(store, aggregation, erase(keySerde),
                erase(valueSerde), windows, null), List.of(node), erase(Serdes.windowed(keySerde)),
                aggregation.aggregateSerde());
        return new FluentStream<>(builder, aggregated);
    }
}
