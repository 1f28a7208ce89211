package dev.hearth.job.exec;

/**
 * A task-local state store whose every change is written to its changelog topic in the same task call, so that
 * replaying the changelog partition rebuilds it exactly. Implementations are confined to the task's thread.
 * The in-memory implementations keep everything on the heap; a spilling store would implement the same interface.
 */
public interface StateStore {

    /** Store name, unique in the job; the changelog topic is {@code <job>-<name>-changelog}. */
    String name();

    String changelogTopic();

    /** Applies one changelog record, without emitting anything; {@code value == null} deletes. */
    void restore(byte[] key, byte[] value);
}
