package dev.hearth.job.api;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * An unbounded (or, in a batch run, bounded) sequence of keyed records. Every method only adds a node to the
 * job's lazy DAG; nothing runs until the runtime executes the built {@link dev.hearth.job.plan.JobDefinition}.
 * <p>
 * User functions are shared by every task of the job and may be called from several threads at once: they must
 * be side-effect free (except {@link #peek} and {@link #foreach}, whose side effects must be thread-safe).
 * <p>
 * A stream remembers the serdes of its key and value when they are known (from {@link JobBuilder#from},
 * {@link #keyBy}, aggregations). Every operation that changes the key or value type has an overload that takes the
 * new serde(s) ({@link #map(BiFunction, Serde, Serde)}, {@link #mapValues(Function, Serde)},
 * {@link #flatMap(BiFunction, Serde, Serde)}, {@link #join(Table, BiFunction, Serde)},
 * {@link #join(Stream, JoinWindows, BiFunction, Serde)}); without it the new serde is unknown, and a later grouping,
 * join or repartition asks for it ({@link #groupByKey(Serde, Serde)}).
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface Stream<K, V> {

    /** Replaces key and value; the key may change, so a later grouping or join repartitions. */
    <KR, VR> Stream<KR, VR> map(BiFunction<? super K, ? super V, KeyValue<KR, VR>> mapper);

    /** As {@link #map(BiFunction)}, remembering the new key and value serdes for a later grouping or join. */
    <KR, VR> Stream<KR, VR> map(BiFunction<? super K, ? super V, KeyValue<KR, VR>> mapper, Serde<KR> keySerde,
                                Serde<VR> valueSerde);

    /** Replaces the value; the key, and hence the partitioning, is unchanged. */
    <VR> Stream<K, VR> mapValues(Function<? super V, ? extends VR> mapper);

    /** As {@link #mapValues(Function)}, remembering the new value serde for a later grouping. */
    <VR> Stream<K, VR> mapValues(Function<? super V, ? extends VR> mapper, Serde<VR> valueSerde);

    /** Keeps the records the predicate accepts. */
    Stream<K, V> filter(BiPredicate<? super K, ? super V> predicate);

    /** Replaces each record by zero or more records; keys may change. */
    <KR, VR> Stream<KR, VR> flatMap(BiFunction<? super K, ? super V, ? extends Iterable<KeyValue<KR, VR>>> mapper);

    /** As {@link #flatMap(BiFunction)}, remembering the new key and value serdes for a later grouping or join. */
    <KR, VR> Stream<KR, VR> flatMap(BiFunction<? super K, ? super V, ? extends Iterable<KeyValue<KR, VR>>> mapper,
                                    Serde<KR> keySerde, Serde<VR> valueSerde);

    /**
     * The records of this stream and of {@code other} (a stream of the same job and types) as one stream, each
     * side's records in their own order, no order between the sides. Both sides run in the same tasks, so streams
     * read straight from topics must be co-partitioned, as for a join; sides re-keyed by {@link #keyBy} or
     * {@link #map} are repartitioned once after the merge if a grouping or join follows. The serdes are this
     * stream's, else {@code other}'s. Merging a stream with one derived from it is allowed: if both would put a stage
     * downstream of itself, one side is repartitioned by its key.
     */
    Stream<K, V> merge(Stream<K, V> other);

    /** Calls {@code action} for every record and passes the record on. */
    Stream<K, V> peek(BiConsumer<? super K, ? super V> action);

    /**
     * Splits the stream: a record goes to the stream of the first predicate that accepts it, or nowhere.
     *
     * @return one stream per predicate, in order
     */
    @SuppressWarnings("unchecked")
    List<Stream<K, V>> branch(BiPredicate<? super K, ? super V>... predicates);

    /** Re-keys the stream. A grouping or table join downstream forces a repartition; nothing else does. */
    <KR> Stream<KR, V> keyBy(BiFunction<? super K, ? super V, ? extends KR> keySelector, Serde<KR> keySerde);

    /**
     * Stamps each record with an event time. Called directly on a stream from {@link JobBuilder#from}, it also
     * defines the event time that drives watermarks for that source; elsewhere it only re-stamps records (the
     * watermark still follows the source's event time). Default event time: the record timestamp.
     */
    Stream<K, V> withEventTime(EventTimeExtractor<? super K, ? super V> extractor);

    /** Groups by the current key, using the stream's known serdes. */
    GroupedStream<K, V> groupByKey();

    /** Groups by the current key with explicit serdes (needed after {@link #map}). */
    GroupedStream<K, V> groupByKey(Serde<K> keySerde, Serde<V> valueSerde);

    /**
     * Inner stream–table join on the key: each stream record is joined with the table's current value for its
     * key; records without one are dropped. Stream and table topic must be co-partitioned (a re-keyed stream is
     * repartitioned to the table's partition count).
     */
    <VT, VR> Stream<K, VR> join(Table<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner);

    /** As {@link #join(Table, BiFunction)}, remembering the joined value's serde for a later grouping or join. */
    <VT, VR> Stream<K, VR> join(Table<K, VT> table, BiFunction<? super V, ? super VT, ? extends VR> joiner,
                                Serde<VR> resultValueSerde);

    /**
     * Inner windowed stream–stream join on the key: a record of this stream at event time {@code t} joins every
     * record of {@code other} with an equal key whose event time is in {@code [t - before, t + after]}, and vice
     * versa; each pair is emitted once, when the second of the two is processed, stamped with the later of the two
     * event times. Records with a {@code null} key or value join nothing. Records arriving after their join window
     * closed go to the windows' late-record topic (see {@link JoinWindows}). Both streams must be co-partitioned: a
     * re-keyed side is repartitioned. Needs the key and both value serdes (for the join's state); after
     * {@link #map} use {@link #join(Stream, JoinWindows, BiFunction, Serde, Serde, Serde)}.
     */
    <VO, VR> Stream<K, VR> join(Stream<K, VO> other, JoinWindows windows,
                                BiFunction<? super V, ? super VO, ? extends VR> joiner);

    /**
     * As {@link #join(Stream, JoinWindows, BiFunction)}, remembering the joined value's serde for a later grouping
     * or join.
     */
    <VO, VR> Stream<K, VR> join(Stream<K, VO> other, JoinWindows windows,
                                BiFunction<? super V, ? super VO, ? extends VR> joiner, Serde<VR> resultValueSerde);

    /** As {@link #join(Stream, JoinWindows, BiFunction)} with explicit serdes for the key and both values. */
    <VO, VR> Stream<K, VR> join(Stream<K, VO> other, JoinWindows windows,
                                BiFunction<? super V, ? super VO, ? extends VR> joiner,
                                Serde<K> keySerde, Serde<V> valueSerde, Serde<VO> otherValueSerde);

    /** Writes every record to {@code topic}; the partition is chosen by the key. */
    void to(String topic, Serde<K> keySerde, Serde<V> valueSerde);

    /** Terminal action for every record. */
    void foreach(BiConsumer<? super K, ? super V> action);
}
