package dev.hearth.job.boundary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.hearth.audit.control.AuditAction;
import dev.hearth.audit.control.AuditTrail;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.deployment.DeployedJob;
import dev.hearth.job.deployment.StreamJobRegistry;
import dev.hearth.job.control.BoundedRun;
import dev.hearth.job.control.JobChange;
import dev.hearth.job.control.JobControls;
import dev.hearth.job.control.JobStateLayouts;
import dev.hearth.job.control.JobStatus;
import dev.hearth.job.control.JobTopics;
import dev.hearth.job.control.RunningJob;
import dev.hearth.job.control.StoreQueries;
import dev.hearth.job.exec.StateDirectory;
import dev.hearth.job.plan.InternalTopic;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;
import dev.hearth.job.plan.StateLayout;
import dev.hearth.platform.control.LogConnections;

/**
 * Runs the stream jobs that applications deploy, its own and those of every application next to it: it attaches to
 * the {@link StreamJobRegistry}, plans each registered job, checks that its state layout fits the state the job left
 * ({@link StateLayout}) and starts its workers on container-managed threads, with the deploying application's class
 * loader; when an application stops, its jobs are stopped (each finishes or aborts its open transaction and leaves
 * its group) before the withdrawal returns. A job whose definition or plan fails, or whose layout changed, is
 * {@code REJECTED} with the reason and runs nothing; the other jobs are not affected.
 * Also the admin façade: status, pause, resume, reset and bounded runs; a pause is kept in the database
 * ({@link JobControls}), so a job paused before a restart stays paused, and every change is audited. Lifecycle
 * changes are serialized per runtime ({@code synchronized}); status reads are not. Registry callbacks come on the
 * deploying application's thread, with the registry's lock held: this runtime never calls the registry while
 * holding its own lock.
 */
@Singleton
@Startup
@DependsOn("HearthDatabase")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class JobRuntime {

    private static final Logger LOG = Logger.getLogger(JobRuntime.class.getName());

    @Inject
    LogConnections connections;

    @Inject
    JobControls controls;

    @Inject
    JobStateLayouts layouts;

    @Inject
    AuditTrail audit;

    @Inject
    Event<JobChange> changes;

    @Resource
    ManagedThreadFactory threadFactory;

    /** Worker threads per job; the job's partitions are spread over them by its consumer group. */
    @Inject
    @ConfigProperty(name = "hearth.jobs.workers", defaultValue = "1")
    int workersPerJob;

    /** Longest time between two transactions of a worker while input keeps arriving or watermarks move. */
    @Inject
    @ConfigProperty(name = "hearth.jobs.commit.interval.ms", defaultValue = "100")
    long commitIntervalMs;

    /**
     * This instance's REST base URL as other instances (and clients) reach it, e.g. {@code http://node1:8080/api/}:
     * advertised to the job's group so that an instance asked for a partition it does not hold redirects there.
     * Needed only when several instances share jobs on a Kafka cluster.
     */
    @Inject
    @ConfigProperty(name = "hearth.jobs.query.advertised.url")
    Optional<String> queryAdvertisedUrl;

    /** Longest wait for the worker holding a store's partition to answer an interactive query, in ms. */
    @Inject
    @ConfigProperty(name = "hearth.jobs.query.timeout.ms", defaultValue = "10000")
    long queryTimeoutMs;

    /**
     * Root of the local copies of persistent state stores ({@code <job>/<stage>_<partition>/<store>}); default
     * {@code <hearth.data.dir>/job-state}. Only a cache of the changelogs: deleting it costs a full restore.
     */
    @Inject
    @ConfigProperty(name = "hearth.jobs.state.dir")
    Optional<String> stateDir;

    @Inject
    @ConfigProperty(name = "hearth.data.dir", defaultValue = "hearth-data")
    String dataDir;

    private final Map<String, RunningJob> jobs = new LinkedHashMap<>();
    /** The registration behind each job, for a reset to plan it again. */
    private final Map<String, DeployedJob> deployments = new HashMap<>();
    /** Bounded runs by id, newest last; kept until undeployment. */
    private final Map<String, BoundedRun> boundedRuns = new LinkedHashMap<>();
    private final StreamJobRegistry.Runtime registryCallbacks = new StreamJobRegistry.Runtime() {
        @Override
        public void deployed(DeployedJob job) {
            deploy(job);
        }

        @Override
        public void withdrawn(DeployedJob job) {
            withdraw(job);
        }
    };
    /**
     * Workers hold a thread each for as long as their job runs, which would starve the container's default
     * managed executor (a small pool shared with the application's own asynchronous work); they run on threads
     * of the container's managed thread factory instead (container threads, with the application's context).
     */
    private ExecutorService executor;

    @PostConstruct
    void start() {
        synchronized (this) {
            executor = Executors.newCachedThreadPool(threadFactory);
        }
        StreamJobRegistry.attach(registryCallbacks);
    }

    @PreDestroy
    void stop() {
        StreamJobRegistry.detach(registryCallbacks);
        synchronized (this) {
            jobs.values().forEach(RunningJob::stop);
            jobs.clear();
            deployments.clear();
            executor.shutdownNow();
        }
    }

    private synchronized void deploy(DeployedJob deployed) {
        RunningJob job = plan(deployed);
        jobs.put(deployed.name(), job);
        deployments.put(deployed.name(), deployed);
        changes.fire(new JobChange(job.name(), true));
        if (job.isRejected()) {
            return;
        }
        if (controls.isPaused(job.name())) {
            job.pause();
        }
        try {
            startJob(job);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, e, () -> "HEARTH-1020 Job " + job.name() + " could not start");
            jobs.put(job.name(), RunningJob.rejected(job.name(), job.application(), deployed.classLoader(), "",
                    "Job " + job.name() + " could not start: " + e.getMessage()));
            return;
        }
        LOG.info(() -> "HEARTH-1000 Stream job " + job.name() + " of application " + job.application() + " deployed");
    }

    private synchronized void withdraw(DeployedJob deployed) {
        RunningJob job = jobs.get(deployed.name());
        if (job == null || !job.application().equals(deployed.application())) {
            return;
        }
        job.stop();
        jobs.remove(deployed.name());
        deployments.remove(deployed.name());
        changes.fire(new JobChange(job.name(), false));
        LOG.info(() -> "HEARTH-1017 Stream job " + job.name() + " stopped: application " + job.application()
                + " was undeployed");
    }

    /**
     * Plans a registered job: a running job whose layout fits the one it last ran with (which is then recorded),
     * or a rejected one that says why not.
     */
    private RunningJob plan(DeployedJob deployed) {
        String name = deployed.name();
        Optional<String> failure = deployed.definitionFailure();
        if (failure.isPresent()) {
            return RunningJob.rejected(name, deployed.application(), deployed.classLoader(), "", failure.get());
        }
        String plan = "";
        try {
            JobBuilder builder = deployed.builder();
            plan = Planner.explain(builder);
            JobDefinition definition = Planner.build(builder);
            StateLayout layout = definition.stateLayout();
            Optional<String> incompatibility = layouts.stored(name).flatMap(layout::incompatibilityWith);
            if (incompatibility.isPresent()) {
                String reason = "Job " + name + " of application " + deployed.application() + " is not run: "
                        + incompatibility.get();
                LOG.severe(() -> "HEARTH-1018 " + reason);
                return RunningJob.rejected(name, deployed.application(), deployed.classLoader(), plan, reason);
            }
            layouts.store(name, layout, deployed.application());
            return running(deployed, definition, plan);
        } catch (RuntimeException e) {
            String reason = "Job " + name + " of application " + deployed.application() + " could not be planned: "
                    + e.getMessage();
            LOG.log(Level.SEVERE, e, () -> "HEARTH-1019 " + reason);
            return RunningJob.rejected(name, deployed.application(), deployed.classLoader(), plan, reason);
        }
    }

    public synchronized List<JobStatus> list() {
        List<JobStatus> statuses = new ArrayList<>();
        jobs.values().forEach(job -> statuses.add(job.status()));
        return statuses;
    }

    public JobStatus status(String name) {
        return job(name).status();
    }

    public synchronized JobStatus pause(String name) {
        RunningJob job = runnable(name);
        controls.setPaused(name, true);
        job.pause();
        audit.record(AuditAction.PAUSE_JOB, name, "");
        return job.status();
    }

    public synchronized JobStatus resume(String name) {
        RunningJob job = runnable(name);
        controls.setPaused(name, false);
        job.resume();
        audit.record(AuditAction.RESUME_JOB, name, "");
        return job.status();
    }

    /**
     * Reprocesses a job from a point in its source topics: stops its workers, empties its state (changelog
     * topics deleted and recreated), moves its group to {@code timestampMs} in every source partition (the
     * earliest offset for {@code null}) and past everything in its repartition topics, and starts it again. Its
     * outputs receive the recomputed results after those written before. A job rejected because its plan changed
     * the layout of its state is planned again and starts with the new layout; the internal topics only the old
     * plan had are deleted.
     */
    public synchronized JobStatus reset(String name, Long timestampMs) {
        RunningJob job = job(name);
        job.stop();
        if (job.isRejected()) {
            job = replan(name);
        }
        RunningJob reset = job;
        stateDirectory().deleteJob(name); // the changelogs are recreated empty below: the local copies go too
        JobDefinition definition = job.definition();
        List<String> previousTopics = layouts.stored(name).map(StateLayout::topics).orElse(List.of());
        connections.accept(connection -> {
            Map<TopicPartitionRef, Long> offsets = new HashMap<>();
            for (String topic : definition.sourceTopics()) {
                for (PartitionDescription partition : connection.describeTopic(topic).partitions()) {
                    long offset = timestampMs == null ? partition.logStartOffset()
                            : connection.offsetForTimestamp(topic, partition.partition(), timestampMs)
                                    .orElse(partition.logEndOffset());
                    offsets.put(new TopicPartitionRef(topic, partition.partition()), offset);
                }
            }
            Set<String> existing = new HashSet<>();
            connection.listTopics().forEach(topic -> existing.add(topic.name()));
            for (InternalTopic internal : definition.internalTopics()) {
                if (!existing.contains(internal.name())) {
                    continue; // new with this plan: created empty when the job starts
                }
                if (internal.kind() == InternalTopic.Kind.REPARTITION) {
                    for (PartitionDescription partition : connection.describeTopic(internal.name()).partitions()) {
                        offsets.put(new TopicPartitionRef(internal.name(), partition.partition()),
                                partition.logEndOffset());
                    }
                } else {
                    connection.deleteTopic(internal.name());
                }
            }
            // Internal topics of the plan the job last ran with that the new one no longer has: its abandoned state.
            for (String previous : previousTopics) {
                boolean stillUsed = definition.internalTopics().stream().anyMatch(topic -> topic.name().equals(previous));
                if (!stillUsed && existing.contains(previous)) {
                    connection.deleteTopic(previous);
                }
            }
            connection.resetGroupOffsets(reset.groupId(), offsets);
        });
        layouts.store(name, definition.stateLayout(), job.application());
        LOG.info(() -> "HEARTH-1006 Job " + name + " reset to "
                + (timestampMs == null ? "the earliest offsets" : "timestamp " + timestampMs));
        startJob(job);
        audit.record(AuditAction.RESET_JOB, name, timestampMs == null ? "to=earliest" : "to=timestamp " + timestampMs);
        return job.status();
    }

    /**
     * Starts a bounded (batch) run of a job over the records of its source topics with timestamps in
     * {@code [fromMs, toMs)}, writing to its sink topics or to the renamed ones (created like the originals when
     * missing). Returns at once; {@link #boundedRun} reports progress.
     */
    public synchronized BoundedRun startBoundedRun(String name, long fromMs, long toMs,
                                                   Map<String, String> renamedOutputs) {
        RunningJob job = runnable(name);
        JobDefinition definition = job.definition();
        for (String renamed : renamedOutputs.keySet()) {
            if (!definition.sinkTopics().contains(renamed)) {
                throw new InvalidJobRequestException("'" + renamed + "' is not an output of job " + name
                        + "; its outputs are " + definition.sinkTopics());
            }
        }
        Map<String, Integer> sourcePartitions = connections.apply(connection -> {
            Map<String, Integer> partitions = JobTopics.prepare(connection, definition).orElseThrow(() ->
                    new InvalidJobRequestException("The source topics of job " + name + " do not all exist: "
                            + definition.sourceTopics()));
            renamedOutputs.forEach((original, renamed) -> {
                if (connection.listTopics().stream().noneMatch(topic -> topic.name().equals(renamed))) {
                    connection.createTopic(renamed, connection.describeTopic(original).partitions().size(), Map.of());
                }
            });
            return partitions;
        });
        BoundedRun run = new BoundedRun(UUID.randomUUID().toString(), job, sourcePartitions, clientProperties(), fromMs,
                toMs, renamedOutputs);
        boundedRuns.put(run.id(), run);
        executor.submit(run);
        audit.record(AuditAction.RUN_JOB_BOUNDED, name, "from=" + fromMs + ", to=" + toMs
                + (renamedOutputs.isEmpty() ? "" : ", outputs=" + renamedOutputs));
        return run;
    }

    public synchronized BoundedRun boundedRun(String name, String id) {
        BoundedRun run = boundedRuns.get(id);
        if (run == null || !run.jobName().equals(job(name).name())) {
            throw JobNotFoundException.unknownRun(job(name).name(), id);
        }
        return run;
    }

    /**
     * Plans a rejected job again for a reset, accepting a changed state layout (the reset empties the state); a job
     * whose definition or plan fails stays rejected.
     */
    private RunningJob replan(String name) {
        DeployedJob deployed = deployments.get(name);
        RunningJob rejected = jobs.get(name);
        if (deployed == null || deployed.builder() == null) {
            throw new InvalidJobRequestException("Job " + name + " cannot be reset: " + rejected.status().lastError());
        }
        try {
            RunningJob job = running(deployed, Planner.build(deployed.builder()), Planner.explain(deployed.builder()));
            jobs.put(name, job);
            return job;
        } catch (RuntimeException e) {
            throw new InvalidJobRequestException("Job " + name + " cannot be reset: " + rejected.status().lastError());
        }
    }

    /** A job of {@code deployed}'s application with its planned {@code definition}, not started yet. */
    private RunningJob running(DeployedJob deployed, JobDefinition definition, String plan) {
        RunningJob job = new RunningJob(deployed.name(), deployed.application(), deployed.classLoader(), definition,
                plan, workersPerJob, commitIntervalMs, deployed.builder().trigger(), stateDirectory());
        job.queries().configure(advertisedUrl().orElse(null), queryTimeoutMs);
        return job;
    }

    private StateDirectory stateDirectory() {
        return new StateDirectory(stateDir.map(Path::of).orElse(Path.of(dataDir, "job-state")));
    }

    /**
     * Interactive queries of a job's state stores (see {@link StoreQueries}); the object is thread-safe and may
     * be used outside this bean.
     */
    public StoreQueries queries(String name) {
        return job(name).queries();
    }

    /** {@link #queryAdvertisedUrl}, ending with '/', if set. */
    private Optional<String> advertisedUrl() {
        return queryAdvertisedUrl.filter(url -> !url.isBlank()).map(url -> url.endsWith("/") ? url : url + "/");
    }

    private void startJob(RunningJob job) {
        JobDefinition definition = job.definition();
        job.start(executor, () -> connections.apply(connection -> JobTopics.prepare(connection, definition)),
                clientProperties());
    }

    /**
     * How workers and bounded runs reach Hearth's Kafka listener, whatever its security protocol: as the adapter's
     * internal super user (asked each time: the password is per adapter start).
     */
    private Map<String, String> clientProperties() {
        Map<String, String> properties = connections.apply(HearthConnection::internalClientProperties);
        if (properties.isEmpty()) {
            throw new IllegalStateException("HEARTH-1005 Stream jobs need Hearth's Kafka listener, which is disabled");
        }
        return properties;
    }

    /** A job that runs, or may: a rejected one refuses operations other than a reset. */
    private RunningJob runnable(String name) {
        RunningJob job = job(name);
        if (job.isRejected()) {
            throw new InvalidJobRequestException("Job " + name + " is rejected: " + job.status().lastError());
        }
        return job;
    }

    private RunningJob job(String name) {
        RunningJob job;
        synchronized (this) {
            job = jobs.get(name);
        }
        if (job == null) {
            throw new JobNotFoundException(name);
        }
        return job;
    }
}
