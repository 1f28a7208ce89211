package dev.hearth.job.api;

/** {@link Table} over its logical source node. Immutable. */
final class FluentTable<K, V> implements Table<K, V> {
    private final LogicalNode node;
    private final Serde<K> keySerde;

    FluentTable(LogicalNode node, Serde<K> keySerde) {
        this.node = node;
        this.keySerde = keySerde;
    }

    LogicalNode node() {
        return node;
    }

    Serde<K> keySerde() {
        return keySerde;
    }

    @Override
    public String topic() {
        return ((Operation.TableSource) node.operation()).topic();
    }
}
