package dev.hearth.job.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hearth.job.api.JobBuilder;

/** Applications' jobs reach the runtime whatever the order of deployments, and leave it with their application. */
class StreamJobRegistryTest {

    private final RecordingRuntime runtime = new RecordingRuntime();

    @AfterEach
    void clear() {
        StreamJobRegistry.detach(runtime);
        StreamJobRegistry.jobs().forEach(job -> StreamJobRegistry.withdraw(job.application()));
    }

    @Test
    void jobsRegisteredBeforeTheRuntimeAttachesAreHandedToItWhenItDoes() {
        StreamJobRegistry.register(List.of(job("shop", "orders-per-hour")));

        StreamJobRegistry.attach(runtime);
        StreamJobRegistry.register(List.of(job("clicks", "clicks-per-page")));

        assertEquals(List.of("+orders-per-hour", "+clicks-per-page"), runtime.events);
    }

    @Test
    void withdrawingAnApplicationStopsItsJobsOnly() {
        StreamJobRegistry.attach(runtime);
        StreamJobRegistry.register(List.of(job("shop", "a"), job("shop", "b")));
        StreamJobRegistry.register(List.of(job("clicks", "c")));

        StreamJobRegistry.withdraw("shop");

        assertEquals(List.of("+a", "+b", "+c", "-a", "-b"), runtime.events);
        assertEquals(List.of("c"), StreamJobRegistry.jobs().stream().map(DeployedJob::name).toList());
    }

    @Test
    void aSecondJobOfTheSameNameIsRefusedAndTheFirstKeepsRunning() {
        StreamJobRegistry.attach(runtime);
        StreamJobRegistry.register(List.of(job("shop", "orders")));
        StreamJobRegistry.register(List.of(job("other", "orders")));

        assertEquals(List.of("+orders"), runtime.events);
        assertEquals("shop", StreamJobRegistry.jobs().get(0).application());
    }

    @Test
    void aRuntimeThatFailsOnOneJobStillGetsTheNext() {
        runtime.failOn = "bad";
        StreamJobRegistry.attach(runtime);
        StreamJobRegistry.register(List.of(job("shop", "bad"), job("shop", "good")));

        assertEquals(List.of("+bad", "+good"), runtime.events);
    }

    private static DeployedJob job(String application, String name) {
        return DeployedJob.defined(application, new JobBuilder(name), StreamJobRegistryTest.class.getClassLoader());
    }

    private static final class RecordingRuntime implements StreamJobRegistry.Runtime {
        final List<String> events = new ArrayList<>();
        String failOn;

        @Override
        public void deployed(DeployedJob job) {
            events.add("+" + job.name());
            if (job.name().equals(failOn)) {
                throw new IllegalStateException("cannot plan " + job.name());
            }
        }

        @Override
        public void withdrawn(DeployedJob job) {
            events.add("-" + job.name());
        }
    }
}
