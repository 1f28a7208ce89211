package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;

import java.util.function.BiFunction;

/**
 * Inner stream–table join: looks the stream key up in the table's store (by the table key serde's bytes, which is
 * how the table was keyed) and forwards the joined value; records with no key or no table entry are dropped.
 * Sees every table update the task processed before the stream record. Confined to the task's thread.
 */
final class TableJoinProcessor extends ForwardingProcessor {
    private final KeyValueStore<Object> table;
    private final Serde<Object> tableKeySerde;
    private final BiFunction<Object, Object, Object> joiner;

    TableJoinProcessor(KeyValueStore<Object> table, Serde<Object> tableKeySerde,
                       BiFunction<Object, Object, Object> joiner) {
        this.table = table;
        this.tableKeySerde = tableKeySerde;
        this.joiner = joiner;
    }

    @Override
    public void process(Object key, Object value, long timestampMs) {
        if (key == null) {
            return;
        }
        Object tableValue = table.get(new Bytes(tableKeySerde.serialize(key)));
        if (tableValue != null) {
            forward(key, joiner.apply(value, tableValue), timestampMs);
        }
    }
}
