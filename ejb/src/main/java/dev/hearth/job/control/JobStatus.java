package dev.hearth.job.control;

import java.time.Instant;
import java.util.List;

/**
 * A job as the admin API shows it.
 *
 * @param application     the application that deployed it
 * @param trigger         {@code continuous} or {@code micro-batch every <n> ms}
 * @param recordsConsumed input records consumed and committed by the job's workers since deployment, all stages
 *                        (source, table and repartition topics)
 * @param failures        worker failures since deployment (each followed by a restart from the last commit)
 * @param deadLettered    input records sent to the job's dead-letter topic after failing repeatedly
 * @param lastError       the last failure, or null
 * @param tasks           per task (stage, partition), as of its worker's last commit
 */
public record JobStatus(String name, String application, JobState state, String groupId, int workers, String trigger,
                        List<String> sourceTopics, List<String> sinkTopics, String plan, long recordsConsumed,
                        long failures, long deadLettered, String lastError, Instant lastErrorAt,
                        List<TaskStatus> tasks) {

    public JobStatus {
        sourceTopics = List.copyOf(sourceTopics);
        sinkTopics = List.copyOf(sinkTopics);
        tasks = List.copyOf(tasks);
    }

    public long recordsIn() {
        return tasks.stream().mapToLong(TaskStatus::recordsIn).sum();
    }

    public long recordsOut() {
        return tasks.stream().mapToLong(TaskStatus::recordsOut).sum();
    }

    public long lateRecords() {
        return tasks.stream().mapToLong(TaskStatus::lateRecords).sum();
    }

    /**
     * One task.
     *
     * @param watermarkMs the event-time watermark of the task's inputs (the minimum over them), Long.MIN_VALUE
     *                    before every input has been heard from
     */
    public record TaskStatus(int stage, int partition, long recordsIn, long recordsOut, long lateRecords,
                             long watermarkMs) {
    }
}
