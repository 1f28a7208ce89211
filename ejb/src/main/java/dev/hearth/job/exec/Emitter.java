package dev.hearth.job.exec;

/**
 * Receives the records a task emits during one call. The runtime must make every record emitted in one call
 * (outputs and changelog alike) part of the same transaction as the input offsets the call consumed.
 * Called on the task's thread only.
 */
@FunctionalInterface
public interface Emitter {

    void emit(OutputRecord record);
}
