package dev.hearth.platform.metrics;

import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import dev.hearth.job.boundary.JobRuntime;
import dev.hearth.job.control.JobState;
import dev.hearth.job.control.JobStatus;

/**
 * Publishes each deployed stream job's figures at {@code /metrics}, tagged {@code job}: input records consumed
 * and committed, records in and out of its tasks, late records, worker failures, and whether it runs (1) or not.
 * Jobs are known at deployment, so the gauges are registered once; each reads the job's current status.
 * Thread-safe: the gauges read the runtime's status, which is safe from any thread.
 */
@ApplicationScoped
public class JobMetrics {

    static final Metadata CONSUMED = metadata("hearth_job_records_consumed_total",
            "Input records the job consumed and committed, all stages, since deployment");
    static final Metadata RECORDS_IN = metadata("hearth_job_records_in_total",
            "Records processed by the job's tasks as of their last commit, since they were (re)started");
    static final Metadata RECORDS_OUT = metadata("hearth_job_records_out_total",
            "Records emitted by the job's tasks as of their last commit, since they were (re)started");
    static final Metadata LATE = metadata("hearth_job_late_records_total",
            "Records the job's windows sent to the side output as late, since the tasks were (re)started");
    static final Metadata FAILURES = metadata("hearth_job_failures_total",
            "Worker failures of the job since deployment (each followed by a restart from the last commit)");
    static final Metadata DEAD_LETTERED = metadata("hearth_job_dead_lettered_total",
            "Input records sent to the job's dead-letter topic after failing repeatedly, since deployment");
    static final Metadata RUNNING = metadata("hearth_job_running", "1 while the job is RUNNING, else 0");

    @Inject
    MetricRegistry registry;

    @Inject
    JobRuntime runtime;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        for (JobStatus job : runtime.list()) {
            String name = job.name();
            gauge(CONSUMED, name, JobStatus::recordsConsumed);
            gauge(RECORDS_IN, name, JobStatus::recordsIn);
            gauge(RECORDS_OUT, name, JobStatus::recordsOut);
            gauge(LATE, name, JobStatus::lateRecords);
            gauge(FAILURES, name, JobStatus::failures);
            gauge(DEAD_LETTERED, name, JobStatus::deadLettered);
            gauge(RUNNING, name, status -> status.state() == JobState.RUNNING ? 1 : 0);
        }
    }

    private void gauge(Metadata metadata, String job, ToDoubleFunction<JobStatus> value) {
        registry.gauge(metadata, () -> value.applyAsDouble(runtime.status(job)), new Tag("job", job));
    }

    private static Metadata metadata(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }
}
