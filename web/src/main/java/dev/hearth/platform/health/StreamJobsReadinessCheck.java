package dev.hearth.platform.health;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.hearth.job.boundary.JobRuntime;
import dev.hearth.job.control.JobState;
import dev.hearth.job.control.JobStatus;

/**
 * Not ready while a deployed stream job is rejected (its definition or plan failed, or its plan no longer fits its
 * state): a deployment that left a job not running is visible to the operator and the load balancer, with each
 * rejected job's reason as data. The other jobs and the log keep running meanwhile.
 */
@Readiness
@ApplicationScoped
public class StreamJobsReadinessCheck implements HealthCheck {

    @Inject
    JobRuntime jobs;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("hearth-stream-jobs").up();
        List<JobStatus> statuses;
        try {
            statuses = jobs.list();
        } catch (RuntimeException e) {
            // Asked before the job runtime has started (Payara probes while hearth.war starts): not ready yet.
            return response.down().withData("jobs", "starting").build();
        }
        response.withData("jobs", statuses.size());
        for (JobStatus job : statuses) {
            if (job.state() == JobState.REJECTED) {
                response.down().withData(job.name(), job.lastError());
            }
        }
        return response.build();
    }
}
