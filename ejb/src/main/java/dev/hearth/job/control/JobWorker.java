package dev.hearth.job.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.hearth.job.exec.ChangelogRecord;
import dev.hearth.job.exec.Emitter;
import dev.hearth.job.exec.Header;
import dev.hearth.job.exec.InputRecord;
import dev.hearth.job.exec.OutputRecord;
import dev.hearth.job.exec.StageTask;
import dev.hearth.job.exec.StateStore;
import dev.hearth.job.exec.StateDirectory;
import dev.hearth.job.exec.StateStoreException;
import dev.hearth.job.exec.TaskCompiler;
import dev.hearth.job.exec.TaskId;
import dev.hearth.job.exec.TaskMetrics;
import dev.hearth.job.plan.PhysicalPlan;
import dev.hearth.job.plan.Stage;

/**
 * One thread of a running job: a member of the job's consumer group (through Hearth's group coordinator, like
 * any Kafka consumer) that runs the {@link StageTask}s of the partitions assigned to it, of every stage.
 *
 * <p>Exactly-once: each poll (continuous trigger), or each micro-batch interval, is one transaction of a
 * transactional producer whose id is stable per worker
 * ({@code <job group>-<index>}, on a Kafka cluster {@code <job group>-<instance>-<index>}): the records the tasks emitted (sink, repartition, late, changelog) and the
 * consumed input offsets commit together, or not at all. State stores buffer their changes during a transaction
 * and write each changed entry's latest value to its changelog once, just before the offsets join it. Inputs are
 * read {@code read_committed}. A task is restored from its changelog partitions (committed records only) when its
 * partition is first seen; on any failure the transaction is aborted, every task is dropped, and the worker starts
 * over from the committed offsets and changelogs, so its in-memory state never runs ahead of what was committed. A
 * restarted worker's {@code initTransactions} fences its previous incarnation and aborts whatever that left open.
 *
 * <p>Interactive queries: {@link #read} hands a store read to the worker's thread, which runs it at the top of its
 * loop, between polls (so at most one poll's processing, and the 100 ms poll, after it was asked), on the task's
 * own thread as the stores require. A read sees the state as of the last record processed: with the continuous
 * trigger that is the committed state; within an open micro-batch it includes records whose transaction has not
 * committed yet. A read of a partition the worker holds but has no task for yet creates (restores) the task.
 *
 * <p>Persistent stores keep a local copy under the job's {@link StateDirectory}, holding committed state only:
 * after each commit the worker tells every task, which writes the transaction's state changes to disk and
 * checkpoints the changelog offsets it wrote (learnt from the producer's acknowledgements) or restored, so that a
 * task restored here again reads only the changelog's tail. Tasks are closed (native
 * resources freed) whenever they are dropped; a revoked task's local state is deleted, since its next owner
 * writes the changelog on.
 *
 * <p>Thread-safety: {@link #run} runs on one thread; {@link #stop}, {@link #metrics}, {@link #read} and
 * {@link #assignedPartitions} may be called from any.
 */
final class JobWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(JobWorker.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);
    /** The key of the client properties that names this app-server instance on a Kafka cluster. */
    static final String INSTANCE_ID = dev.hearth.connector.api.HearthConnection.INSTANCE_ID_PROPERTY;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final RunningJob job;
    private final PoisonRecords poisonRecords;
    private final int index;
    private final PhysicalPlan plan;
    private final Map<String, Integer> sourcePartitions;
    /** How to reach Hearth's Kafka listener: bootstrap.servers and its security settings (secrets: never logged). */
    private final Map<String, String> clientProperties;
    /** For each input topic, the stages reading it. */
    private final Map<String, List<Integer>> stagesByTopic = new HashMap<>();
    private final List<String> inputTopics;
    /** Every changelog topic of the job (watermark changelogs included). */
    private final java.util.Set<String> changelogTopics = new java.util.HashSet<>();
    /** Next offset of each changelog partition the worker's tasks restored or wrote: their checkpoints. */
    private final Map<TopicPartition, Long> changelogPositions = new java.util.concurrent.ConcurrentHashMap<>();
    /** Records the offset of each acknowledged changelog record; runs on the producer's I/O thread. */
    private final Callback changelogWritten = (metadata, exception) -> {
        if (exception == null && metadata.hasOffset()) {
            changelogPositions.merge(new TopicPartition(metadata.topic(), metadata.partition()),
                    metadata.offset() + 1, Math::max);
        }
    };
    /** Longest time between punctuations (watermark broadcasts), and so between transactions when idle. */
    private final long commitIntervalMs;
    /** The job's trigger: 0 commits every poll's records at once; else a transaction spans this long. */
    private final long batchIntervalMs;

    private volatile boolean stopped;
    /** Whether the consumer is paused, so that no further poll returns records (set by the worker thread). */
    private volatile boolean consumerPaused;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** Per-task figures as of the last commit, replaced (never mutated) after each one. */
    private volatile Map<TaskId, TaskMetrics> metrics = Map.of();
    /** Store reads waiting for the worker's thread; failed when the worker stops or restarts. */
    private final Queue<StoreRead<?>> reads = new ConcurrentLinkedQueue<>();
    /** The input partitions the group assigned to this worker, replaced (never mutated) on each rebalance. */
    private volatile Set<TopicPartition> assigned = Set.of();

    JobWorker(RunningJob job, int index, Map<String, Integer> sourcePartitions, Map<String, String> clientProperties,
              long commitIntervalMs, long batchIntervalMs) {
        this.job = job;
        this.poisonRecords = job.poisonRecords();
        this.index = index;
        this.plan = job.definition().plan();
        this.sourcePartitions = sourcePartitions;
        this.clientProperties = Map.copyOf(clientProperties);
        this.commitIntervalMs = commitIntervalMs;
        this.batchIntervalMs = batchIntervalMs;
        for (Stage stage : plan.stages()) {
            for (String topic : stage.inputTopics()) {
                stagesByTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(stage.index());
            }
            changelogTopics.addAll(stage.changelogTopics());
        }
        this.inputTopics = List.copyOf(stagesByTopic.keySet());
    }

    @Override
    public void run() {
        long backoffMs = 250;
        while (!stopped) {
            try {
                runUntilStopped();
            } catch (WakeupException e) {
                if (!stopped) {
                    job.workerFailed(index, e);
                }
            } catch (LinkageError e) {
                if (!stopped) {
                    job.workerStopped(index, e);
                    LOG.log(Level.SEVERE, e, () -> "HEARTH-1032 Job " + job.name() + " worker " + index
                            + " stopped: a restart cannot cure this; redeploy the application");
                }
                break;
            } catch (RuntimeException e) {
                if (stopped) {
                    break;
                }
                job.workerFailed(index, e);
                LOG.log(Level.WARNING, e, () -> "HEARTH-1003 Job " + job.name() + " worker " + index
                        + " failed; restarting from the last committed transaction");
                LockSupport.parkNanos(backoffMs * 1_000_000L);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }

    void stop() {
        stopped = true;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    Map<TaskId, TaskMetrics> metrics() {
        return metrics;
    }

    /** Partition counts of the job's external source topics, which decide its task counts. */
    Map<String, Integer> sourcePartitions() {
        return sourcePartitions;
    }

    /** The input partitions the group assigned to this worker as of its last rebalance. */
    Set<TopicPartition> assignedPartitions() {
        return assigned;
    }

    /**
     * Runs {@code read} on store {@code storeName} of task {@code task}, on the worker's thread between polls. The
     * future fails with {@link NotAssignedException} if the worker does not hold the task's partition (anymore),
     * with {@link NotRunningException} saying why if the worker stops or restarts first, and with whatever
     * {@code read} throws. The caller bounds its wait: a worker backing off after a failure answers nothing.
     */
    <R> CompletableFuture<R> read(TaskId task, String storeName, Function<StateStore, R> read) {
        StoreRead<R> pending = new StoreRead<>(task, storeName, read, new CompletableFuture<>());
        reads.add(pending);
        if (stopped) {
            failReads("the job is stopping");
        }
        return pending.result();
    }

    private void runUntilStopped() {
        Map<TaskId, StageTask> tasks = new HashMap<>();
        String groupId = job.groupId();
        try (KafkaConsumer<byte[], byte[]> groupConsumer = new KafkaConsumer<>(consumerConfig(groupId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<byte[], byte[]> restoreConsumer = new KafkaConsumer<>(consumerConfig(null),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer = groupConsumer;
            if (stopped) {
                return;
            }
            producer.initTransactions();
            Emitter emitter = record -> producer.send(toProducerRecord(record),
                    record.partition() != OutputRecord.PARTITION_BY_KEY && changelogTopics.contains(record.topic())
                            ? changelogWritten : null);
            Transaction transaction = new Transaction(producer, groupConsumer, tasks, emitter,
                    partition -> metadataOf(tasks, partition));
            groupConsumer.subscribe(inputTopics, new DropTasksOnRevocation(tasks, transaction));
            long punctuateIntervalMs = Math.max(commitIntervalMs, batchIntervalMs);
            long lastPunctuateMs = System.currentTimeMillis();
            job.workerRunning(index);
            while (!stopped) {
                answerReads(tasks, groupConsumer, restoreConsumer);
                pauseOrResume(groupConsumer, transaction);
                ConsumerRecords<byte[], byte[]> records = groupConsumer.poll(POLL);
                long nowMs = System.currentTimeMillis();
                try {
                    if (!records.isEmpty()) {
                        transaction.beginIfNeeded(nowMs);
                        for (TopicPartition partition : records.partitions()) {
                            // One look-up per partition of the poll, not per record: the same tasks read them all.
                            List<Integer> stages = stagesByTopic.get(partition.topic());
                            StageTask[] readers = new StageTask[stages.size()];
                            for (int i = 0; i < readers.length; i++) {
                                readers[i] = task(tasks, stages.get(i), partition.partition(), restoreConsumer,
                                        groupConsumer);
                            }
                            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                                InputRecord input = toInput(record);
                                if (poisonRecords.isPoison(input)) {
                                    // In the current transaction: there iff the offset past it is committed.
                                    producer.send(poisonRecords.deadLetter(input));
                                    poisonRecords.deadLettered(input);
                                    continue;
                                }
                                try {
                                    for (StageTask reader : readers) {
                                        reader.process(input, emitter);
                                    }
                                } catch (RuntimeException e) {
                                    throw poisonRecords.recordFailed(input, e);
                                }
                            }
                        }
                        transaction.consumed(records);
                    }
                    boolean tick = nowMs - lastPunctuateMs >= punctuateIntervalMs;
                    boolean punctuate = tick && !tasks.isEmpty();
                    // Positions past the committed offsets with no record between: transaction markers (and
                    // aborted records) the consumer skipped. Committing them lets an idle job's lag reach 0.
                    Map<TopicPartition, Long> skipped = tick && !job.isPaused() ? transaction.positionsAhead()
                            : Map.of();
                    boolean commit = transaction.isOpen()
                            && (nowMs - transaction.startedMs() >= batchIntervalMs || job.isPaused());
                    if (tick) {
                        lastPunctuateMs = nowMs;
                    }
                    if (!punctuate && !commit && skipped.isEmpty()) {
                        continue;
                    }
                    transaction.beginIfNeeded(nowMs);
                    for (TopicPartition partition : skipped.keySet()) {
                        // The readers' counters go into the offset's metadata: have them restored first.
                        for (int stage : stagesByTopic.get(partition.topic())) {
                            task(tasks, stage, partition.partition(), restoreConsumer, groupConsumer);
                        }
                    }
                    transaction.advanceTo(skipped);
                    if (punctuate) {
                        for (StageTask task : tasks.values()) {
                            task.punctuate(nowMs, emitter);
                        }
                    }
                    job.progressed(transaction.commit());
                    committed(tasks);
                    metrics = snapshot(tasks);
                } catch (RuntimeException e) {
                    transaction.abort(e);
                    closeAll(tasks);
                    throw e;
                }
            }
            if (transaction.isOpen()) {
                job.progressed(transaction.commit());
                committed(tasks);
            }
            closeAll(tasks); // before the consumer's close revokes their partitions: their local state stays
        } finally {
            closeAll(tasks);
            consumer = null;
            consumerPaused = false;
            assigned = Set.of();
            failReads(stopped ? "the job is stopping" : "the job's worker is restarting after a failure");
        }
    }

    /** Answers the waiting store reads from the tasks of the partitions this worker holds. */
    private void answerReads(Map<TaskId, StageTask> tasks, KafkaConsumer<byte[], byte[]> groupConsumer,
                             KafkaConsumer<byte[], byte[]> restoreConsumer) {
        for (StoreRead<?> read = reads.poll(); read != null; read = reads.poll()) {
            if (read.result().isDone()) {
                continue; // the caller gave up waiting
            }
            TaskId id = read.task();
            Stage stage = plan.stages().get(id.stage());
            TopicPartition input = new TopicPartition(stage.inputTopics().get(0), id.partition());
            if (!groupConsumer.assignment().contains(input)) {
                read.result().completeExceptionally(new NotAssignedException(id));
                continue;
            }
            StateStore store;
            try {
                store = task(tasks, id.stage(), id.partition(), restoreConsumer, groupConsumer).store(read.storeName());
            } catch (RuntimeException e) {
                read.result().completeExceptionally(e); // the restore failed: so does the worker, after this
                throw e;
            }
            read.answer(store);
        }
    }

    private void failReads(String reason) {
        for (StoreRead<?> read = reads.poll(); read != null; read = reads.poll()) {
            read.result().completeExceptionally(new NotRunningException(reason));
        }
    }

    /** A store read waiting for the worker's thread. */
    private record StoreRead<R>(TaskId task, String storeName, Function<StateStore, R> read,
                                CompletableFuture<R> result) {
        void answer(StateStore store) {
            try {
                result.complete(read.apply(store));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    /** The worker stopped or restarts (after a failure) before it could answer a read. */
    static final class NotRunningException extends RuntimeException {
        NotRunningException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The worker does not hold the partition of the task a read asked for: the group moved it, or never gave it. */
    static final class NotAssignedException extends RuntimeException {
        NotAssignedException(TaskId task) {
            super("task " + task + " is not assigned to this worker", null, false, false);
        }
    }

    private void pauseOrResume(KafkaConsumer<byte[], byte[]> groupConsumer, Transaction transaction) {
        if (job.isPaused()) {
            groupConsumer.pause(groupConsumer.assignment());
            // Paused for good once what was consumed before is committed (a micro-batch may still be open).
            consumerPaused = !transaction.isOpen();
        } else {
            consumerPaused = false;
            if (!groupConsumer.paused().isEmpty()) {
                groupConsumer.resume(groupConsumer.paused());
            }
        }
    }

    /**
     * Waits until the worker has paused its consumer (its records polled before are committed by then), it is
     * not running (between failures), or {@code deadlineNanos} passes.
     */
    void awaitPaused(long deadlineNanos) {
        while (!consumerPaused && consumer != null && System.nanoTime() < deadlineNanos) {
            LockSupport.parkNanos(5_000_000L);
        }
    }

    /** After a commit: each task writes its committed state to disk and checkpoints the changelog offsets. */
    private void committed(Map<TaskId, StageTask> tasks) {
        for (StageTask task : tasks.values()) {
            Map<String, Long> offsets = new HashMap<>();
            for (String topic : plan.stages().get(task.id().stage()).changelogTopics()) {
                Long offset = changelogPositions.get(new TopicPartition(topic, task.id().partition()));
                if (offset != null) {
                    offsets.put(topic, offset);
                }
            }
            task.committed(offsets);
        }
    }

    /**
     * Closes every task: each checkpoints what it last heard was committed and frees its stores; uncommitted writes
     * are dropped. A task whose checkpoint cannot be written is still closed (its next restore reads more).
     */
    private void closeAll(Map<TaskId, StageTask> tasks) {
        for (StageTask task : tasks.values()) {
            try {
                task.close();
            } catch (StateStoreException e) {
                LOG.log(Level.WARNING, e, () -> "HEARTH-1023 Job " + job.name() + " task " + task.id()
                        + " could not checkpoint its local state on close; its next restore reads the changelog"
                        + " from an earlier checkpoint");
            }
        }
        tasks.clear();
    }

    /**
     * The task for {@code (stage, partition)}, created on first use and restored from its changelogs, its counters
     * from the metadata of its inputs' committed offsets ({@link CommittedMetrics}).
     */
    private StageTask task(Map<TaskId, StageTask> tasks, int stage, int partition,
                           KafkaConsumer<byte[], byte[]> restoreConsumer, KafkaConsumer<byte[], byte[]> groupConsumer) {
        TaskId id = new TaskId(stage, partition);
        StageTask task = tasks.get(id);
        if (task == null) {
            task = TaskCompiler.compile(plan, stage, partition, sourcePartitions::get, job.stateDirectory());
            try {
                task.deferChangelogUntilFlush(); // one changelog record per changed entry per transaction
                restore(task, plan.stages().get(stage).changelogTopics(), partition, restoreConsumer);
            } catch (RuntimeException e) {
                task.close();
                throw e;
            }
            Set<TopicPartition> inputs = new HashSet<>();
            for (String topic : plan.stages().get(stage).inputTopics()) {
                inputs.add(new TopicPartition(topic, partition));
            }
            List<String> metadata = new ArrayList<>();
            groupConsumer.committed(inputs).values().forEach(committed -> {
                if (committed != null) {
                    metadata.add(committed.metadata());
                }
            });
            task.restoreMetrics(CommittedMetrics.of(stage, metadata));
            tasks.put(id, task);
        }
        return task;
    }

    /** The metadata to commit with an input offset: the counters of the tasks reading that partition. */
    private String metadataOf(Map<TaskId, StageTask> tasks, TopicPartition partition) {
        Map<Integer, TaskMetrics> byStage = new HashMap<>();
        for (int stage : stagesByTopic.getOrDefault(partition.topic(), List.of())) {
            StageTask task = tasks.get(new TaskId(stage, partition.partition()));
            if (task != null) {
                byStage.put(stage, task.metrics());
            }
        }
        return CommittedMetrics.encode(byStage);
    }

    /**
     * Restores {@code task} from the committed records of partition {@code partition} of each changelog topic,
     * each in offset order, from where the task asks (the tail after its checkpoint, or the start), one poll at a
     * time: a changelog larger than the heap streams through.
     */
    private void restore(StageTask task, List<String> topics, int partition,
                         KafkaConsumer<byte[], byte[]> restoreConsumer) {
        if (topics.isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = topics.stream().map(topic -> new TopicPartition(topic, partition)).toList();
        restoreConsumer.assign(partitions);
        Map<TopicPartition, Long> starts = restoreConsumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> ends = restoreConsumer.endOffsets(partitions);
        Map<String, Long> startsByTopic = new HashMap<>();
        Map<String, Long> endsByTopic = new HashMap<>();
        starts.forEach((tp, offset) -> startsByTopic.put(tp.topic(), offset));
        ends.forEach((tp, offset) -> endsByTopic.put(tp.topic(), offset));
        Map<String, Long> from = task.restoreOffsets(startsByTopic, endsByTopic);
        for (TopicPartition tp : partitions) {
            restoreConsumer.seek(tp, from.getOrDefault(tp.topic(), starts.get(tp)));
        }
        List<ChangelogRecord> changelog = new ArrayList<>();
        while (partitions.stream().anyMatch(tp -> restoreConsumer.position(tp) < ends.get(tp))) {
            changelog.clear();
            for (ConsumerRecord<byte[], byte[]> record : restoreConsumer.poll(POLL)) {
                changelog.add(new ChangelogRecord(record.topic(), record.key(), record.value()));
            }
            task.restore(changelog);
        }
        restoreConsumer.unsubscribe();
        ends.forEach((tp, offset) -> changelogPositions.merge(tp, offset, Math::max));
    }

    private static InputRecord toInput(ConsumerRecord<byte[], byte[]> record) {
        List<Header> headers;
        org.apache.kafka.common.header.Header[] kafkaHeaders = record.headers().toArray();
        if (kafkaHeaders.length == 0) {
            headers = List.of();
        } else {
            headers = new ArrayList<>(kafkaHeaders.length);
            for (org.apache.kafka.common.header.Header header : kafkaHeaders) {
                headers.add(new Header(header.key(), header.value()));
            }
        }
        return new InputRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    private static ProducerRecord<byte[], byte[]> toProducerRecord(OutputRecord record) {
        List<org.apache.kafka.common.header.Header> headers = null; // most records have none
        if (!record.headers().isEmpty()) {
            headers = new ArrayList<>(record.headers().size());
            for (Header header : record.headers()) {
                headers.add(new RecordHeader(header.key(), header.value()));
            }
        }
        Integer partition = record.partition() == OutputRecord.PARTITION_BY_KEY ? null : record.partition();
        return new ProducerRecord<>(record.topic(), partition, record.timestampMs(), record.key(), record.value(),
                headers);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static Map<TaskId, TaskMetrics> snapshot(Map<TaskId, StageTask> tasks) {
        Map<TaskId, TaskMetrics> snapshot = new HashMap<>(tasks.size() * 2);
        tasks.forEach((id, task) -> snapshot.put(id, task.metrics()));
        return Map.copyOf(snapshot);
    }


    private Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.putAll(clientProperties);
        config.remove(INSTANCE_ID);
        config.put("client.id", "hearth-job-" + job.name() + "-" + index + (groupId == null ? "-restore" : ""));
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", false);
        config.put("auto.offset.reset", "earliest");
        // With the continuous trigger, one transaction per poll: larger polls spread its fixed cost
        // (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn and the markers) over more records.
        // 4 MiB per partition is ~17,000 records of 240 bytes.
        config.put("max.poll.records", 10_000);
        config.put("max.partition.fetch.bytes", 4 * 1024 * 1024);
        if (groupId != null) {
            config.put("group.id", groupId);
            // Range keeps co-partitioned topics together: partition p of every input goes to the same worker. The
            // assignor also tells every member which instance's URL serves each partition's queries.
            config.put("partition.assignment.strategy", List.of(QueryEndpointAssignor.class,
                    org.apache.kafka.clients.consumer.RangeAssignor.class));
            java.util.function.Consumer<Map<TopicPartition, String>> ownership = job.queries()::owners;
            config.put(QueryEndpointAssignor.OWNERSHIP_CONFIG, ownership);
            String endpoint = job.queries().advertisedUrl();
            if (endpoint != null) {
                config.put(QueryEndpointAssignor.ENDPOINT_CONFIG, endpoint);
            }
        }
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.putAll(clientProperties);
        String instance = (String) config.remove(INSTANCE_ID);
        config.put("client.id", "hearth-job-" + job.name() + "-" + index);
        // Distinct per app-server instance, stable across its restarts: instances sharing a job on a Kafka cluster
        // never fence each other, and a restarted one fences its own previous incarnation. Zombie members of the
        // group are fenced by the group generation the offsets are sent with (KIP-447), not by this id.
        config.put("transactional.id", job.groupId() + "-" + (instance == null ? "" : instance + "-") + index);
        config.put("acks", "all");
        config.put("linger.ms", 5);
        config.put("batch.size", 256 * 1024);
        return config;
    }

    /**
     * Commits an open micro-batch (its offsets still belong to this member) and drops the tasks of revoked
     * partitions: whoever gets them next restores them from the changelogs.
     */
    private final class DropTasksOnRevocation implements ConsumerRebalanceListener {
        private final Map<TaskId, StageTask> tasks;
        private final Transaction transaction;

        DropTasksOnRevocation(Map<TaskId, StageTask> tasks, Transaction transaction) {
            this.tasks = tasks;
            this.transaction = transaction;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<TopicPartition> remaining = new java.util.HashSet<>(assigned);
            remaining.removeAll(partitions);
            assigned = Set.copyOf(remaining);
            if (transaction.isOpen() && !partitions.isEmpty()) {
                job.progressed(transaction.commit());
                committed(tasks);
            }
            transaction.forget(partitions);
            for (TopicPartition partition : partitions) {
                for (int stage : stagesByTopic.getOrDefault(partition.topic(), List.of())) {
                    StageTask task = tasks.remove(new TaskId(stage, partition.partition()));
                    if (task != null && stopped) {
                        task.close(); // the consumer's close on stop: the partition did not move, keep the state
                    } else if (task != null) {
                        task.deleteLocalState();
                    }
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Tasks are created when their partition's first record (or store read) arrives.
            Set<TopicPartition> now = new java.util.HashSet<>(assigned);
            now.addAll(partitions);
            assigned = Set.copyOf(now);
        }
    }

    /**
     * The worker's open Hearth transaction: begun at the first record of a poll (or a punctuation), it collects
     * the next offsets of everything consumed and commits them with the emitted records, each offset with the
     * counters of the tasks reading its partition as metadata ({@link CommittedMetrics}). An offset is the one
     * after the last record processed, or the consumer's position when only skipped records (transaction markers)
     * lie between, so that an idle job's committed offsets reach the end of its inputs. One per worker
     * incarnation; used by the worker thread only (the rebalance listener runs inside its poll).
     */
    private static final class Transaction {
        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<TaskId, StageTask> tasks;   // flushed into the transaction before it commits
        private final Emitter emitter;
        private final Function<TopicPartition, String> metadataOf; // of an offset: the readers' counters
        private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        /** Offsets this incarnation committed, per partition it still owns. */
        private final Map<TopicPartition, Long> committed = new HashMap<>();
        private boolean open;
        private long startedMs;
        private int records;

        Transaction(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer,
                    Map<TaskId, StageTask> tasks, Emitter emitter, Function<TopicPartition, String> metadataOf) {
            this.producer = producer;
            this.metadataOf = metadataOf;
            this.consumer = consumer;
            this.tasks = tasks;
            this.emitter = emitter;
        }

        boolean isOpen() {
            return open;
        }

        long startedMs() {
            return startedMs;
        }

        void beginIfNeeded(long nowMs) {
            if (!open) {
                producer.beginTransaction();
                open = true;
                startedMs = nowMs;
            }
        }

        void consumed(ConsumerRecords<byte[], byte[]> polled) {
            offsets.putAll(nextOffsets(polled));
            records += polled.count();
        }

        /**
         * Assigned partitions whose consumer position is past both the offset this incarnation committed (if any)
         * and the one the open transaction will commit: only skipped records (markers, aborted) lie between, since
         * every record a poll returned is processed before the next commit. Partitions without a position yet are
         * left out.
         */
        Map<TopicPartition, Long> positionsAhead() {
            Map<TopicPartition, Long> ahead = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                long position;
                try {
                    position = consumer.position(partition, Duration.ZERO);
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    continue; // not fetched yet
                }
                OffsetAndMetadata pending = offsets.get(partition);
                Long last = pending != null ? Long.valueOf(pending.offset()) : committed.get(partition);
                if (last == null || position > last) {
                    ahead.put(partition, position);
                }
            }
            return ahead;
        }

        /** Commits these positions too (see {@link #positionsAhead}). */
        void advanceTo(Map<TopicPartition, Long> positions) {
            positions.forEach((partition, position) -> offsets.merge(partition, new OffsetAndMetadata(position),
                    (old, fresh) -> fresh.offset() > old.offset() ? fresh : old));
        }

        void forget(Collection<TopicPartition> revoked) {
            committed.keySet().removeAll(revoked);
        }

        /** Commits and returns the number of input records it covered. */
        int commit() {
            // State-store changelogs were buffered since the last commit: each changed entry once, now.
            for (StageTask task : tasks.values()) {
                task.flush(emitter);
            }
            if (!offsets.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> withCounters = new HashMap<>(offsets.size() * 2);
                offsets.forEach((partition, offset) -> withCounters.put(partition,
                        new OffsetAndMetadata(offset.offset(), metadataOf.apply(partition))));
                producer.sendOffsetsToTransaction(withCounters, consumer.groupMetadata());
            }
            producer.commitTransaction();
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            int covered = records;
            reset();
            return covered;
        }

        void abort(RuntimeException cause) {
            if (open) {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
            reset();
        }

        private void reset() {
            open = false;
            offsets.clear();
            records = 0;
        }
    }
}
