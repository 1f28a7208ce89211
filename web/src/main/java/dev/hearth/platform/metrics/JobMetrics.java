package dev.hearth.platform.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import dev.hearth.job.boundary.JobNotFoundException;
import dev.hearth.job.boundary.JobRuntime;
import dev.hearth.job.control.JobChange;
import dev.hearth.job.control.JobState;
import dev.hearth.job.control.JobStatus;

/**
 * Publishes each deployed stream job's figures at {@code /metrics}, tagged {@code job}: input records consumed
 * and committed, records in and out of its tasks, late records, worker failures, and whether it runs (1) or not.
 * A job's gauges are registered when an application deploys it and removed when it is undeployed; each reads the
 * job's current status.
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
    private static final List<Metadata> ALL = List.of(CONSUMED, RECORDS_IN, RECORDS_OUT, LATE, FAILURES,
            DEAD_LETTERED, RUNNING);

    @Inject
    MetricRegistry registry;

    @Inject
    JobRuntime runtime;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        runtime.list().forEach(job -> register(job.name()));
    }

    void onChange(@Observes JobChange change) {
        if (change.deployed()) {
            register(change.job());
        } else {
            for (Metadata metadata : ALL) {
                registry.remove(new MetricID(metadata.getName(), new Tag("job", change.job())));
            }
        }
    }

    private void register(String job) {
        gauge(CONSUMED, job, JobStatus::recordsConsumed);
        gauge(RECORDS_IN, job, JobStatus::recordsIn);
        gauge(RECORDS_OUT, job, JobStatus::recordsOut);
        gauge(LATE, job, JobStatus::lateRecords);
        gauge(FAILURES, job, JobStatus::failures);
        gauge(DEAD_LETTERED, job, JobStatus::deadLettered);
        gauge(RUNNING, job, status -> status.state() == JobState.RUNNING ? 1 : 0);
    }

    /** A gauge of the job's status; NaN once the job is gone (its application undeployed) and before removal. */
    private void gauge(Metadata metadata, String job, ToDoubleFunction<JobStatus> value) {
        if (registry.getGauge(new MetricID(metadata.getName(), new Tag("job", job))) != null) {
            return;
        }
        registry.gauge(metadata, () -> {
            try {
                return value.applyAsDouble(runtime.status(job));
            } catch (JobNotFoundException e) {
                return Double.NaN;
            }
        }, new Tag("job", job));
    }

    private static Metadata metadata(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }
}
