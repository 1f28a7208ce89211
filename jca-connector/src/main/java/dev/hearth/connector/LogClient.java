package dev.hearth.connector;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.engine.AbortedTransaction;
import dev.hearth.engine.AppendResult;
import dev.hearth.engine.Isolation;
import dev.hearth.engine.FetchResult;
import dev.hearth.engine.HearthException;
import dev.hearth.engine.InvalidConfigException;
import dev.hearth.engine.InvalidPartitionsException;
import dev.hearth.engine.InvalidRecordException;
import dev.hearth.engine.InvalidTopicException;
import dev.hearth.engine.KeyPartitioner;
import dev.hearth.engine.LogEngine;
import dev.hearth.engine.OffsetOutOfRangeException;
import dev.hearth.engine.PartitionInfo;
import dev.hearth.engine.PartitionState;
import dev.hearth.engine.RecordTooLargeException;
import dev.hearth.engine.StorageException;
import dev.hearth.engine.TopicExistsException;
import dev.hearth.engine.TopicInfo;
import dev.hearth.engine.UnknownTopicOrPartitionException;

/**
 * The connection API's operations over the running engine: partition choice, record batch building and
 * decoding, and the one place where engine exceptions become {@link HearthConnectionException}s.
 * Thread-safe; one instance per running engine, shared by every connection handle.
 */
public final class LogClient {

    private final LogEngine engine;
    /** Round-robin cursor for records without key or partition. */
    private final AtomicInteger nextPartition = new AtomicInteger();

    LogClient(LogEngine engine) {
        this.engine = engine;
    }

    public List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records) {
        return sendBatch(topic, records, null);
    }

    /**
     * As {@link #sendBatch(String, List)}; with a {@code transaction}, the records are appended as part of it
     * and become visible to read-committed readers only when it commits.
     */
    public List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records, TransactionalProducer transaction) {
        if (topic != null && topic.startsWith("__")) {
            throw new HearthConnectionException(HearthError.INVALID_TOPIC,
                    "Applications cannot write to the internal topic " + topic, Map.of("topic", topic));
        }
        return translated(() -> {
            int partitions = engine.partitionCount(topic);
            int[] assigned = new int[records.size()];
            Map<Integer, List<Integer>> indexesByPartition = new LinkedHashMap<>();
            for (int i = 0; i < records.size(); i++) {
                assigned[i] = choosePartition(records.get(i), partitions);
                indexesByPartition.computeIfAbsent(assigned[i], p -> new ArrayList<>()).add(i);
            }
            ProduceReceipt[] receipts = new ProduceReceipt[records.size()];
            long now = System.currentTimeMillis();
            for (Map.Entry<Integer, List<Integer>> entry : indexesByPartition.entrySet()) {
                List<Integer> indexes = entry.getValue();
                int partition = entry.getKey();
                if (transaction != null) {
                    transaction.beforeFirstWrite(topic, partition);
                }
                MemoryRecords batch = buildBatch(records, indexes, now, transaction == null ? null
                        : new long[] {transaction.producerId(), transaction.producerEpoch(),
                                transaction.nextSequence(topic, partition, indexes.size())});
                AppendResult result = engine.append(topic, entry.getKey(), batch);
                for (int i = 0; i < indexes.size(); i++) {
                    OutgoingRecord record = records.get(indexes.get(i));
                    long timestamp = result.logAppendTime() >= 0 ? result.logAppendTime()
                            : record.timestamp() != null ? record.timestamp() : now;
                    receipts[indexes.get(i)] = new ProduceReceipt(topic, entry.getKey(), result.baseOffset() + i, timestamp);
                }
            }
            return List.of(receipts);
        });
    }

    private int choosePartition(OutgoingRecord record, int partitions) {
        if (record.partition() != null) {
            if (record.partition() < 0 || record.partition() >= partitions) {
                throw new UnknownTopicOrPartitionException("Partition " + record.partition()
                        + " does not exist; the topic has " + partitions);
            }
            return record.partition();
        }
        if (record.key() != null) {
            return KeyPartitioner.partitionForKey(record.key(), partitions);
        }
        return Math.floorMod(nextPartition.getAndIncrement(), partitions);
    }

    /** @param producer null, or {producerId, epoch, baseSequence} of a transaction */
    private static MemoryRecords buildBatch(List<OutgoingRecord> records, List<Integer> indexes, long now, long[] producer) {
        int estimate = org.apache.kafka.common.record.internal.DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
        for (int index : indexes) {
            OutgoingRecord record = records.get(index);
            estimate += 32 + length(record.key()) + length(record.value());
            for (Map.Entry<String, byte[]> header : record.headers().entrySet()) {
                estimate += 16 + header.getKey().length() * 3 + length(header.getValue());
            }
        }
        MemoryRecordsBuilder builder = producer == null
                ? MemoryRecords.builder(ByteBuffer.allocate(estimate), Compression.NONE, TimestampType.CREATE_TIME, 0L)
                : MemoryRecords.builder(ByteBuffer.allocate(estimate), RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE,
                        TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producer[0], (short) producer[1],
                        (int) producer[2], true, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int index : indexes) {
            OutgoingRecord record = records.get(index);
            Header[] headers = record.headers().entrySet().stream()
                    .map(h -> new RecordHeader(h.getKey(), h.getValue()))
                    .toArray(Header[]::new);
            builder.append(record.timestamp() != null ? record.timestamp() : now, record.key(), record.value(), headers);
        }
        return builder.build();
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /** Committed records only: records of open transactions are not yet visible, those of aborted ones never. */
    public List<HearthRecord> read(String topic, int partition, long offset, int maxRecords, int maxBytes) {
        return translated(() -> {
            FetchResult fetched = engine.read(topic, partition, offset, maxBytes, Isolation.READ_COMMITTED);
            List<HearthRecord> result = new ArrayList<>();
            Records records = fetched.records();
            for (RecordBatch batch : records.batches()) {
                if (batch.isControlBatch() || isAborted(batch, fetched.abortedTransactions())) {
                    continue;
                }
                for (Record record : batch) {
                    if (record.offset() < offset) {
                        continue;
                    }
                    if (result.size() == maxRecords) {
                        return result;
                    }
                    result.add(toHearthRecord(topic, partition, record));
                }
            }
            return result;
        });
    }

    private static boolean isAborted(RecordBatch batch, List<AbortedTransaction> aborted) {
        if (!batch.isTransactional()) {
            return false;
        }
        for (AbortedTransaction transaction : aborted) {
            if (transaction.producerId() == batch.producerId() && batch.baseOffset() >= transaction.firstOffset()
                    && batch.baseOffset() < transaction.lastOffset()) {
                return true;
            }
        }
        return false;
    }

    private static HearthRecord toHearthRecord(String topic, int partition, Record record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value());
        }
        return new HearthRecord(topic, partition, record.offset(), record.timestamp(), bytes(record.key()),
                bytes(record.value()), headers);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    public OptionalLong offsetForTimestamp(String topic, int partition, long timestamp) {
        return translated(() -> engine.offsetForTimestamp(topic, partition, timestamp));
    }

    public TopicDescription createTopic(String topic, int partitions, Map<String, String> configs) {
        return translated(() -> describe(engine.createTopic(topic, partitions, configs)));
    }

    public TopicDescription describeTopic(String topic) {
        return translated(() -> describe(engine.describeTopic(topic)));
    }

    public List<TopicDescription> listTopics() {
        return translated(() -> engine.listTopics().stream().map(LogClient::describe).toList());
    }

    public TopicDescription alterTopicConfigs(String topic, Map<String, String> changes) {
        return translated(() -> describe(engine.alterConfig(topic, changes)));
    }

    public TopicDescription addPartitions(String topic, int totalPartitions) {
        return translated(() -> describe(engine.addPartitions(topic, totalPartitions)));
    }

    public void deleteTopic(String topic) {
        translated(() -> {
            engine.deleteTopic(topic);
            return null;
        });
    }

    private static TopicDescription describe(TopicInfo info) {
        return new TopicDescription(info.name(), info.topicId(), info.config().toMap(),
                info.partitions().stream().map(LogClient::describe).toList());
    }

    private static PartitionDescription describe(PartitionInfo info) {
        return new PartitionDescription(info.partition(), info.state() == PartitionState.ONLINE,
                info.logStartOffset(), info.logEndOffset(), info.highWatermark(), info.sizeInBytes(),
                info.segmentCount());
    }

    static HearthConnectionException notAvailable(String message) {
        return new HearthConnectionException(HearthError.NOT_AVAILABLE, message, Map.of());
    }

    /** Runs an engine call, turning its exceptions into the API's, once, here. */
    private static <T> T translated(Supplier<T> call) {
        try {
            return call.get();
        } catch (OffsetOutOfRangeException e) {
            throw new HearthConnectionException(HearthError.OFFSET_OUT_OF_RANGE, e.getMessage(), Map.of(
                    "requestedOffset", e.requestedOffset(), "logStartOffset", e.logStartOffset(),
                    "logEndOffset", e.logEndOffset()));
        } catch (HearthException e) {
            throw new HearthConnectionException(errorOf(e), e.getMessage(), Map.of());
        }
    }

    private static HearthError errorOf(HearthException e) {
        if (e instanceof InvalidTopicException) {
            return HearthError.INVALID_TOPIC;
        } else if (e instanceof TopicExistsException) {
            return HearthError.TOPIC_ALREADY_EXISTS;
        } else if (e instanceof UnknownTopicOrPartitionException) {
            return HearthError.UNKNOWN_TOPIC_OR_PARTITION;
        } else if (e instanceof InvalidPartitionsException) {
            return HearthError.INVALID_PARTITIONS;
        } else if (e instanceof InvalidConfigException) {
            return HearthError.INVALID_CONFIG;
        } else if (e instanceof RecordTooLargeException) {
            return HearthError.RECORD_TOO_LARGE;
        } else if (e instanceof InvalidRecordException) {
            return HearthError.INVALID_RECORD;
        } else if (e instanceof StorageException) {
            return HearthError.STORAGE_ERROR;
        }
        return HearthError.NOT_AVAILABLE;
    }
}
