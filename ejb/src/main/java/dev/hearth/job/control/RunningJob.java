package dev.hearth.job.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.hearth.job.api.Trigger;
import dev.hearth.job.exec.StateDirectory;
import dev.hearth.job.exec.TaskId;
import dev.hearth.job.exec.TaskMetrics;
import dev.hearth.job.plan.JobDefinition;

/**
 * A deployed job and its workers: starts them once the job's topics are ready, pauses, resumes and stops them,
 * and reports status. Workers run on the container's managed executor, each holding one of its threads until
 * the job stops. Thread-safety: lifecycle methods are called by the runtime (one at a time per job); status and
 * the workers' callbacks may come from any thread.
 */
public final class RunningJob {

    private static final Logger LOG = Logger.getLogger(RunningJob.class.getName());
    private static final long TOPIC_WAIT_NANOS = 1_000_000_000L;

    private final String name;
    /** The application that deployed the job. */
    private final String application;
    /** The deploying application's class loader: the context class loader of the job's threads. */
    private final ClassLoader classLoader;
    /** The job's definition, or null for a job that is {@link JobState#REJECTED}. */
    private final JobDefinition definition;
    private final String plan;
    private final int workerCount;
    private final long commitIntervalMs;
    private final Trigger trigger;
    /** Where the job's persistent stores keep their local copies; null: every store in memory. */
    private final StateDirectory stateDirectory;
    private final List<JobWorker> workers = new CopyOnWriteArrayList<>();
    private final List<Future<?>> running = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong recordsConsumed = new AtomicLong();
    /** The dead-letter policy of the job's runs; shared by the workers. */
    private final PoisonRecords poisonRecords;
    private volatile JobState state = JobState.STARTING;
    private volatile boolean paused;
    private volatile boolean stopping;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    /** Interactive queries of the job's stores, answered by its workers. */
    private final StoreQueries queries;

    public RunningJob(String name, String application, ClassLoader classLoader, JobDefinition definition, String plan,
                      int workerCount, long commitIntervalMs, Trigger trigger, StateDirectory stateDirectory) {
        this.name = name;
        this.application = application;
        this.classLoader = classLoader;
        this.definition = definition;
        this.plan = plan;
        this.workerCount = workerCount;
        this.commitIntervalMs = commitIntervalMs;
        this.trigger = trigger;
        this.queries = new StoreQueries(name, definition == null ? null : definition.plan(), () -> workers);
        this.poisonRecords = new PoisonRecords(name);
        this.stateDirectory = stateDirectory;
    }

    /** Where the job's persistent stores keep their local copies; null: every store in memory. */
    StateDirectory stateDirectory() {
        return stateDirectory;
    }

    /**
     * A job that does not run: its definition or plan failed, or its plan does not fit the state it left; the
     * reason is its last error. Its application and the rest of Hearth are not affected.
     */
    public static RunningJob rejected(String name, String application, ClassLoader classLoader, String plan,
                                      String reason) {
        RunningJob job = new RunningJob(name, application, classLoader, null, plan, 0, 0, Trigger.continuous(),
                null);
        job.state = JobState.REJECTED;
        job.lastError = reason;
        job.lastErrorAt = Instant.now();
        return job;
    }

    public String name() {
        return name;
    }

    public String application() {
        return application;
    }

    public boolean isRejected() {
        return definition == null;
    }

    public JobDefinition definition() {
        return definition;
    }

    /** Interactive queries of the job's state stores. */
    public StoreQueries queries() {
        return queries;
    }

    /** The consumer group of the job's workers, also the prefix of their transactional ids. */
    public String groupId() {
        return "hearth-job-" + name;
    }

    boolean isPaused() {
        return paused;
    }

    /**
     * Starts the job on {@code executor}: waits (without holding a thread between checks) until
     * {@code prepareTopics} finds the source topics, then launches the workers.
     */
    public void start(ExecutorService executor, Supplier<Optional<Map<String, Integer>>> prepareTopics,
                      Map<String, String> clientProperties) {
        stopping = false;
        state = paused ? JobState.PAUSED : JobState.STARTING;
        running.add(executor.submit(withApplicationClassLoader(() -> {
            Optional<Map<String, Integer>> partitions = Optional.empty();
            long backoffNanos = TOPIC_WAIT_NANOS;
            while (partitions.isEmpty() && !stopping) {
                try {
                    partitions = prepareTopics.get();
                    if (partitions.isEmpty() && !paused) {
                        state = JobState.WAITING_FOR_TOPICS;
                    }
                    backoffNanos = TOPIC_WAIT_NANOS;
                } catch (RuntimeException e) {
                    // Not fatal: the topics are checked again after a back-off; the job shows RETRYING meanwhile.
                    workerFailed(-1, e);
                    LOG.log(Level.WARNING, e, () -> "HEARTH-1001 Job " + name + " could not prepare its topics; "
                            + "trying again");
                    backoffNanos = Math.min(backoffNanos * 2, 30 * TOPIC_WAIT_NANOS);
                }
                if (partitions.isEmpty()) {
                    LockSupport.parkNanos(backoffNanos);
                }
            }
            if (stopping) {
                return;
            }
            for (int index = 0; index < workerCount; index++) {
                JobWorker worker = new JobWorker(this, index, partitions.get(), clientProperties, commitIntervalMs,
                        trigger.intervalMs());
                workers.add(worker);
                running.add(executor.submit(withApplicationClassLoader(worker)));
            }
            LOG.info(() -> "HEARTH-1002 Job " + name + " of application " + application + " started with "
                    + workerCount + " worker(s)\n" + plan);
        })));
    }

    /** {@code task} with the deploying application's class loader as the thread's context class loader. */
    private Runnable withApplicationClassLoader(Runnable task) {
        return () -> {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(classLoader);
            try {
                task.run();
            } finally {
                thread.setContextClassLoader(previous);
            }
        };
    }

    /** Stops every worker and waits for them to leave the group (their consumers close). */
    public void stop() {
        if (isRejected()) {
            return;
        }
        stopping = true;
        workers.forEach(JobWorker::stop);
        for (Future<?> future : running) {
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.WARNING, e, () -> "HEARTH-1004 Job " + name + " did not stop cleanly");
                future.cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        workers.clear();
        running.clear();
        state = JobState.STOPPED;
    }

    /** Pauses the job; returns once its workers consume nothing more (or after 10 s if one does not answer). */
    public void pause() {
        paused = true;
        state = JobState.PAUSED;
        long deadlineNanos = System.nanoTime() + 10_000_000_000L;
        workers.forEach(worker -> worker.awaitPaused(deadlineNanos));
    }

    public void resume() {
        paused = false;
        if (state == JobState.PAUSED) {
            state = workers.isEmpty() ? JobState.STARTING : JobState.RUNNING;
        }
    }

    void workerRunning(int index) {
        if (!paused && !stopping) {
            state = JobState.RUNNING;
        }
    }

    /** A worker (or the topic preparation, index -1) failed and is retried after a back-off. */
    void workerFailed(int index, Throwable error) {
        noteError(index, error);
        if (!stopping && !paused) {
            state = JobState.RETRYING;
        }
    }

    /** A worker ended for good on an error a restart cannot cure. */
    void workerStopped(int index, Throwable error) {
        noteError(index, error);
        if (!stopping) {
            state = JobState.FAILED;
        }
    }

    private void noteError(int index, Throwable error) {
        failures.incrementAndGet();
        lastError = (index >= 0 ? "worker " + index + ": " : "") + error;
        lastErrorAt = Instant.now();
    }

    void progressed(int records) {
        if (records > 0) {
            recordsConsumed.addAndGet(records);
        }
    }

    /** Where the records that failed {@value PoisonRecords#MAX_RECORD_ATTEMPTS} times go: {@code <job>.DLT}. */
    public String deadLetterTopic() {
        return poisonRecords.deadLetterTopic();
    }

    PoisonRecords poisonRecords() {
        return poisonRecords;
    }

    /** A consistent-enough view for the admin API: per-task figures as of each worker's last commit. */
    public JobStatus status() {
        Map<TaskId, TaskMetrics> tasks = new HashMap<>();
        workers.forEach(worker -> tasks.putAll(worker.metrics()));
        List<JobStatus.TaskStatus> taskStatuses = new ArrayList<>();
        tasks.forEach((id, metrics) -> taskStatuses.add(new JobStatus.TaskStatus(id.stage(), id.partition(),
                metrics.recordsIn(), metrics.recordsOut(), metrics.lateRecords(), metrics.watermarkMs())));
        taskStatuses.sort((a, b) -> a.stage() != b.stage() ? Integer.compare(a.stage(), b.stage())
                : Integer.compare(a.partition(), b.partition()));
        return new JobStatus(name, application, state, groupId(), workerCount, trigger.toString(),
                isRejected() ? List.of() : definition.sourceTopics(),
                isRejected() ? List.of() : definition.sinkTopics(), plan, recordsConsumed.get(), failures.get(),
                poisonRecords.deadLetteredCount(), lastError,
                lastErrorAt, taskStatuses);
    }
}
