package dev.hearth.job.boundary;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.hearth.audit.control.AuditAction;
import dev.hearth.audit.control.AuditTrail;
import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.control.BoundedRun;
import dev.hearth.job.control.DiscoveredJob;
import dev.hearth.job.control.JobControls;
import dev.hearth.job.control.JobDiscovery;
import dev.hearth.job.control.JobStatus;
import dev.hearth.job.control.JobTopics;
import dev.hearth.job.control.RunningJob;
import dev.hearth.job.plan.InternalTopic;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;
import dev.hearth.platform.control.LogConnections;

/**
 * Runs the application's stream jobs: at deployment it calls each {@code @StreamJob} method with a fresh
 * {@link JobBuilder}, plans the job and starts its workers on container-managed threads; at
 * undeployment or shutdown it stops them (each finishes or aborts its open transaction and leaves its group).
 * Also the admin façade: status, pause, resume, reset and bounded runs; a pause is kept in the database
 * ({@link JobControls}), so a job paused before a restart stays paused, and every change is audited. Lifecycle
 * changes are serialized per runtime ({@code synchronized}); status reads are not.
 */
@Singleton
@Startup
@DependsOn("HearthDatabase")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class JobRuntime {

    private static final Logger LOG = Logger.getLogger(JobRuntime.class.getName());

    @Inject
    JobDiscovery discovery;

    @Inject
    BeanManager beanManager;

    @Inject
    LogConnections connections;

    @Inject
    JobControls controls;

    @Inject
    AuditTrail audit;

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

    private final Map<String, RunningJob> jobs = new LinkedHashMap<>();
    /** Bounded runs by id, newest last; kept until undeployment. */
    private final Map<String, BoundedRun> boundedRuns = new LinkedHashMap<>();
    /**
     * Workers hold a thread each for as long as their job runs, which would starve the container's default
     * managed executor (a small pool shared with the application's own asynchronous work); they run on threads
     * of the container's managed thread factory instead (container threads, with the application's context).
     */
    private ExecutorService executor;
    private String bootstrapServers;

    @PostConstruct
    synchronized void start() {
        List<DiscoveredJob> discovered = discovery.jobs();
        if (discovered.isEmpty()) {
            return;
        }
        ClusterInfo cluster = connections.apply(HearthConnection::clusterInfo);
        if (cluster.kafkaHost() == null) {
            throw new IllegalStateException("HEARTH-1005 Stream jobs need Hearth's Kafka listener, which is disabled");
        }
        bootstrapServers = "127.0.0.1:" + cluster.kafkaPort();
        executor = Executors.newCachedThreadPool(threadFactory);
        for (DiscoveredJob found : discovered) {
            JobBuilder builder = new JobBuilder(found.name());
            define(found, builder);
            JobDefinition definition = Planner.build(builder);
            RunningJob job = new RunningJob(found.name(), definition, Planner.explain(builder), workersPerJob,
                    commitIntervalMs, builder.trigger());
            jobs.put(found.name(), job);
            if (controls.isPaused(found.name())) {
                job.pause();
            }
            startJob(job);
        }
        LOG.info(() -> "HEARTH-1000 " + jobs.size() + " stream job(s): " + jobs.keySet());
    }

    @PreDestroy
    synchronized void stop() {
        jobs.values().forEach(RunningJob::stop);
        if (executor != null) {
            executor.shutdownNow();
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
        RunningJob job = job(name);
        controls.setPaused(name, true);
        job.pause();
        audit.record(AuditAction.PAUSE_JOB, name, "");
        return job.status();
    }

    public synchronized JobStatus resume(String name) {
        RunningJob job = job(name);
        controls.setPaused(name, false);
        job.resume();
        audit.record(AuditAction.RESUME_JOB, name, "");
        return job.status();
    }

    /**
     * Reprocesses a job from a point in its source topics: stops its workers, empties its state (changelog
     * topics deleted and recreated), moves its group to {@code timestampMs} in every source partition (the
     * earliest offset for {@code null}) and past everything in its repartition topics, and starts it again. Its
     * outputs receive the recomputed results after those written before.
     */
    public synchronized JobStatus reset(String name, Long timestampMs) {
        RunningJob job = job(name);
        job.stop();
        JobDefinition definition = job.definition();
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
            for (InternalTopic internal : definition.internalTopics()) {
                if (internal.kind() == InternalTopic.Kind.REPARTITION) {
                    for (PartitionDescription partition : connection.describeTopic(internal.name()).partitions()) {
                        offsets.put(new TopicPartitionRef(internal.name(), partition.partition()),
                                partition.logEndOffset());
                    }
                } else if (connection.listTopics().stream().anyMatch(topic -> topic.name().equals(internal.name()))) {
                    connection.deleteTopic(internal.name());
                }
            }
            connection.resetGroupOffsets(job.groupId(), offsets);
        });
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
        RunningJob job = job(name);
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
        BoundedRun run = new BoundedRun(UUID.randomUUID().toString(), job, sourcePartitions, bootstrapServers, fromMs,
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

    private void startJob(RunningJob job) {
        JobDefinition definition = job.definition();
        job.start(executor, () -> connections.apply(connection -> JobTopics.prepare(connection, definition)),
                bootstrapServers);
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void define(DiscoveredJob found, JobBuilder builder) {
        Bean bean = found.bean();
        CreationalContext<?> context = beanManager.createCreationalContext(bean);
        Object instance = beanManager.getReference(bean, bean.getBeanClass(), context);
        try {
            found.method().setAccessible(true);
            found.method().invoke(instance, builder);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("@StreamJob " + found.name() + " (" + found.method() + ") failed: "
                    + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("@StreamJob method " + found.method() + " is not accessible", e);
        }
    }
}
