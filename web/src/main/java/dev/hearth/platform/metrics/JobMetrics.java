package dev.hearth.platform.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.hearth.job.boundary.JobRuntime;
import dev.hearth.job.control.JobState;
import dev.hearth.job.control.JobStatus;

/**
 * Each deployed stream job's figures, labelled {@code job}: input records consumed and committed, records in and
 * out of its tasks, late records, worker failures, dead-lettered records (counters), and whether it runs (gauge,
 * 1 or 0). Read from the job runtime at every scrape, so a job shows from the first scrape after its deployment
 * and disappears with its application. Thread-safe: the runtime's status is safe from any thread.
 */
@ApplicationScoped
public class JobMetrics implements MetricsSource {

    /** One family: its name, type, help and how to read it from a status. */
    private record Family(String name, PrometheusText.Type type, String help, ToDoubleFunction<JobStatus> value) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("hearth_job_records_consumed_total", PrometheusText.Type.COUNTER,
                    "Input records the job consumed and committed, all stages, since deployment",
                    JobStatus::recordsConsumed),
            new Family("hearth_job_records_in_total", PrometheusText.Type.COUNTER,
                    "Records processed by the job's tasks as of their last commit; kept across restarts with the committed offsets",
                    JobStatus::recordsIn),
            new Family("hearth_job_records_out_total", PrometheusText.Type.COUNTER,
                    "Records emitted by the job's tasks as of their last commit; kept across restarts with the committed offsets",
                    JobStatus::recordsOut),
            new Family("hearth_job_late_records_total", PrometheusText.Type.COUNTER,
                    "Records the job's windows sent to the side output as late; kept across restarts with the committed offsets",
                    JobStatus::lateRecords),
            new Family("hearth_job_failures_total", PrometheusText.Type.COUNTER,
                    "Worker failures of the job since deployment (each followed by a restart from the last commit)",
                    JobStatus::failures),
            new Family("hearth_job_dead_lettered_total", PrometheusText.Type.COUNTER,
                    "Input records sent to the job's dead-letter topic after failing repeatedly, since deployment",
                    JobStatus::deadLettered),
            new Family("hearth_job_running", PrometheusText.Type.GAUGE, "1 while the job is RUNNING, else 0",
                    status -> status.state() == JobState.RUNNING ? 1 : 0));

    @Inject
    JobRuntime runtime;

    @Override
    public void writeTo(PrometheusText text) {
        List<JobStatus> statuses = runtime.list();
        for (Family family : FAMILIES) {
            text.family(family.name(), family.type(), family.help());
            for (JobStatus status : statuses) {
                text.sample(family.name(), family.value().applyAsDouble(status), "job", status.name());
            }
        }
    }
}
