package dev.hearth.job.exec;

import dev.hearth.job.api.Aggregation;
import dev.hearth.job.api.Serde;

/**
 * Non-windowed aggregation: folds each record into its key's aggregate, stores it (changelog) and forwards the new
 * aggregate, like a table changelog. Records with a {@code null} key are dropped. Confined to the task's thread.
 */
final class AggregateProcessor extends ForwardingProcessor {
    private final KeyValueStore<Object> store;
    private final Serde<Object> keySerde;
    private final Aggregation aggregation;

    AggregateProcessor(KeyValueStore<Object> store, Serde<Object> keySerde, Aggregation aggregation) {
        this.store = store;
        this.keySerde = keySerde;
        this.aggregation = aggregation;
    }

    @Override
    public void process(Object key, Object value, long timestampMs) {
        if (key == null) {
            return;
        }
        Bytes storeKey = new Bytes(keySerde.serialize(key));
        Object aggregate = store.get(storeKey);
        if (aggregate == null) {
            aggregate = aggregation.initializer().get();
        }
        aggregate = aggregation.adder().apply(key, value, aggregate);
        store.put(storeKey, aggregate);
        forward(key, aggregate, timestampMs);
    }
}
