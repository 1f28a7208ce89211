package dev.hearth.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client workloads of a reliability test, each on a daemon thread of its own, and whatever any of them threw:
 * a workload must ride out every restart, so one that ends with an exception fails the test.
 *
 * <p>Thread-safety: {@link #start} and {@link #joinAndAssertNoFailure} from the test thread; failures are
 * collected from the workload threads into a synchronized list.
 */
final class Workloads {

    private final String testName;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

    Workloads(String testName) {
        this.testName = testName;
    }

    /** Starts {@code body} on a thread named after the test and {@code name}. */
    void start(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, testName + "-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Waits up to three minutes for each workload (told to stop before) and asserts that none failed. */
    void joinAndAssertNoFailure() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(3));
        }
        assertTrue(failures.isEmpty(), "workloads failed: " + failures);
    }
}
