package dev.hearth.job.control;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.hearth.job.api.Operation;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.PhysicalNode;
import dev.hearth.job.plan.PhysicalPlan;
import dev.hearth.job.plan.Stage;

/**
 * A state store of a job that interactive queries may read: the store of a table, of an aggregation or of a
 * windowed aggregation, under the name the DSL gave it ({@code GroupedStream.withStoreName}, else derived, e.g.
 * {@code count-3}). The buffers of stream–stream joins are internal and not queryable. Immutable.
 *
 * @param stage        the stage whose tasks hold the store, one per partition
 * @param keySerde     how the store's keys were serialized; the key bytes decide the partition
 * @param valueSerde   how its values (aggregates) are serialized
 * @param windowSizeMs the length of a window for {@link Kind#WINDOW}, else 0
 */
public record QueryableStore(String name, Kind kind, int stage, Serde<Object> keySerde, Serde<Object> valueSerde,
                             long windowSizeMs) {

    /** What a store holds per key, and so how it is read. */
    public enum Kind {
        /** The latest value per key. */
        KEY_VALUE,
        /** An aggregate per key and fixed-size window (tumbling or hopping), until the window is final. */
        WINDOW,
        /** Sessions per key, until they are final. */
        SESSION
    }

    /** The queryable stores of {@code plan}, by name, in plan order. */
    static Map<String, QueryableStore> of(PhysicalPlan plan) {
        Map<String, QueryableStore> stores = new LinkedHashMap<>();
        for (Stage stage : plan.stages()) {
            for (PhysicalNode node : stage.operators()) {
                QueryableStore store = null;
                if (node.operation() instanceof Operation.TableSource t) {
                    store = new QueryableStore(t.storeName(), Kind.KEY_VALUE, stage.index(), t.keySerde(),
                            t.valueSerde(), 0);
                } else if (node.operation() instanceof Operation.Aggregate a) {
                    store = new QueryableStore(a.storeName(), Kind.KEY_VALUE, stage.index(), a.keySerde(),
                            a.aggregation().aggregateSerde(), 0);
                } else if (node.operation() instanceof Operation.WindowedAggregate w) {
                    boolean session = w.windows().kind() == Windows.Kind.SESSION;
                    store = new QueryableStore(w.storeName(), session ? Kind.SESSION : Kind.WINDOW, stage.index(),
                            w.keySerde(), w.aggregation().aggregateSerde(), session ? 0 : w.windows().sizeMs());
                }
                if (store != null) {
                    stores.put(store.name(), store);
                }
            }
        }
        return stores;
    }
}
