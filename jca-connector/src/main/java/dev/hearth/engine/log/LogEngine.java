package dev.hearth.engine.log;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import dev.hearth.engine.AppendResult;
import dev.hearth.engine.CleanerStats;
import dev.hearth.engine.CleanupPolicy;
import dev.hearth.engine.DiskFullException;
import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.EngineStats;
import dev.hearth.engine.FetchResult;
import dev.hearth.engine.InvalidPartitionsException;
import dev.hearth.engine.Isolation;
import dev.hearth.engine.PartitionInfo;
import dev.hearth.engine.PartitionState;
import dev.hearth.engine.PendingAppend;
import dev.hearth.engine.PartitionStats;
import dev.hearth.engine.StorageException;
import dev.hearth.engine.TimestampAndOffset;
import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.TopicExistsException;
import dev.hearth.engine.TopicInfo;
import dev.hearth.engine.TopicNames;
import dev.hearth.engine.internal.AppendListener;
import dev.hearth.engine.internal.LogDirectory;
import dev.hearth.engine.internal.PartitionLog;
import dev.hearth.engine.internal.Topic;

/**
 * Hearth's log engine: durable, partitioned topics of Kafka record batches in one data directory. The
 * facade every caller (the resource adapter, the Kafka-protocol listener, benchmarks) uses; it has no
 * container dependency, so it runs the same in Payara and in a plain JUnit test.
 *
 * <p>Lifecycle: {@link #open} recovers the directory and returns a running engine; {@link #close} flushes
 * and marks a clean shutdown. The caller drives background duties by calling {@link #flush} (for periodic
 * flush policies), {@link #runRetention} and {@link #runCompaction} on a schedule; the engine starts no
 * threads of its own.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class LogEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogEngine.class.getName());

    /**
     * Most partitions a topic may have. Every partition is a directory with open files, created synchronously by
     * the request that asks for it, so an unbounded count would let one request exhaust the disk and the server.
     */
    public static final int MAX_PARTITIONS_PER_TOPIC = 10_000;

    /** Bytes asked for per read while replaying; a read returns at least one whole batch regardless. */
    private static final int REPLAY_READ_BYTES = 1 << 20;

    private final EngineConfig config;
    private final LogDirectory directory;
    private final DiskSpaceMonitor diskSpace;

    private LogEngine(EngineConfig config, LogDirectory directory) {
        this.config = config;
        this.directory = directory;
        this.diskSpace = new DiskSpaceMonitor(config.dataDir());
    }

    public static LogEngine open(EngineConfig config) {
        return open(config, System::currentTimeMillis);
    }

    /** @param clock wall-clock milliseconds; replaceable so tests can age segments */
    public static LogEngine open(EngineConfig config, LongSupplier clock) {
        long started = System.nanoTime();
        try {
            LogDirectory directory = LogDirectory.open(config, clock);
            LogEngine engine = new LogEngine(config, directory);
            LOG.info(() -> "HEARTH-0100 Log engine open in " + config.dataDir() + ": "
                    + directory.topics().size() + " topic(s), recovered in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            return engine;
        } catch (IOException e) {
            throw new StorageException("Could not open the data directory " + config.dataDir() + ": " + e, e);
        }
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * Creates a topic durably.
     *
     * @param configOverrides Kafka-named topic configs that differ from the engine defaults
     */
    public TopicInfo createTopic(String name, int partitions, Map<String, String> configOverrides) {
        TopicNames.validate(name);
        requireAtMostMaxPartitions(partitions);
        directory.createTopic(name, partitions, configOverrides);
        return describeTopic(name);
    }

    public void deleteTopic(String name) {
        directory.deleteTopic(name);
    }

    public TopicInfo addPartitions(String name, int newTotal) {
        requireAtMostMaxPartitions(newTotal);
        directory.addPartitions(name, newTotal);
        return describeTopic(name);
    }

    /**
     * Throws what {@link #createTopic} or {@link #addPartitions} would throw about partition counts, creating
     * nothing; for validate-only requests.
     *
     * @param topicTotal the topic's partition count after the change
     * @param added      partitions the change adds to the broker
     */
    public void validatePartitionCount(int topicTotal, int added) {
        if (topicTotal < 1) {
            throw new InvalidPartitionsException("A topic needs at least one partition, not " + topicTotal);
        }
        requireAtMostMaxPartitions(topicTotal);
        directory.requireRoomFor(added);
    }

    private static void requireAtMostMaxPartitions(int partitions) {
        if (partitions > MAX_PARTITIONS_PER_TOPIC) {
            throw new InvalidPartitionsException("A topic has at most " + MAX_PARTITIONS_PER_TOPIC
                    + " partitions, not " + partitions);
        }
    }

    /** Applies Kafka-named config changes on top of the topic's current overrides; a null value removes one. */
    public TopicInfo alterConfig(String name, Map<String, String> changes) {
        Map<String, String> overrides = new java.util.TreeMap<>(directory.topic(name).configOverrides());
        changes.forEach((key, value) -> {
            if (value == null) {
                overrides.remove(key);
            } else {
                overrides.put(key, value);
            }
        });
        directory.replaceConfig(name, overrides);
        return describeTopic(name);
    }

    public Map<String, String> configOverrides(String name) {
        return Map.copyOf(directory.topic(name).configOverrides());
    }

    public boolean topicExists(String name) {
        return directory.findTopic(name).isPresent();
    }

    public List<TopicInfo> listTopics() {
        return directory.topics().stream()
                .sorted(Comparator.comparing(Topic::name))
                .map(LogEngine::describe)
                .toList();
    }

    public TopicInfo describeTopic(String name) {
        return describe(directory.topic(name));
    }

    /** The topic's configuration, without describing its partitions (cheap enough for every produce request). */
    public TopicConfig topicConfig(String topic) {
        return directory.topic(topic).config();
    }

    public int partitionCount(String topic) {
        return directory.topic(topic).partitions().size();
    }

    /**
     * Appends Kafka record batches (format v2) to a partition as they are: offsets, and for LogAppendTime
     * topics timestamps, are written into the caller's buffer in place, so it must not be shared.
     */
    public AppendResult append(String topic, int partition, MemoryRecords records) {
        return appendWithoutFlush(topic, partition, records).complete();
    }

    /**
     * As {@link #append}, but durable (per the flush policy) and visible to append listeners only once the
     * result is {@linkplain PendingAppend#complete completed}: a request appending to several partitions writes
     * them all, then completes them, so their fsyncs share the file system's journal commits.
     */
    public PendingAppend appendWithoutFlush(String topic, int partition, MemoryRecords records) {
        try {
            PendingAppend pending = directory.partition(topic, partition).appendWithoutFlush(records);
            diskSpace.onWriteSucceeded();
            return pending;
        } catch (DiskFullException e) {
            diskSpace.onDiskFull(e);
            throw e;
        }
    }

    /** Whole batches from the one holding {@code offset}, about {@code maxBytes} (never less than one batch). */
    public FetchResult read(String topic, int partition, long offset, int maxBytes) {
        return directory.partition(topic, partition).read(offset, maxBytes);
    }

    /** As {@link #read(String, int, long, int)} at the given isolation level. */
    public FetchResult read(String topic, int partition, long offset, int maxBytes, Isolation isolation) {
        return directory.partition(topic, partition).read(offset, maxBytes, isolation);
    }

    /**
     * Ends a producer's transaction in one partition with a COMMIT or ABORT marker.
     *
     * @return the marker's offset
     */
    public long writeTransactionMarker(String topic, int partition, long producerId, short producerEpoch, boolean commit) {
        try {
            long offset = directory.partition(topic, partition).writeTransactionMarker(producerId, producerEpoch, commit);
            diskSpace.onWriteSucceeded();
            return offset;
        } catch (DiskFullException e) {
            diskSpace.onDiskFull(e);
            throw e;
        }
    }

    /**
     * Why appends are being refused although every partition is online (the data directory's file system is
     * full), or empty when they are not. Cleared by the next successful append, or by this call once the file
     * system has room again.
     */
    public java.util.Optional<String> storageProblem() {
        return diskSpace.problem();
    }

    /** Producer id → first offset of every transaction still open in the partition. */
    public Map<Long, Long> openTransactions(String topic, int partition) {
        return directory.partition(topic, partition).openTransactions();
    }

    /** The first offset whose timestamp is at or after {@code timestamp}; empty if every record is older. */
    public OptionalLong offsetForTimestamp(String topic, int partition, long timestamp) {
        return directory.partition(topic, partition).offsetForTimestamp(timestamp);
    }

    /** The first record at or after {@code timestamp}: its offset and timestamp; empty if every record is older. */
    public java.util.Optional<TimestampAndOffset> findByTimestamp(String topic, int partition, long timestamp) {
        return directory.partition(topic, partition).findByTimestamp(timestamp);
    }

    /**
     * Kafka's DeleteRecords for one partition: records before {@code offset} ({@code -1}: the log end) are deleted
     * and the log start offset moves there, durably.
     *
     * @return the partition's log start offset afterwards (Kafka's low watermark)
     * @throws dev.hearth.engine.OffsetOutOfRangeException     {@code offset} lies beyond the log end
     * @throws dev.hearth.engine.RecordDeletionRefusedException the topic is compacted
     */
    public long deleteRecordsBefore(String topic, int partition, long offset) {
        return directory.partition(topic, partition).deleteRecordsBefore(offset);
    }

    /** The record with the largest timestamp in the partition, if any (ListOffsets MAX_TIMESTAMP). */
    public java.util.Optional<TimestampAndOffset> findMaxTimestamp(String topic, int partition) {
        return directory.partition(topic, partition).findMaxTimestamp();
    }

    /** The producers the partition keeps idempotence state for (DescribeProducers). */
    public List<dev.hearth.engine.ActiveProducer> activeProducers(String topic, int partition) {
        return directory.partition(topic, partition).activeProducers();
    }

    /** The data directory's path, its file system's total and usable bytes: DescribeLogDirs. */
    public java.nio.file.Path dataDir() {
        return config.dataDir();
    }

    /** The name of the topic with this Kafka topic id (base64 Uuid), if any. */
    public java.util.Optional<String> topicNameForId(String topicId) {
        return directory.nameForId(topicId);
    }

    /** The topic's id (base64 Kafka Uuid). */
    public String topicId(String topic) {
        return directory.topic(topic).topicId();
    }

    public PartitionInfo describePartition(String topic, int partition) {
        return directory.partition(topic, partition).info();
    }

    /** Registers a callback run after every append, on the appending thread. */
    public void addAppendListener(AppendListener listener) {
        directory.addAppendListener(listener);
    }

    /**
     * Creates a topic for Hearth's own state (one partition, {@code cleanup.policy=compact}, kept forever)
     * unless it exists; a concurrent creation by another component counts as success.
     */
    public void ensureInternalTopic(String name) {
        if (!topicExists(name)) {
            try {
                createTopic(name, 1, Map.of(TopicConfig.CLEANUP_POLICY, CleanupPolicy.COMPACT.configValue(),
                        TopicConfig.RETENTION_MS, "-1"));
            } catch (TopicExistsException e) {
                LOG.fine(() -> "Internal topic " + name + " was created concurrently");
            }
        }
    }

    /**
     * Hands every data record of a partition, from its log start offset to its end at the time of the call,
     * to {@code visitor} in offset order (control batches skipped). For rebuilding state from a topic: a
     * record the visitor cannot apply (it throws) is logged and skipped, so one bad entry of Hearth's internal
     * state never stops the broker from starting.
     *
     * @return the number of records visited
     */
    public long replay(String topic, int partition, java.util.function.Consumer<Record> visitor) {
        PartitionInfo info = describePartition(topic, partition);
        long next = info.logStartOffset();
        long visited = 0;
        while (next < info.logEndOffset()) {
            long before = next;
            for (RecordBatch batch : read(topic, partition, next, REPLAY_READ_BYTES).records().batches()) {
                if (!batch.isControlBatch()) {
                    for (Record record : batch) {
                        if (record.offset() >= next && record.offset() < info.logEndOffset()) {
                            applySkippingBadEntry(topic, partition, record, visitor);
                            visited++;
                        }
                    }
                }
                next = Math.max(next, batch.nextOffset());
            }
            if (next == before) {
                break;
            }
        }
        return visited;
    }

    private static void applySkippingBadEntry(String topic, int partition, Record record,
                                              java.util.function.Consumer<Record> visitor) {
        try {
            visitor.accept(record);
        } catch (RuntimeException e) {
            LOG.warning(() -> "HEARTH-0123 Skipping the record at offset " + record.offset() + " of " + topic + "-"
                    + partition + " while rebuilding state from it: " + e);
        }
    }

    /** Forces unflushed appends of every partition to disk. */
    public void flush() {
        directory.flushAll();
    }

    /** Persists every partition's recovery point, bounding the work of recovery after a crash. */
    public void checkpointRecoveryPoints() {
        directory.writeRecoveryPoints();
    }

    /** The largest producer id whose idempotence state any partition keeps, or -1. */
    public long maxProducerId() {
        return directory.topics().stream().flatMap(topic -> topic.partitions().stream())
                .mapToLong(PartitionLog::maxProducerId).max().orElse(-1);
    }

    /** Partitions taken offline by storage failures, as {@code topic-partition}. */
    public List<String> offlinePartitions() {
        return directory.topics().stream()
                .flatMap(topic -> topic.partitions().stream())
                .filter(log -> log.state() != PartitionState.ONLINE)
                .map(log -> log.topic() + "-" + log.partition())
                .toList();
    }

    /** Produce, fetch and flush counters of every topic; cheap enough to call on each metrics scrape. */
    public EngineStats stats() {
        List<EngineStats.TopicStats> topics = new java.util.ArrayList<>();
        long flushCount = 0;
        long flushTimeNanos = 0;
        for (Topic topic : directory.topics().stream().sorted(Comparator.comparing(Topic::name)).toList()) {
            List<PartitionStats> partitions = topic.partitions().stream().map(PartitionLog::stats).toList();
            long producedRecords = 0;
            long producedBytes = 0;
            long fetchedBytes = 0;
            for (PartitionStats partition : partitions) {
                producedRecords += partition.producedRecords();
                producedBytes += partition.producedBytes();
                fetchedBytes += partition.fetchedBytes();
                flushCount += partition.flushCount();
                flushTimeNanos += partition.flushTimeNanos();
            }
            topics.add(new EngineStats.TopicStats(topic.name(), producedRecords, producedBytes, fetchedBytes, partitions));
        }
        return new EngineStats(topics, flushCount, flushTimeNanos);
    }

    /** Applies retention to every partition; returns the number of segments deleted. */
    public int runRetention() {
        return directory.runRetention();
    }

    /**
     * One compaction pass: every partition with {@code cleanup.policy=compact} whose dirty ratio exceeds its
     * {@code min.cleanable.dirty.ratio} (or whose cleaned tombstones have expired) has its closed segments
     * compacted. Callers schedule it every {@link EngineConfig#compactionIntervalMs}.
     *
     * @return the number of partitions rewritten
     */
    public int runCompaction() {
        return directory.runCompaction();
    }

    /** The log cleaner's work in one partition since it was opened. */
    public CleanerStats cleanerStats(String topic, int partition) {
        return directory.partition(topic, partition).cleanerStats();
    }

    @Override
    public void close() {
        directory.close();
        LOG.info(() -> "HEARTH-0109 Log engine closed cleanly: " + config.dataDir());
    }

    private static TopicInfo describe(Topic topic) {
        return new TopicInfo(topic.name(), topic.topicId(), topic.config(),
                topic.partitions().stream().map(PartitionLog::info).toList());
    }
}
