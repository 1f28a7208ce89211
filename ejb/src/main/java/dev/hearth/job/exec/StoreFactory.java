package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;
import dev.hearth.job.api.StoreKind;
import dev.hearth.job.plan.PhysicalPlan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates the state stores of one task, each of the kind its job chose ({@link StoreKind}): RocksDB under the
 * task's {@link TaskStateDirectory} for {@link StoreKind#PERSISTENT}, the heap for {@link StoreKind#IN_MEMORY}
 * or when the runtime gives no state directory (a bounded run, whose state lives as long as the run). Keeps
 * every store it created by changelog topic, so a compilation that fails half-way closes those it opened.
 * Confined to the compiling thread.
 */
final class StoreFactory {
    private final PhysicalPlan plan;
    private final TaskContext context;
    private final TaskStateDirectory directory; // null: every store in memory
    private final Map<String, StateStore> storesByChangelog = new LinkedHashMap<>();

    StoreFactory(PhysicalPlan plan, TaskContext context, TaskStateDirectory directory) {
        this.plan = plan;
        this.context = context;
        this.directory = directory;
    }

    TaskStateDirectory directory() {
        return directory;
    }

    Map<String, StateStore> storesByChangelog() {
        return storesByChangelog;
    }

    <V> KeyValueStore<V> keyValue(String storeName, Serde<V> valueSerde) {
        String changelog = PhysicalPlan.changelogTopic(plan.jobName(), storeName);
        return add(persistent(storeName)
                ? new RocksDbKeyValueStore<>(storeName, changelog, valueSerde, context, directory)
                : new InMemoryKeyValueStore<>(storeName, changelog, valueSerde, context));
    }

    <K, A> WindowStore<K, A> window(String storeName, Serde<K> keySerde, Serde<A> aggregateSerde) {
        String changelog = PhysicalPlan.changelogTopic(plan.jobName(), storeName);
        return add(persistent(storeName)
                ? new RocksDbWindowStore<>(storeName, changelog, keySerde, aggregateSerde, context, directory)
                : new InMemoryWindowStore<>(storeName, changelog, keySerde, aggregateSerde, context));
    }

    <K, A> SessionStore<K, A> session(String storeName, Serde<K> keySerde, Serde<A> aggregateSerde) {
        String changelog = PhysicalPlan.changelogTopic(plan.jobName(), storeName);
        return add(persistent(storeName)
                ? new RocksDbSessionStore<>(storeName, changelog, keySerde, aggregateSerde, context, directory)
                : new InMemorySessionStore<>(storeName, changelog, keySerde, aggregateSerde, context));
    }

    <V> JoinWindowStore<V> joinWindow(String storeName, Serde<V> valueSerde) {
        return joinWindow(storeName, valueSerde, storeName);
    }

    /** A join-window store of the kind chosen for store {@code kindOf} (a sliding window's record store). */
    <V> JoinWindowStore<V> joinWindow(String storeName, Serde<V> valueSerde, String kindOf) {
        String changelog = PhysicalPlan.changelogTopic(plan.jobName(), storeName);
        return add(persistent(kindOf)
                ? new RocksDbJoinWindowStore<>(storeName, changelog, valueSerde, context, directory)
                : new InMemoryJoinWindowStore<>(storeName, changelog, valueSerde, context));
    }

    /** Closes every persistent store created so far (a compilation failed). */
    void closeAll() {
        for (StateStore store : storesByChangelog.values()) {
            if (store instanceof RocksDbStore persistent) {
                persistent.close();
            }
        }
    }

    private boolean persistent(String storeName) {
        return directory != null && plan.options().storeKind(storeName) == StoreKind.PERSISTENT;
    }

    private <S extends StateStore> S add(S store) {
        storesByChangelog.put(store.changelogTopic(), store);
        return store;
    }
}
