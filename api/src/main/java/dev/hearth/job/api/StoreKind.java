package dev.hearth.job.api;

/**
 * Where a state store of a job keeps its entries between commits. Either way the store's changelog topic is the
 * source of truth, from which a task is restored wherever it runs; the kind decides only the local copy.
 */
public enum StoreKind {
    /**
     * On local disk, in RocksDB under the runtime's state directory ({@code hearth.jobs.state.dir}): state may be
     * many times larger than the heap, and a restarted task restores only the changelog records written after its
     * last checkpoint. The default, as in Kafka Streams.
     */
    PERSISTENT,
    /** On the heap, deserialized: fastest, bounded by the heap; a restarted task replays its whole changelog. */
    IN_MEMORY
}
