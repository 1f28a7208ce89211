package dev.hearth.job.api;

import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

import static dev.hearth.job.api.JobBuilder.erase;

/** count, reduce and aggregate as type-erased {@link Aggregation}s. Stateless. */
final class Aggregations {

    private Aggregations() {
    }

    static Aggregation count() {
        return new Aggregation("count", () -> 0L, (key, value, count) -> (Long) count + 1,
                (key, left, right) -> (Long) left + (Long) right, erase(Serdes.longs()));
    }

    /** Starts from "no aggregate" ({@code null}): the first value is the aggregate. */
    static <V> Aggregation reduce(BinaryOperator<V> reducer, Serde<V> valueSerde) {
        Objects.requireNonNull(reducer, "reducer");
        BinaryOperator<Object> erased = erase(reducer);
        return new Aggregation("reduce", () -> null,
                (key, value, aggregate) -> aggregate == null ? value : erased.apply(aggregate, value),
                (key, left, right) -> erased.apply(left, right), erase(valueSerde));
    }

    static <K, V, A> Aggregation aggregate(Supplier<A> initializer, Aggregator<? super K, ? super V, A> adder,
                                           Merger<? super K, A> merger, Serde<A> aggregateSerde) {
        return new Aggregation("aggregate", erase(Objects.requireNonNull(initializer, "initializer")),
                erase(Objects.requireNonNull(adder, "adder")), erase(merger),
                erase(Objects.requireNonNull(aggregateSerde, "aggregateSerde")));
    }
}
