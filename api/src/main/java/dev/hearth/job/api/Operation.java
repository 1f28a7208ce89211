package dev.hearth.job.api;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * What one DAG node does. Type-erased (the typed API casts on the way in); immutable; the functions inside are
 * the user's and are shared by every task.
 * <p>
 * Two properties drive the planner: {@link #changesKey()} (records may move to another key, so a downstream
 * grouping must repartition) and {@link #needsCoPartitionedInput()} (every record of a key must reach the same
 * task).
 */
public sealed interface Operation {

    /** The operator as printed by {@code explain()}. */
    String label();

    /** Whether output records may have a different key than input records. */
    default boolean changesKey() {
        return false;
    }

    /** Whether the node's (stream) input must be partitioned by its current key. */
    default boolean needsCoPartitionedInput() {
        return false;
    }

    /** Reads a topic as a stream. */
    record Source(String topic, Serde<Object> keySerde, Serde<Object> valueSerde) implements Operation {
        public String label() {
            return "Source[" + topic + "]";
        }
    }

    /** Reads a topic as a table, materialized in store {@code storeName}. */
    record TableSource(String topic, Serde<Object> keySerde, Serde<Object> valueSerde, String storeName)
            implements Operation {
        public String label() {
            return "TableSource[" + topic + ", store=" + storeName + "]";
        }
    }

    record Map(BiFunction<Object, Object, KeyValue<Object, Object>> mapper) implements Operation {
        public String label() {
            return "Map";
        }

        public boolean changesKey() {
            return true;
        }
    }

    record MapValues(Function<Object, Object> mapper) implements Operation {
        public String label() {
            return "MapValues";
        }
    }

    record Filter(BiPredicate<Object, Object> predicate) implements Operation {
        public String label() {
            return "Filter";
        }
    }

    record FlatMap(BiFunction<Object, Object, Iterable<KeyValue<Object, Object>>> mapper) implements Operation {
        public String label() {
            return "FlatMap";
        }

        public boolean changesKey() {
            return true;
        }
    }

    /**
     * Passes on the records of all its parents (two or more streams of one key and value type), each in the order
     * its parent emits them; no order between parents. The output key counts as changed if any parent's has.
     */
    record Merge() implements Operation {
        public String label() {
            return "Merge";
        }
    }

    record Peek(BiConsumer<Object, Object> action) implements Operation {
        public String label() {
            return "Peek";
        }
    }

    /** Routes each record to the output of the first accepting predicate; children are {@link BranchOutput}s. */
    record Branch(List<BiPredicate<Object, Object>> predicates) implements Operation {
        public String label() {
            return "Branch[" + predicates.size() + "]";
        }
    }

    /** Output {@code index} of the parent {@link Branch}. */
    record BranchOutput(int index) implements Operation {
        public String label() {
            return "BranchOutput[" + index + "]";
        }
    }

    record KeyBy(BiFunction<Object, Object, Object> keySelector) implements Operation {
        public String label() {
            return "KeyBy";
        }

        public boolean changesKey() {
            return true;
        }
    }

    record EventTime(EventTimeExtractor<Object, Object> extractor) implements Operation {
        public String label() {
            return "EventTime";
        }
    }

    record Foreach(BiConsumer<Object, Object> action) implements Operation {
        public String label() {
            return "Foreach";
        }
    }

    record Sink(String topic, Serde<Object> keySerde, Serde<Object> valueSerde) implements Operation {
        public String label() {
            return "Sink[" + topic + "]";
        }
    }

    /** Stream–table join; parents are (stream, table source). */
    record TableJoin(BiFunction<Object, Object, Object> joiner, Serde<Object> tableKeySerde) implements Operation {
        public String label() {
            return "TableJoin";
        }

        public boolean needsCoPartitionedInput() {
            return true;
        }
    }

    /** Non-windowed aggregation in key-value store {@code storeName}. */
    record Aggregate(String storeName, Aggregation aggregation, Serde<Object> keySerde, Serde<Object> valueSerde)
            implements Operation {
        public String label() {
            return "Aggregate[" + aggregation.name() + ", store=" + storeName + "]";
        }

        public boolean needsCoPartitionedInput() {
            return true;
        }
    }

    /**
     * Windowed aggregation in window store {@code storeName} (sliding windows also keep their input records, in
     * {@link #recordStoreName()}); {@code lateTopic} null until planned.
     */
    record WindowedAggregate(String storeName, Aggregation aggregation, Serde<Object> keySerde,
                             Serde<Object> valueSerde, Windows windows, String lateTopic) implements Operation {

        /** The store of the records sliding windows are computed from: {@code <store>-records}; null otherwise. */
        public String recordStoreName() {
            return windows.kind() == Windows.Kind.SLIDING ? storeName + "-records" : null;
        }

        public String label() {
            return "WindowedAggregate[" + aggregation.name() + ", " + windows + ", store=" + storeName
                    + ", late=" + lateTopic + "]";
        }

        public boolean needsCoPartitionedInput() {
            return true;
        }
    }

    /**
     * Windowed stream–stream inner join; parents are (left, right). Each side's records are kept in its own
     * join window store; {@code lateTopic} null until planned.
     */
    record StreamJoin(String leftStoreName, String rightStoreName, BiFunction<Object, Object, Object> joiner,
                      JoinWindows windows, Serde<Object> keySerde, Serde<Object> leftValueSerde,
                      Serde<Object> rightValueSerde, String lateTopic) implements Operation {
        public String label() {
            return "StreamJoin[" + windows + ", stores=" + leftStoreName + "," + rightStoreName + ", late="
                    + lateTopic + "]";
        }

        public boolean needsCoPartitionedInput() {
            return true;
        }
    }

    /** Planner-inserted: writes records, partitioned by key, to an internal topic. */
    record RepartitionSink(String topic, Serde<Object> keySerde, Serde<Object> valueSerde) implements Operation {
        public String label() {
            return "RepartitionSink[" + topic + "]";
        }
    }

    /** Planner-inserted: reads an internal repartition topic in the downstream stage. */
    record RepartitionSource(String topic, Serde<Object> keySerde, Serde<Object> valueSerde) implements Operation {
        public String label() {
            return "RepartitionSource[" + topic + "]";
        }
    }
}
