package dev.hearth.job.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds one job's lazy DAG: sources, transformations, sinks. Nothing runs and nothing is validated against a
 * cluster; the planner ({@code dev.hearth.job.plan.Planner#build}) plans the job and freezes the builder.
 * <p>
 * Not thread-safe: a builder is used by the one thread that defines the job.
 */
public final class JobBuilder {
    private final String name;
    private final List<LogicalNode> nodes = new ArrayList<>();
    private final java.util.Set<String> storeNames = new java.util.HashSet<>(); // of the stores added so far
    private String lateRecordsTopic;                   // null: <job>-late
    private long watermarkBroadcastIntervalMs = 1_000; // event-time advance between broadcasts from process()
    private Trigger trigger = Trigger.continuous();
    private StoreKind defaultStoreKind = StoreKind.PERSISTENT;   // of stores that were not given one
    private final Map<String, StoreKind> storeKinds = new HashMap<>(); // by store name, those given one
    private boolean built;

    public JobBuilder(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || !name.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("job name must be a valid topic-name prefix: '" + name + "'");
        }
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Reads {@code topic} as a stream. */
    public <K, V> Stream<K, V> from(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
        Objects.requireNonNull(topic, "topic");
        LogicalNode node = add(new Operation.Source(topic, erase(keySerde), erase(valueSerde)), List.of(),
                erase(keySerde), erase(valueSerde));
        return new FluentStream<>(this, node);
    }

    /** Reads {@code topic} as a table (latest value per key), for stream–table joins. */
    public <K, V> Table<K, V> table(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
        Objects.requireNonNull(topic, "topic");
        LogicalNode node = add(new Operation.TableSource(topic, erase(keySerde), erase(valueSerde),
                nextStoreName("table")), List.of(), erase(keySerde), erase(valueSerde));
        return new FluentTable<>(node, keySerde);
    }

    /**
     * Reads {@code topic} as a table whose latest values are kept in a store of {@code storeKind} (default: the
     * job's, {@link #stores}).
     */
    public <K, V> Table<K, V> table(String topic, Serde<K> keySerde, Serde<V> valueSerde, StoreKind storeKind) {
        storeKind(nextStoreName("table"), Objects.requireNonNull(storeKind, "storeKind"));
        return table(topic, keySerde, valueSerde);
    }

    /**
     * Where the job's state stores keep their entries unless a store is given its own kind
     * ({@link GroupedStream#withStore}, {@link WindowedStream#withStore},
     * {@link #table(String, Serde, Serde, StoreKind)}). Default {@link StoreKind#PERSISTENT}.
     */
    public JobBuilder stores(StoreKind storeKind) {
        this.defaultStoreKind = Objects.requireNonNull(storeKind, "storeKind");
        return this;
    }

    /** The kind of store {@code storeName}: its own, else the job's default. */
    public StoreKind storeKind(String storeName) {
        return storeKinds.getOrDefault(storeName, defaultStoreKind);
    }

    /** The job's default store kind ({@link #stores}). */
    public StoreKind defaultStoreKind() {
        return defaultStoreKind;
    }

    /** The stores given their own kind, by store name. */
    public Map<String, StoreKind> storeKinds() {
        return Collections.unmodifiableMap(storeKinds);
    }

    void storeKind(String storeName, StoreKind storeKind) {
        if (built) {
            throw new IllegalStateException("job " + name + " is already built");
        }
        storeKinds.put(storeName, storeKind);
    }

    /** Default side output of late records for windows that do not name one; default {@code <job>-late}. */
    public JobBuilder lateRecordsTo(String topic) {
        this.lateRecordsTopic = Objects.requireNonNull(topic, "topic");
        return this;
    }

    /**
     * How far (in event time) a task's watermark must advance before it is broadcast from {@code process}; it is
     * always broadcast at {@code punctuate} and {@code finish}. Smaller: downstream windows close sooner, more
     * control records. Default 1 s.
     */
    public JobBuilder watermarkBroadcastInterval(Duration interval) {
        this.watermarkBroadcastIntervalMs = interval.toMillis();
        return this;
    }

    /** When results become visible: continuous (default) or micro-batches; see {@link Trigger}. */
    public JobBuilder trigger(Trigger trigger) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        return this;
    }

    public Trigger trigger() {
        return trigger;
    }

    /** The logical DAG built so far, in ascending id order (a topological order); unmodifiable. */
    public List<LogicalNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Late records of windows that name no topic go here: the {@link #lateRecordsTo} topic, or {@code <job>-late}. */
    public String lateRecordsTopic() {
        return lateRecordsTopic != null ? lateRecordsTopic : name + "-late";
    }

    /** See {@link #watermarkBroadcastInterval(Duration)}; in milliseconds. */
    public long watermarkBroadcastIntervalMs() {
        return watermarkBroadcastIntervalMs;
    }

    /** Called once the job is planned; the builder accepts no further nodes. */
    public void freeze() {
        built = true;
    }

    LogicalNode add(Operation operation, List<LogicalNode> parents, Serde<Object> keySerde,
                    Serde<Object> valueSerde) {
        if (built) {
            throw new IllegalStateException("job " + name + " is already built");
        }
        String store = operation instanceof Operation.Aggregate a ? a.storeName()
                : operation instanceof Operation.WindowedAggregate w ? w.storeName()
                : operation instanceof Operation.TableSource t ? t.storeName() : null;
        if (store != null && !storeNames.add(store)) {
            throw new IllegalArgumentException("job " + name + " has two stores named '" + store + "'");
        }
        LogicalNode node = new LogicalNode(nodes.size(), operation, parents, keySerde, valueSerde);
        nodes.add(node);
        return node;
    }

    /** A store name unique in the job: {@code <kind>-<id of the node about to be added>}. */
    String nextStoreName(String kind) {
        return kind + "-" + nodes.size();
    }

    /** A store name a user chose, if it can name a store (and a topic): letters, digits, '.', '_', '-'. */
    static String checkStoreName(String storeName) {
        Objects.requireNonNull(storeName, "storeName");
        if (!storeName.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("a store name has 1 to 100 letters, digits, '.', '_' or '-', not '"
                    + storeName + "'");
        }
        return storeName;
    }

    @SuppressWarnings("unchecked")
    static <T> T erase(Object value) {
        return (T) value;
    }
}
