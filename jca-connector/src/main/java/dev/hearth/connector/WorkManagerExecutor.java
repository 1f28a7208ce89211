package dev.hearth.connector;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

/**
 * Runs tasks as JCA {@link Work} on the container's WorkManager, so that threads the adapter needs
 * (Netty's event loops) are the container's threads, not threads of its own. Thread-safe.
 */
final class WorkManagerExecutor implements Executor {

    private final WorkManager workManager;

    WorkManagerExecutor(WorkManager workManager) {
        this.workManager = workManager;
    }

    @Override
    public void execute(Runnable task) {
        try {
            workManager.scheduleWork(new Work() {
                @Override
                public void run() {
                    task.run();
                }

                @Override
                public void release() {
                    // Event loops end when their group shuts down; the container has no other way to stop them.
                }
            });
        } catch (WorkException e) {
            throw new RejectedExecutionException("The WorkManager refused a Hearth task: " + e.getMessage(), e);
        }
    }
}
