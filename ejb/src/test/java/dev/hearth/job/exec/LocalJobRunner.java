package dev.hearth.job.exec;

import dev.hearth.job.api.Serde;
import dev.hearth.job.plan.InternalTopic;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.PhysicalPlan;
import dev.hearth.job.plan.Stage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test-only runtime: topics are in-memory lists of partitions, every task of every stage runs in this thread, in
 * an order chosen by an {@link Interleaving}. Each task call is "committed" atomically (its outputs are appended
 * and its input position advanced together), as the real runtime does with Kafka transactions, so
 * {@link #restartTasks()} models a crash and restore at any call boundary.
 * <p>
 * Records with {@link OutputRecord#PARTITION_BY_KEY} are placed by {@code Arrays.hashCode(key)}: any function of
 * the key bytes gives the co-partitioning the tests need. With a {@link StateDirectory}, persistent stores live
 * there (each call being its own commit, their writes reach the disk at its end) and restarts restore from the
 * checkpoint's tail; call {@link #close()} at the end. Not thread-safe.
 */
final class LocalJobRunner {

    /** A stored record. */
    record StoredRecord(byte[] key, byte[] value, long timestampMs, List<Header> headers) {
        String header(String name) {
            for (Header header : headers) {
                if (header.key().equals(name)) {
                    return new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    /** The order in which runnable tasks and their inputs are served. */
    interface Interleaving {
        /** Drains the first runnable task (stage order, then partition) completely before any other. */
        Interleaving SEQUENTIAL = new Ordered(false);
        /** Drains the last runnable task (highest partition of the last stage) first. */
        Interleaving REVERSE = new Ordered(true);

        static Interleaving random(long seed) {
            return new RandomOrder(seed);
        }

        int pickTask(List<TaskRun> runnable);

        /** How many records the picked task processes before the next pick. */
        int batchSize();

        /** Which of a task's non-empty inputs to read next. */
        String pickInput(TaskRun task, List<String> nonEmpty);

        /** Whether to punctuate a task after a batch. */
        boolean punctuateAfterBatch();
    }

    private record Ordered(boolean reverse) implements Interleaving {
        public int pickTask(List<TaskRun> runnable) {
            return reverse ? runnable.size() - 1 : 0;
        }

        public int batchSize() {
            return Integer.MAX_VALUE;
        }

        public String pickInput(TaskRun task, List<String> nonEmpty) {
            return task.earliestHead(nonEmpty);
        }

        public boolean punctuateAfterBatch() {
            return true;
        }

        @Override
        public String toString() {
            return reverse ? "REVERSE" : "SEQUENTIAL";
        }
    }

    private static final class RandomOrder implements Interleaving {
        private final long seed;
        private final Random random;

        RandomOrder(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        public int pickTask(List<TaskRun> runnable) {
            return random.nextInt(runnable.size());
        }

        public int batchSize() {
            return 1 + random.nextInt(25);
        }

        public String pickInput(TaskRun task, List<String> nonEmpty) {
            return nonEmpty.get(random.nextInt(nonEmpty.size()));
        }

        public boolean punctuateAfterBatch() {
            return random.nextInt(4) == 0;
        }

        @Override
        public String toString() {
            return "random(" + seed + ")";
        }
    }

    /** One task and its consumer positions. */
    final class TaskRun {
        final Stage stage;
        final int partition;
        final Map<String, Integer> positions = new HashMap<>(); // input topic -> next offset
        StageTask task;

        TaskRun(Stage stage, int partition) {
            this.stage = stage;
            this.partition = partition;
            for (String topic : stage.inputTopics()) {
                positions.put(topic, 0);
            }
        }

        List<String> nonEmptyInputs() {
            List<String> nonEmpty = new ArrayList<>();
            for (String topic : stage.inputTopics()) {
                if (positions.get(topic) < topics.get(topic).get(partition).size()) {
                    nonEmpty.add(topic);
                }
            }
            return nonEmpty;
        }

        String earliestHead(List<String> nonEmpty) {
            String best = null;
            long bestTs = Long.MAX_VALUE;
            for (String topic : nonEmpty) {
                long ts = topics.get(topic).get(partition).get(positions.get(topic)).timestampMs();
                if (best == null || ts < bestTs) {
                    best = topic;
                    bestTs = ts;
                }
            }
            return best;
        }

        void processOne(String topic) {
            int offset = positions.get(topic);
            StoredRecord record = topics.get(topic).get(partition).get(offset);
            task.process(new InputRecord(topic, partition, offset, record.timestampMs(), record.key(), record.value(),
                    record.headers()), emitter);
            positions.put(topic, offset + 1);
        }
    }

    private final PhysicalPlan plan;
    private final Map<String, Integer> sourcePartitions;
    private final Map<String, List<List<StoredRecord>>> topics = new LinkedHashMap<>();
    private final List<TaskRun> tasks = new ArrayList<>();
    private final Emitter emitter = this::append;
    private long lateRecordsOfDiscardedTasks;
    private final StateDirectory stateDirectory; // null: every store in memory
    private long restoredRecords;                // changelog records handed to restore, over all restarts

    /**
     * @param sourcePartitions partition counts of source topics (and of sink topics; others get 1 partition)
     */
    LocalJobRunner(JobDefinition job, Map<String, Integer> sourcePartitions) {
        this(job, sourcePartitions, null);
    }

    /** @param stateDirectory where persistent stores keep their local copies; null: every store in memory */
    LocalJobRunner(JobDefinition job, Map<String, Integer> sourcePartitions, StateDirectory stateDirectory) {
        this.stateDirectory = stateDirectory;
        this.plan = job.plan();
        this.sourcePartitions = Map.copyOf(sourcePartitions);
        for (String topic : job.sourceTopics()) {
            create(topic, plan.partitionCount(topic, this::partitionsOf));
        }
        for (InternalTopic topic : job.internalTopics()) {
            create(topic.name(), plan.partitionCount(topic.name(), this::partitionsOf));
        }
        for (String topic : job.sinkTopics()) {
            create(topic, sourcePartitions.getOrDefault(topic, 1));
        }
        for (Stage stage : plan.stages()) {
            int count = plan.taskCount(stage, this::partitionsOf);
            for (int partition = 0; partition < count; partition++) {
                TaskRun run = new TaskRun(stage, partition);
                run.task = TaskCompiler.compile(plan, stage.index(), partition, this::partitionsOf, stateDirectory);
                tasks.add(run);
            }
        }
    }

    private int partitionsOf(String topic) {
        Integer partitions = sourcePartitions.get(topic);
        if (partitions == null) {
            throw new IllegalArgumentException("no partition count for " + topic);
        }
        return partitions;
    }

    private void create(String topic, int partitions) {
        topics.computeIfAbsent(topic, t -> {
            List<List<StoredRecord>> list = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                list.add(new ArrayList<>());
            }
            return list;
        });
    }

    void produce(String topic, int partition, byte[] key, byte[] value, long timestampMs) {
        topics.get(topic).get(partition).add(new StoredRecord(key, value, timestampMs, List.of()));
    }

    <K, V> void produce(String topic, int partition, Serde<K> keySerde, K key, Serde<V> valueSerde, V value,
                        long timestampMs) {
        produce(topic, partition, keySerde.serialize(key), valueSerde.serialize(value), timestampMs);
    }

    /** Produces to the partition chosen by the key, as the runtime's partitioner would. */
    <K, V> void produce(String topic, Serde<K> keySerde, K key, Serde<V> valueSerde, V value, long timestampMs) {
        byte[] keyBytes = keySerde.serialize(key);
        produce(topic, partitionFor(topic, keyBytes), keyBytes, valueSerde.serialize(value), timestampMs);
    }

    private int partitionFor(String topic, byte[] key) {
        int partitions = topics.get(topic).size();
        return key == null ? 0 : (Arrays.hashCode(key) & 0x7fffffff) % partitions;
    }

    private void append(OutputRecord record) {
        List<List<StoredRecord>> partitions = topics.get(record.topic());
        if (partitions == null) {
            throw new IllegalStateException("task wrote to undeclared topic " + record.topic());
        }
        int partition = record.partition() == OutputRecord.PARTITION_BY_KEY
                ? partitionFor(record.topic(), record.key()) : record.partition();
        partitions.get(partition).add(new StoredRecord(record.key(), record.value(), record.timestampMs(),
                record.headers()));
    }

    /** Runs tasks in the given order until no task has input left. */
    void runUntilIdle(Interleaving interleaving) {
        runUntilIdle(interleaving, Long.MAX_VALUE);
    }

    /**
     * Runs at most {@code maxRecords} task calls.
     *
     * @return the number of records processed
     */
    long runUntilIdle(Interleaving interleaving, long maxRecords) {
        long processed = 0;
        while (processed < maxRecords) {
            List<TaskRun> runnable = new ArrayList<>();
            for (TaskRun run : tasks) {
                if (!run.nonEmptyInputs().isEmpty()) {
                    runnable.add(run);
                }
            }
            if (runnable.isEmpty()) {
                return processed;
            }
            TaskRun run = runnable.get(interleaving.pickTask(runnable));
            int batch = interleaving.batchSize();
            for (int i = 0; i < batch && processed < maxRecords; i++) {
                List<String> nonEmpty = run.nonEmptyInputs();
                if (nonEmpty.isEmpty()) {
                    break;
                }
                run.processOne(interleaving.pickInput(run, nonEmpty));
                processed++;
            }
            if (interleaving.punctuateAfterBatch()) {
                run.task.punctuate(0, emitter);
            }
        }
        return processed;
    }

    /** Punctuates every task, once. */
    void punctuateAll() {
        for (TaskRun run : tasks) {
            run.task.punctuate(0, emitter);
        }
    }

    /** Runs everything to the end of the bounded input: stage by stage, drain then finish. */
    void runToEnd(Interleaving interleaving) {
        runUntilIdle(interleaving);
        for (Stage stage : plan.stages()) {
            runUntilIdle(interleaving);
            for (TaskRun run : tasks) {
                if (run.stage == stage) {
                    run.task.finish(emitter);
                }
            }
        }
        runUntilIdle(interleaving);
    }

    /**
     * Models a crash after the last committed call, which the runtime checkpointed: every task is replaced by a new
     * one restored from changelogs (only their tail after the checkpoint, for persistent stores).
     */
    void restartTasks() {
        checkpointAll();
        crashTasks();
    }

    /** Every task records the changelog offsets its persistent stores reflect, as the runtime does after a commit. */
    void checkpointAll() {
        for (TaskRun run : tasks) {
            run.task.committed(changelogEndOffsets(run));
        }
    }

    /**
     * Models a crash after the last committed call but before its checkpoint: persistent stores are restored from
     * the changelog's tail after the last {@link #checkpointAll} (or wholly when there is none).
     */
    void crashTasks() {
        closeTasks();
        restoreTasks();
    }

    /**
     * Closes every task (a task checkpoints what it last heard was committed); {@link #restoreTasks} replaces them.
     */
    void closeTasks() {
        for (TaskRun run : tasks) {
            lateRecordsOfDiscardedTasks += run.task.metrics().lateRecords();
            run.task.close();
        }
    }

    /** Replaces every (closed) task by a new one restored from its local state and the changelogs. */
    void restoreTasks() {
        for (TaskRun run : tasks) {
            run.task = TaskCompiler.compile(plan, run.stage.index(), run.partition, this::partitionsOf,
                    stateDirectory);
            Map<String, Long> starts = new HashMap<>();
            for (String topic : run.stage.changelogTopics()) {
                starts.put(topic, 0L);
            }
            Map<String, Long> from = run.task.restoreOffsets(starts, changelogEndOffsets(run));
            List<ChangelogRecord> changelog = new ArrayList<>();
            for (String topic : run.stage.changelogTopics()) {
                List<StoredRecord> partition = topics.get(topic).get(run.partition);
                for (StoredRecord record : partition.subList(from.get(topic).intValue(), partition.size())) {
                    changelog.add(new ChangelogRecord(topic, record.key(), record.value()));
                }
            }
            restoredRecords += changelog.size();
            run.task.restore(changelog);
        }
    }

    private Map<String, Long> changelogEndOffsets(TaskRun run) {
        Map<String, Long> ends = new HashMap<>();
        for (String topic : run.stage.changelogTopics()) {
            ends.put(topic, (long) topics.get(topic).get(run.partition).size());
        }
        return ends;
    }

    /** Changelog records handed to restore, over every restart so far. */
    long restoredRecords() {
        return restoredRecords;
    }

    /** Closes every task (frees the native resources of persistent stores); idempotent. */
    void close() {
        for (TaskRun run : tasks) {
            run.task.close();
        }
    }

    /** All records of a topic, partition by partition. */
    /** The running task of {@code (stage, partition)}, to read its stores between calls (this thread only). */
    StageTask task(int stage, int partition) {
        for (TaskRun run : tasks) {
            if (run.stage.index() == stage && run.partition == partition) {
                return run.task;
            }
        }
        throw new IllegalArgumentException("no task " + stage + "_" + partition);
    }

    List<StoredRecord> read(String topic) {
        List<StoredRecord> all = new ArrayList<>();
        for (List<StoredRecord> partition : topics.get(topic)) {
            all.addAll(partition);
        }
        return all;
    }

    /** Data records of a topic (watermark control records left out). */
    List<StoredRecord> readData(String topic) {
        List<StoredRecord> data = new ArrayList<>();
        for (StoredRecord record : read(topic)) {
            if (record.header(WatermarkHeader.KEY) == null) {
                data.add(record);
            }
        }
        return data;
    }

    long lateRecords() {
        long late = lateRecordsOfDiscardedTasks;
        for (TaskRun run : tasks) {
            late += run.task.metrics().lateRecords();
        }
        return late;
    }

    List<TaskMetrics> metrics() {
        List<TaskMetrics> metrics = new ArrayList<>();
        for (TaskRun run : tasks) {
            metrics.add(run.task.metrics());
        }
        return metrics;
    }
}
