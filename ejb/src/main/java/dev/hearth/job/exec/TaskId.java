package dev.hearth.job.exec;

/**
 * Identifies a task: stage index and partition. The partition is also the task's sender id in watermark
 * control records.
 */
public record TaskId(int stage, int partition) {

    @Override
    public String toString() {
        return stage + "_" + partition;
    }
}
