package dev.hearth.group;

import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import dev.hearth.engine.CleanupPolicy;
import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.log.LogEngine;

/**
 * The durable side of committed offsets: the internal topic {@value #NAME} in the log engine, written in
 * {@link OffsetCommitRecord}'s format (Kafka's) and read back whole when a coordinator starts.
 *
 * <p>Layout: a group's records all go to partition {@code (groupId.hashCode() & 0x7fffffff) % partitions}
 * (Kafka's mapping), so one partition holds a group's history in commit order and, on replay, the last record
 * of a key wins. A topic created here has one partition; adding partitions later would move groups and is
 * not supported.
 *
 * <p>Size: the topic is created with {@code cleanup.policy=compact} and {@code retention.ms=-1}. The engine
 * does not compact yet, so every commit stays on disk and a coordinator's start-up replays all of them; the
 * topic grows by one small batch per commit until compaction exists.
 *
 * <p>Durability: an append returns once the engine's flush policy says the batch is durable (with the
 * default policy, after an fsync); a crash mid-append loses at most that batch, which engine recovery
 * truncates away.
 *
 * <p>Thread-safety: any thread may call any method. The engine orders appends to a partition; callers that
 * need one group's appends in a given order (so that replay agrees with memory) serialize them themselves.
 */
final class OffsetsTopic {

    static final String NAME = "__consumer_offsets";

    private static final Logger LOG = Logger.getLogger(OffsetsTopic.class.getName());

    private final LogEngine engine;
    /** Fixed when opened: groups are mapped to partitions by this count. */
    private final int partitionCount;

    private OffsetsTopic(LogEngine engine, int partitionCount) {
        this.engine = engine;
        this.partitionCount = partitionCount;
    }

    /** Opens the topic, creating it (one partition, compacted, kept forever) when it does not exist. */
    static OffsetsTopic openOrCreate(LogEngine engine) {
        engine.ensureInternalTopic(NAME);
        TopicConfig config = engine.describeTopic(NAME).config();
        if (config.cleanupPolicy() == CleanupPolicy.DELETE && config.retentionMs() >= 0) {
            LOG.warning(() -> "HEARTH-0503 The offsets topic " + NAME + " has cleanup.policy=delete and retention.ms="
                    + config.retentionMs() + ": committed offsets older than that will be lost; set retention.ms=-1");
        }
        return new OffsetsTopic(engine, engine.partitionCount(NAME));
    }

    int partitionFor(String groupId) {
        return (groupId.hashCode() & 0x7fffffff) % partitionCount;
    }

    /**
     * Appends the records, all of one group, as one batch.
     *
     * @throws dev.hearth.engine.HearthException the engine could not append (storage failure, batch too large)
     */
    void append(String groupId, List<OffsetCommitRecord> records, long timestampMs) {
        SimpleRecord[] batch = new SimpleRecord[records.size()];
        for (int i = 0; i < batch.length; i++) {
            OffsetCommitRecord record = records.get(i);
            if (!record.groupId().equals(groupId)) {
                throw new IllegalArgumentException("record of group " + record.groupId() + " in a batch of " + groupId);
            }
            batch[i] = record.toSimpleRecord(timestampMs);
        }
        engine.append(NAME, partitionFor(groupId), MemoryRecords.withRecords(Compression.NONE, batch));
    }

    /**
     * Reads every partition from its log start offset to its current end and hands each offset record to
     * {@code sink} in log order. Records that are not offset commits, or are malformed (the topic is written
     * only by the coordinator, but a Kafka client could produce to it), are skipped with one warning.
     *
     * @return the number of records handed to {@code sink}
     */
    long replay(Consumer<OffsetCommitRecord> sink) {
        long[] replayed = {0};
        long[] skipped = {0};
        String[] firstSkipped = {null};
        for (int partition = 0; partition < partitionCount; partition++) {
            int current = partition;
            engine.replay(NAME, partition, record -> {
                OffsetCommitRecord parsed;
                try {
                    parsed = OffsetCommitRecord.parse(record);
                } catch (IllegalArgumentException e) {
                    parsed = null;
                    if (firstSkipped[0] == null) {
                        firstSkipped[0] = NAME + "-" + current + "@" + record.offset() + ": " + e.getMessage();
                    }
                }
                if (parsed == null) {
                    skipped[0]++;
                } else {
                    sink.accept(parsed);
                    replayed[0]++;
                }
            });
        }
        if (skipped[0] > 0) {
            long count = skipped[0];
            String first = firstSkipped[0];
            LOG.warning(() -> "HEARTH-0502 Skipped " + count + " record(s) of " + NAME + " that are not offset commits"
                    + (first == null ? "" : "; first malformed one at " + first));
        }
        return replayed[0];
    }
}
