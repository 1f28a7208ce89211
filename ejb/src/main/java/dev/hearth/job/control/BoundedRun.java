package dev.hearth.job.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

import dev.hearth.job.api.Operation;
import dev.hearth.job.exec.Header;
import dev.hearth.job.exec.InputRecord;
import dev.hearth.job.exec.OutputRecord;
import dev.hearth.job.exec.StageTask;
import dev.hearth.job.exec.TaskCompiler;
import dev.hearth.job.plan.InternalTopic;
import dev.hearth.job.plan.PhysicalNode;
import dev.hearth.job.plan.PhysicalPlan;
import dev.hearth.job.plan.Stage;

/**
 * A job's dataflow run once over a bounded range of its source topics, as a batch job: stage by stage, every task
 * fed its partitions' records of the range, then finished (watermark to +infinity: every window emits). Records
 * between stages stay in memory (so the range must fit in the heap) and state is not written to changelogs: a
 * bounded run shares nothing with the job's continuous run except its code and its dead-letter policy. Results go
 * to the job's sink topics, or to the topics named in {@code renamedOutputs} (to compare a fixed version's results
 * with the old ones). Not transactional: a failed run may have written part of its results.
 *
 * <h2>The range</h2>
 * The range is the source records whose <b>timestamps</b> are in {@code [fromMs, toMs)}, whatever their order in
 * the log. Per source partition the run reads from the first offset with a timestamp at or after {@code fromMs}
 * (ListOffsets by timestamp: every earlier record is before {@code fromMs}, so nothing in the range is missed) up
 * to the partition's end offset captured when the run starts (read_committed: the last stable offset), and keeps
 * the records whose timestamp is in the range. Stopping there is safe because no record appended later is part of
 * the run by definition; stopping earlier is not, since a record in the range may follow any number of later
 * ones. {@link #recordsTotal()} is what is scanned, an upper bound on the records in the range.
 *
 * <h2>Bad records</h2>
 * As in the continuous job ({@link PoisonRecords}): a record whose processing throws is attempted again, by
 * running its task again from the task's start, up to {@value PoisonRecords#MAX_RECORD_ATTEMPTS} times in all; the
 * next attempt sends it to the job's dead-letter topic and goes on without it. A task's outputs and dead letters
 * are sent only once it finished, so an abandoned attempt leaves nothing behind. A record of a repartition topic
 * lives only in memory here: its dead letter names that topic and its position in the run, and its
 * {@code hearth.source.*} headers name its source record.
 *
 * <p>Thread-safety: {@link #run} on one thread; the progress getters from any.
 */
public final class BoundedRun implements Runnable {

    /** Where a bounded run stands. */
    public enum State { RUNNING, SUCCEEDED, FAILED }

    private static final Logger LOG = Logger.getLogger(BoundedRun.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final String id;
    private final String jobName;
    private final PhysicalPlan plan;
    private final Map<String, Integer> sourcePartitions;
    /** How to reach Hearth's Kafka listener: bootstrap.servers and its security settings (secrets: never logged). */
    private final Map<String, String> clientProperties;
    private final long fromMs;
    private final long toMs;
    private final Map<String, String> renamedOutputs;
    private final Set<String> repartitionTopics = new HashSet<>();
    private final Set<String> changelogTopics = new HashSet<>();
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private volatile long recordsTotal = -1;
    private final PoisonRecords poisonRecords;
    private volatile State state = State.RUNNING;
    private volatile String error;

    public BoundedRun(String id, RunningJob job, Map<String, Integer> sourcePartitions, Map<String, String> clientProperties,
                      long fromMs, long toMs, Map<String, String> renamedOutputs) {
        this.id = id;
        this.jobName = job.name();
        this.plan = job.definition().plan();
        this.sourcePartitions = sourcePartitions;
        this.clientProperties = Map.copyOf(clientProperties);
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.renamedOutputs = Map.copyOf(renamedOutputs);
        this.poisonRecords = new PoisonRecords(jobName); // this run's attempts, not the continuous job's
        for (InternalTopic topic : plan.internalTopics()) {
            (topic.kind() == InternalTopic.Kind.REPARTITION ? repartitionTopics : changelogTopics).add(topic.name());
        }
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            run(consumer, producer);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Runs with the given clients (the caller closes them); the outcome is in {@link #state()}. */
    void run(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
        try {
            Map<TopicPartition, long[]> ranges = ranges(consumer);
            recordsTotal = ranges.values().stream().mapToLong(range -> range[1] - range[0]).sum();
            // Records written to repartition topics, per topic and partition, in order.
            Map<String, List<List<InputRecord>>> exchanged = new HashMap<>();
            for (Stage stage : plan.stages()) {
                runStage(stage, consumer, producer, ranges, exchanged);
            }
            producer.flush();
            state = State.SUCCEEDED;
            LOG.info(() -> "HEARTH-1010 Bounded run " + id + " of job " + jobName + " read " + recordsRead
                    + " records and wrote " + recordsWritten);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        error = e.toString();
        state = State.FAILED;
        LOG.log(Level.WARNING, e, () -> "HEARTH-1011 Bounded run " + id + " of job " + jobName + " failed");
    }

    private void runStage(Stage stage, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                          Map<TopicPartition, long[]> ranges, Map<String, List<List<InputRecord>>> exchanged) {
        int tasks = plan.taskCount(stage, sourcePartitions::get);
        for (int partition = 0; partition < tasks; partition++) {
            TaskAttempt done = runTask(stage, partition, consumer, ranges, exchanged);
            for (InputRecord poison : done.deadLetters()) {
                producer.send(poisonRecords.deadLetter(poison));
                poisonRecords.deadLettered(poison);
            }
            for (OutputRecord record : done.outputs()) {
                route(record, producer, exchanged);
            }
            for (String topic : stage.inputTopics()) {
                List<List<InputRecord>> partitions = exchanged.get(topic);
                if (partitions != null && partition < partitions.size()) {
                    partitions.set(partition, List.of()); // consumed: free it
                }
            }
        }
    }

    /** Runs one task over its inputs until an attempt gets through (see Bad records), and returns that attempt. */
    private TaskAttempt runTask(Stage stage, int partition, Consumer<byte[], byte[]> consumer,
                                Map<TopicPartition, long[]> ranges, Map<String, List<List<InputRecord>>> exchanged) {
        while (true) {
            TaskAttempt attempt = new TaskAttempt(TaskCompiler.compile(plan, stage.index(), partition,
                    sourcePartitions::get));
            try {
                // Tables first: a stream record joins the table as of the end of the range's table updates.
                for (String topic : tablesFirst(stage)) {
                    if (repartitionTopics.contains(topic)) {
                        List<List<InputRecord>> partitions = exchanged.getOrDefault(topic, List.of());
                        if (partition < partitions.size()) {
                            partitions.get(partition).forEach(attempt::process);
                        }
                    } else {
                        read(consumer, new TopicPartition(topic, partition), ranges, attempt);
                    }
                }
                attempt.task.finish(attempt.outputs::add);
                return attempt;
            } catch (PoisonRecords.RecordFailedException e) {
                recordsRead.addAndGet(-attempt.scanned);
                LOG.log(Level.WARNING, e, () -> "HEARTH-1031 Bounded run " + id + " of job " + jobName
                        + " runs task " + stage.index() + "/" + partition + " again");
            }
        }
    }

    private List<String> tablesFirst(Stage stage) {
        List<String> ordered = new ArrayList<>();
        for (PhysicalNode node : stage.operators()) {
            if (node.operation() instanceof Operation.TableSource table) {
                ordered.add(table.topic());
            }
        }
        for (String topic : stage.inputTopics()) {
            if (!ordered.contains(topic)) {
                ordered.add(topic);
            }
        }
        return ordered;
    }

    /** Feeds the partition's records of the range (by timestamp, see The range) to the attempt. */
    private void read(Consumer<byte[], byte[]> consumer, TopicPartition partition,
                      Map<TopicPartition, long[]> ranges, TaskAttempt attempt) {
        long[] range = ranges.get(partition);
        if (range == null || range[0] >= range[1]) {
            return;
        }
        consumer.assign(List.of(partition));
        consumer.seek(partition, range[0]);
        while (consumer.position(partition) < range[1]) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() >= range[1]) {
                    break;
                }
                attempt.scanned++;
                recordsRead.incrementAndGet();
                if (record.timestamp() >= fromMs && record.timestamp() < toMs) {
                    attempt.process(toInput(record));
                }
            }
        }
    }

    /**
     * One attempt at a task: its outputs and the poison records it skipped, held back until it finishes.
     * Confined to the run's thread.
     */
    private final class TaskAttempt {
        final StageTask task;
        final List<OutputRecord> outputs = new ArrayList<>();
        final List<InputRecord> deadLetters = new ArrayList<>();
        long scanned; // source records read by this attempt, taken back from the progress if it is abandoned

        TaskAttempt(StageTask task) {
            this.task = task;
        }

        void process(InputRecord record) {
            if (poisonRecords.isPoison(record)) {
                deadLetters.add(record);
                return;
            }
            try {
                task.process(record, outputs::add);
            } catch (RuntimeException e) {
                throw poisonRecords.recordFailed(record, e);
            }
        }

        List<OutputRecord> outputs() {
            return outputs;
        }

        List<InputRecord> deadLetters() {
            return deadLetters;
        }
    }

    private void route(OutputRecord record, Producer<byte[], byte[]> producer,
                       Map<String, List<List<InputRecord>>> exchanged) {
        if (changelogTopics.contains(record.topic())) {
            return;
        }
        if (repartitionTopics.contains(record.topic())) {
            int partitions = plan.partitionCount(record.topic(), sourcePartitions::get);
            int partition = record.partition() != OutputRecord.PARTITION_BY_KEY ? record.partition()
                    : record.key() == null ? 0 : Utils.toPositive(Utils.murmur2(record.key())) % partitions;
            List<List<InputRecord>> buffers = exchanged.computeIfAbsent(record.topic(), topic -> {
                List<List<InputRecord>> lists = new ArrayList<>(partitions);
                for (int p = 0; p < partitions; p++) {
                    lists.add(new ArrayList<>());
                }
                return lists;
            });
            List<InputRecord> buffer = buffers.get(partition);
            buffer.add(new InputRecord(record.topic(), partition, buffer.size(), record.timestampMs(), record.key(),
                    record.value(), record.headers()));
            return;
        }
        List<org.apache.kafka.common.header.Header> headers = new ArrayList<>(record.headers().size());
        for (Header header : record.headers()) {
            headers.add(new RecordHeader(header.key(), header.value()));
        }
        Integer partition = record.partition() == OutputRecord.PARTITION_BY_KEY ? null : record.partition();
        producer.send(new ProducerRecord<>(renamedOutputs.getOrDefault(record.topic(), record.topic()), partition,
                record.timestampMs(), record.key(), record.value(), headers));
        recordsWritten.incrementAndGet();
    }

    /**
     * Per source partition, the offsets to scan: [first offset with a timestamp at or after fromMs, end offset
     * now), see The range.
     */
    private Map<TopicPartition, long[]> ranges(Consumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Long> fromQuery = new HashMap<>();
        sourcePartitions.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                fromQuery.put(new TopicPartition(topic, p), fromMs);
            }
        });
        Map<TopicPartition, Long> ends = consumer.endOffsets(fromQuery.keySet());
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(fromQuery);
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        for (TopicPartition partition : fromQuery.keySet()) {
            long end = ends.get(partition);
            OffsetAndTimestamp first = starts.get(partition);
            long start = first == null ? end : Math.min(first.offset(), end);
            ranges.put(partition, new long[] {start, end});
        }
        return ranges;
    }

    private static InputRecord toInput(ConsumerRecord<byte[], byte[]> record) {
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(header -> headers.add(new Header(header.key(), header.value())));
        return new InputRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.putAll(clientProperties);
        config.remove(JobWorker.INSTANCE_ID);
        config.put("client.id", "hearth-job-" + jobName + "-bounded-" + id);
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", false);
        // A range start that retention deleted meanwhile continues at the log start, never at its end.
        config.put("auto.offset.reset", "earliest");
        config.put("max.poll.records", 2000);
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.putAll(clientProperties);
        config.remove(JobWorker.INSTANCE_ID);
        config.put("client.id", "hearth-job-" + jobName + "-bounded-" + id);
        config.put("acks", "all");
        config.put("linger.ms", 5);
        return config;
    }

    public String id() {
        return id;
    }

    public String jobName() {
        return jobName;
    }

    public State state() {
        return state;
    }

    public String error() {
        return error;
    }

    public long fromMs() {
        return fromMs;
    }

    public long toMs() {
        return toMs;
    }

    public Map<String, String> renamedOutputs() {
        return renamedOutputs;
    }

    /** Source records scanned so far (those of an abandoned task attempt taken back). */
    public long recordsRead() {
        return recordsRead.get();
    }

    /** Source records to scan for the range (an upper bound on those in it); -1 until it is resolved. */
    public long recordsTotal() {
        return recordsTotal;
    }

    public long recordsWritten() {
        return recordsWritten.get();
    }
}
