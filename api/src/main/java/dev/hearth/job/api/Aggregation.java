package dev.hearth.job.api;

import java.util.function.Supplier;

/**
 * The type-erased functions of one aggregation: {@code count}, {@code reduce} and {@code aggregate} are all
 * expressed as initializer + adder (+ merger for sessions). A {@code null} from the initializer means "no
 * aggregate yet" (how {@code reduce} starts). Immutable; shared by every task.
 *
 * @param name           what the aggregation is, for {@code explain()}: count, reduce or aggregate
 * @param initializer    the aggregate of an empty group
 * @param adder          folds one record into the aggregate
 * @param merger         combines the aggregates of two merged sessions; {@code null} if not supported
 * @param aggregateSerde writes aggregates to the changelog
 */
public record Aggregation(String name, Supplier<Object> initializer, Aggregator<Object, Object, Object> adder,
                          Merger<Object, Object> merger, Serde<Object> aggregateSerde) {
}
