package dev.hearth.job.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

import static dev.hearth.job.api.JobBuilder.erase;

/**
 * {@link Stream} as a handle on one logical node; every call appends a node to the builder. Immutable itself;
 * used only by the builder's thread.
 */
final class FluentStream<K, V> implements Stream<K, V> {
    private final JobBuilder builder;
    private final LogicalNode node;

    FluentStream(JobBuilder builder, LogicalNode node) {
        this.builder = builder;
        this.node = node;
    }

    private <KR, VR> Stream<KR, VR> then(Operation operation, Serde<?> keySerde, Serde<?> valueSerde) {
        return new FluentStream<>(builder, builder.add(operation, List.of(node), erase(keySerde), erase(valueSerde)));
    }

    @Override
    public <KR, VR> Stream<KR, VR> map(BiFunction<? super K, ? super V, KeyValue<KR, VR>> mapper) {
        return then(new Operation.Map(erase(Objects.requireNonNull(mapper, "mapper"))), null, null);
    }

    @Override
    public <KR, VR> Stream<KR, VR> map(BiFunction<? super K, ? super V, KeyValue<KR, VR>> mapper, Serde<KR> keySerde,
                                       Serde<VR> valueSerde) {
        return then(new Operation.Map(erase(Objects.requireNonNull(mapper, "mapper"))),
                Objects.requireNonNull(keySerde, "keySerde"), Objects.requireNonNull(valueSerde, "valueSerde"));
    }

    @Override
    public <VR> Stream<K, VR> mapValues(Function<? super V, ? extends VR> mapper) {
        return then(new Operation.MapValues(erase(Objects.requireNonNull(mapper, "mapper"))), node.keySerde(), null);
    }

    @Override
    public <VR> Stream<K, VR> mapValues(Function<? super V, ? extends VR> mapper, Serde<VR> valueSerde) {
        return then(new Operation.MapValues(erase(Objects.requireNonNull(mapper, "mapper"))), node.keySerde(),
                valueSerde);
    }

    @Override
    public Stream<K, V> filter(BiPredicate<? super K, ? super V> predicate) {
        return then(new Operation.Filter(erase(Objects.requireNonNull(predicate, "predicate"))), node.keySerde(),
                node.valueSerde());
    }

    @Override
    public <KR, VR> Stream<KR, VR> flatMap(
            BiFunction<? super K, ? super V, ? extends Iterable<KeyValue<KR, VR>>> mapper) {
        return then(new Operation.FlatMap(erase(Objects.requireNonNull(mapper, "mapper"))), null, null);
    }

    @Override
    public <KR, VR> Stream<KR, VR> flatMap(
            BiFunction<? super K, ? super V, ? extends Iterable<KeyValue<KR, VR>>> mapper, Serde<KR> keySerde,
            Serde<VR> valueSerde) {
        return then(new Operation.FlatMap(erase(Objects.requireNonNull(mapper, "mapper"))),
                Objects.requireNonNull(keySerde, "keySerde"), Objects.requireNonNull(valueSerde, "valueSerde"));
    }

    @Override
    public Stream<K, V> merge(Stream<K, V> other) {
        LogicalNode otherNode = sameJob(other).node;
        return new FluentStream<>(builder, builder.add(new Operation.Merge(), List.of(node, otherNode),
                node.keySerde() != null ? node.keySerde() : otherNode.keySerde(),
                node.valueSerde() != null ? node.valueSerde() : otherNode.valueSerde()));
    }

    @Override
    public Stream<K, V> peek(BiConsumer<? super K, ? super V> action) {
        return then(new Operation.Peek(erase(Objects.requireNonNull(action, "action"))), node.keySerde(),
                node.valueSerde());
    }

    @Override
    @SafeVarargs
    public final List<Stream<K, V>> branch(BiPredicate<? super K, ? super V>... predicates) {
        if (predicates.length == 0) {
            throw new IllegalArgumentException("branch needs at least one predicate");
        }
        List<BiPredicate<Object, Object>> erased = new ArrayList<>();
        for (BiPredicate<? super K, ? super V> predicate : Arrays.asList(predicates)) {
            erased.add(erase(Objects.requireNonNull(predicate, "predicate")));
        }
        LogicalNode branch = builder.add(new Operation.Branch(List.copyOf(erased)), List.of(node), node.keySerde(),
                node.valueSerde());
        List<Stream<K, V>> outputs = new ArrayList<>();
        for (int i = 0; i < predicates.length; i++) {
            outputs.add(new FluentStream<>(builder, builder.add(new Operation.BranchOutput(i), List.of(branch),
                    node.keySerde(), node.valueSerde())));
        }
        return List.copyOf(outputs);
    }

    @Override
    public <KR> Stream<KR, V> keyBy(BiFunction<? super K, ? super V, ? extends KR> keySelector, Serde<KR> keySerde) {
        return then(new Operation.KeyBy(erase(Objects.requireNonNull(keySelector, "keySelector"))),
                Objects.requireNonNull(keySerde, "keySerde"), node.valueSerde());
    }

    @Override
    public Stream<K, V> withEventTime(EventTimeExtractor<? super K, ? super V> extractor) {
        return then(new Operation.EventTime(erase(Objects.requireNonNull(extractor, "extractor"))), node.keySerde(),
                node.valueSerde());
    }

    @Override
    public GroupedStream<K, V> groupByKey() {
        if (node.keySerde() == null || node.valueSerde() == null) {
            throw new IllegalStateException("the serdes of " + node + " are unknown after map/flatMap/mapValues;"
                    + " use groupByKey(keySerde, valueSerde)");
        }
        return new FluentGroupedStream<>(builder, node, erase(node.keySerde()), erase(node.valueSerde()));
    }

    @Override
    public GroupedStream<K, V> groupByKey(Serde<K> keySerde, Serde<V> valueSerde) {
        return new FluentGroupedStream<>(builder, node, Objects.requireNonNull(keySerde, "keySerde"),
                Objects.requireNonNull(valueSerde, "valueSerde"));
    }

    @Override
    public <VT, VR> Stream<K, VR> join(Table<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner) {
        return tableJoin(table, joiner, null);
    }

    @Override
    public <VT, VR> Stream<K, VR> join(Table<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner,
                                       Serde<VR> resultValueSerde) {
        return tableJoin(table, joiner, Objects.requireNonNull(resultValueSerde, "resultValueSerde"));
    }

    private <VT, VR> Stream<K, VR> tableJoin(Table<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner,
                                             Serde<VR> resultValueSerde) {
        FluentTable<K, VT> fluentTable = (FluentTable<K, VT>) table;
        LogicalNode joined = builder.add(
                new Operation.TableJoin(erase(Objects.requireNonNull(joiner, "joiner")), erase(fluentTable.keySerde())),
                List.of(node, fluentTable.node()),
                node.keySerde() != null ? node.keySerde() : erase(fluentTable.keySerde()), erase(resultValueSerde));
        return new FluentStream<>(builder, joined);
    }

    @Override
    public <VO, VR> Stream<K, VR> join(Stream<K, VO> other, JoinWindows windows,
                                       BiFunction<? super V, ? super VO, ? extends VR> joiner) {
        return joinWithKnownSerdes(other, windows, joiner, null);
    }

    @Override
    public <VO, VR> Stream<K, VR> join(Stream<K, VO> other, JoinWindows windows,
                                       BiFunction<? super V, ? super VO, ? extends VR> joiner,
                                       Serde<VR> resultValueSerde) {
        return joinWithKnownSerdes(other, windows, joiner,
                Objects.requireNonNull(resultValueSerde, "resultValueSerde"));
    }

    @Override
    public <VO, VR> Stream<K, VR> join(Stream<K, VO> other, JoinWindows windows,
                                       BiFunction<? super V, ? super VO, ? extends VR> joiner,
                                       Serde<K> keySerde, Serde<V> valueSerde, Serde<VO> otherValueSerde) {
        return streamJoin(other, windows, joiner, keySerde, valueSerde, otherValueSerde, null);
    }

    private <VO, VR> Stream<K, VR> joinWithKnownSerdes(Stream<K, VO> other, JoinWindows windows,
                                                        BiFunction<? super V, ? super VO, ? extends VR> joiner,
                                                        Serde<VR> resultValueSerde) {
        LogicalNode otherNode = sameJob(other).node;
        if (node.keySerde() == null || node.valueSerde() == null || otherNode.valueSerde() == null) {
            throw new IllegalStateException("the serdes of " + node + " or " + otherNode + " are unknown after"
                    + " map/flatMap/mapValues; use join(other, windows, joiner, keySerde, valueSerde, otherValueSerde)");
        }
        return streamJoin(other, windows, joiner, erase(node.keySerde()), erase(node.valueSerde()),
                erase(otherNode.valueSerde()), resultValueSerde);
    }

    /** @param resultValueSerde the joined value's serde, {@code null} if unknown */
    private <VO, VR> Stream<K, VR> streamJoin(Stream<K, VO> other, JoinWindows windows,
                                              BiFunction<? super V, ? super VO, ? extends VR> joiner,
                                              Serde<K> keySerde, Serde<V> valueSerde, Serde<VO> otherValueSerde,
                                              Serde<VR> resultValueSerde) {
        LogicalNode otherNode = sameJob(other).node;
        Operation.StreamJoin join = new Operation.StreamJoin(builder.nextStoreName("join-left"),
                builder.nextStoreName("join-right"), erase(Objects.requireNonNull(joiner, "joiner")),
                Objects.requireNonNull(windows, "windows"), erase(Objects.requireNonNull(keySerde, "keySerde")),
                erase(Objects.requireNonNull(valueSerde, "valueSerde")),
                erase(Objects.requireNonNull(otherValueSerde, "otherValueSerde")), null);
        return new FluentStream<>(builder, builder.add(join, List.of(node, otherNode), erase(keySerde),
                erase(resultValueSerde)));
    }

    private FluentStream<?, ?> sameJob(Stream<?, ?> other) {
        if (!(Objects.requireNonNull(other, "other") instanceof FluentStream<?, ?> fluent) || fluent.builder != builder) {
            throw new IllegalArgumentException("can only join or merge a stream of the same job");
        }
        return fluent;
    }

    @Override
    public void to(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
        builder.add(new Operation.Sink(Objects.requireNonNull(topic, "topic"), erase(keySerde), erase(valueSerde)),
                List.of(node), erase(keySerde), erase(valueSerde));
    }

    @Override
    public void foreach(BiConsumer<? super K, ? super V> action) {
        builder.add(new Operation.Foreach(erase(Objects.requireNonNull(action, "action"))), List.of(node), null, null);
    }
}
