package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

/**
 * Materializes a table topic into a key-value store keyed by the record's key bytes: a value replaces the key's
 * entry, a tombstone deletes it, a record without key is ignored. Feeds no operator directly: joins read the
 * store. Confined to the task's thread.
 */
final class TableSourceProcessor {
    private final KeyValueStore<Object> store;
    private final Serde<Object> valueSerde;

    TableSourceProcessor(KeyValueStore<Object> store, Serde<Object> valueSerde) {
        this.store = store;
        this.valueSerde = valueSerde;
    }

    void accept(InputRecord record) {
        if (record.key() == null) {
            return;
        }
        Bytes key = new Bytes(record.key());
        if (record.value() == null) {
            store.delete(key);
        } else {
            store.put(key, valueSerde.deserialize(record.value()));
        }
    }

    KeyValueStore<Object> store() {
        return store;
    }
}
