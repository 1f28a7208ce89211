package dev.hearth.job.exec;

/**
 * A task-local state store whose every change is written to its changelog topic by the next {@link #flush()}
 * ({@link StageTask} flushes at the end of every call or, when the runtime defers it, before every commit), so that
 * replaying the changelog partition rebuilds it exactly as of the last commit. Implementations are confined to the
 * task's thread.
 * The in-memory implementations keep everything on the heap; the RocksDB ones ({@link RocksDbStore}) keep it on
 * local disk, as a copy of the changelog that holds committed state only.
 */
public interface StateStore {

    /** Store name, unique in the job; the changelog topic is {@code <job>-<name>-changelog}. */
    String name();

    String changelogTopic();

    /** Applies one changelog record, without emitting anything; {@code value == null} deletes. */
    void restore(byte[] key, byte[] value);

    /**
     * Emits the changes buffered since the last flush (the latest value of each changed entry, once). Stores that
     * write through emit nothing here.
     */
    default void flush() {
    }
}
