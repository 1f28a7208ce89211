package dev.hearth.job.control;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Trigger;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job that only retries shows RETRYING, then RUNNING with its last error; FAILED means it stopped for good. */
class RunningJobStateTest {

    private static RunningJob job() {
        JobBuilder builder = new JobBuilder("copy");
        builder.from("in", Serdes.string(), Serdes.string()).to("out", Serdes.string(), Serdes.string());
        return new RunningJob("copy", "app", RunningJobStateTest.class.getClassLoader(), Planner.build(builder), "",
                1, 100, Trigger.continuous(), null);
    }

    @Test
    void aWorkerThatRestartsIsRetryingThenRunningWithItsLastError() {
        RunningJob job = job();
        job.workerRunning(0);
        job.workerFailed(0, new IllegalStateException("Record in-0@3 failed (attempt 1 of 3)"));

        assertEquals(JobState.RETRYING, job.status().state(), "a failure that is retried is not FAILED");
        job.workerRunning(0);
        JobStatus status = job.status();
        assertEquals(JobState.RUNNING, status.state(), "running again after the back-off");
        assertTrue(status.lastError().contains("attempt 1 of 3"), "the last error stays shown: " + status.lastError());
        assertEquals(1, status.failures());
    }

    @Test
    void aWorkerThatStoppedForGoodIsFailed() {
        RunningJob job = job();
        job.workerRunning(0);
        job.workerStopped(0, new NoClassDefFoundError("com/example/Gone"));

        assertEquals(JobState.FAILED, job.status().state());
    }
}
