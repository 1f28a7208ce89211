package dev.hearth.engine;

/**
 * An append written to its partition's log but not yet made durable or announced. {@link #complete} forces it
 * to disk per the flush policy (group-committed with concurrent appends), tells the append listeners, and
 * gives the result. A request that appends to several partitions writes them all first and completes them
 * after: the first fsync then finds the others' data already on its way (ext4 writes the data of every file
 * in the journal transaction it commits), so the partitions' fsyncs after it find little left to do.
 *
 * <p>Thread-safety: complete once, from any thread.
 */
public interface PendingAppend {

    /**
     * @throws StorageException the fsync failed; the partition is offline
     */
    AppendResult complete();
}
