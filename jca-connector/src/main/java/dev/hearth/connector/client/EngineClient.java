package dev.hearth.connector.client;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;

import dev.hearth.connector.api.BrokerStats;
import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.engine.AbortedTransaction;
import dev.hearth.engine.AppendResult;
import dev.hearth.engine.EngineStats;
import dev.hearth.engine.Isolation;
import dev.hearth.engine.FetchResult;
import dev.hearth.engine.HearthException;
import dev.hearth.engine.InvalidConfigException;
import dev.hearth.engine.InvalidPartitionsException;
import dev.hearth.engine.InvalidRecordException;
import dev.hearth.engine.InvalidTopicException;
import dev.hearth.engine.KeyPartitioner;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.engine.log.TopicAutoCreation;
import dev.hearth.engine.OffsetOutOfRangeException;
import dev.hearth.engine.PartitionInfo;
import dev.hearth.engine.PartitionStats;
import dev.hearth.engine.PartitionState;
import dev.hearth.engine.RecordTooLargeException;
import dev.hearth.engine.DiskFullException;
import dev.hearth.engine.StorageException;
import dev.hearth.engine.TopicExistsException;
import dev.hearth.engine.TopicInfo;
import dev.hearth.engine.UnknownTopicOrPartitionException;
import dev.hearth.group.CommittedOffset;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.group.GroupDescription;
import dev.hearth.group.GroupError;
import dev.hearth.group.GroupOverview;
import dev.hearth.group.GroupState;
import dev.hearth.group.TopicPartitionKey;
import dev.hearth.kafka.KafkaListenerConfig;

/**
 * {@link LogClient} over the embedded engine: partition choice, record batch building and decoding, and the one
 * place where engine exceptions become {@link HearthConnectionException}s.
 * Thread-safe; one instance per running engine, shared by every connection handle.
 */
public final class EngineClient implements LogClient {

    /** What Kafka's consumers put in a group's protocol type; only their assignments can be decoded. */
    private static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final LogEngine engine;
    private final GroupCoordinator groups;
    /** {@code hearth.cluster.id}, resolved by the adapter. */
    private final String clusterId;
    /** Advertised host of the Kafka listener, or null when it is off. */
    private final String kafkaHost;
    /** Bound port of the Kafka listener, or -1 when it is off. */
    private final int kafkaPort;
    /** Whether a send to a topic that does not exist creates it, as Kafka's producers get with its default. */
    private final TopicAutoCreation autoCreation;
    /** Round-robin cursor for records without key or partition. */
    private final AtomicInteger nextPartition = new AtomicInteger();

    public EngineClient(LogEngine engine, GroupCoordinator groups, String clusterId, String kafkaHost, int kafkaPort,
                     TopicAutoCreation autoCreation) {
        this.engine = engine;
        this.autoCreation = autoCreation;
        this.groups = groups;
        this.clusterId = clusterId;
        this.kafkaHost = kafkaHost;
        this.kafkaPort = kafkaPort;
    }

    @Override
    public List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records) {
        return sendBatch(topic, records, null);
    }

    /**
     * As {@link #sendBatch(String, List)}; with a {@code transaction}, the records are appended as part of it
     * and become visible to read-committed readers only when it commits.
     */
    @Override
    public List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records, TransactionalProducer transaction) {
        LogClient.requireApplicationTopic(topic);
        return translated(() -> {
            autoCreation.maybeCreate(engine, topic, "an application's send");
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
    @Override
    public List<HearthRecord> read(String topic, int partition, long offset, int maxRecords, int maxBytes) {
        return readBatch(topic, partition, offset, maxRecords, maxBytes).records();
    }

    /**
     * As {@link #read}, with the offset to read from next. It can be ahead of the last record returned, and
     * ahead of {@code offset} with no record returned at all: transaction markers, aborted transactions and
     * batches emptied by compaction are stepped over, so a reader never stalls on a fetch's worth of them.
     */
    @Override
    public ReadBatch readBatch(String topic, int partition, long offset, int maxRecords, int maxBytes) {
        return translated(() -> {
            FetchResult fetched = engine.read(topic, partition, offset, maxBytes, Isolation.READ_COMMITTED);
            List<HearthRecord> result = new ArrayList<>();
            long nextOffset = offset;
            for (RecordBatch batch : fetched.records().batches()) {
                if (!batch.isControlBatch() && !isAborted(batch, fetched.abortedTransactions())) {
                    for (Record record : batch) {
                        if (record.offset() < offset) {
                            continue;
                        }
                        if (result.size() == maxRecords) {
                            return new ReadBatch(result, record.offset());
                        }
                        result.add(toHearthRecord(topic, partition, record));
                    }
                }
                nextOffset = Math.max(nextOffset, batch.nextOffset());
            }
            return new ReadBatch(result, nextOffset);
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

    @Override
    public OptionalLong offsetForTimestamp(String topic, int partition, long timestamp) {
        return translated(() -> engine.offsetForTimestamp(topic, partition, timestamp));
    }

    @Override
    public TopicDescription createTopic(String topic, int partitions, Map<String, String> configs) {
        return translated(() -> describe(engine.createTopic(topic, partitions, configs)));
    }

    @Override
    public TopicDescription describeTopic(String topic) {
        return translated(() -> describe(engine.describeTopic(topic)));
    }

    @Override
    public List<TopicDescription> listTopics() {
        return translated(() -> engine.listTopics().stream().map(EngineClient::describe).toList());
    }

    @Override
    public List<String> topicNames() {
        return translated(() -> engine.listTopics().stream().map(TopicInfo::name).toList());
    }

    @Override
    public TopicDescription alterTopicConfigs(String topic, Map<String, String> changes) {
        return translated(() -> describe(engine.alterConfig(topic, changes)));
    }

    @Override
    public TopicDescription addPartitions(String topic, int totalPartitions) {
        return translated(() -> describe(engine.addPartitions(topic, totalPartitions)));
    }

    @Override
    public void deleteTopic(String topic) {
        translated(() -> {
            engine.deleteTopic(topic);
            return null;
        });
    }

    // ---- consumer groups ---------------------------------------------------------------------------------

    /** Every group with its member count and total lag; a group removed while listing is left out. */
    @Override
    public List<GroupSummary> listGroups() {
        return translated(() -> {
            Map<String, TopicInfo> topics = new HashMap<>();
            List<GroupSummary> summaries = new ArrayList<>();
            for (GroupOverview overview : groups.listGroups()) {
                GroupDescription description = groups.describe(overview.groupId());
                if (description.state() == GroupState.DEAD) {
                    continue;
                }
                long totalLag = 0;
                for (GroupDetails.PartitionLag lag : lags(overview.groupId(), topics)) {
                    totalLag += lag.lag();
                }
                summaries.add(new GroupSummary(overview.groupId(), description.state().displayName(),
                        description.protocolType(), description.members().size(), totalLag));
            }
            return summaries;
        });
    }

    @Override
    public GroupDetails describeGroup(String groupId) {
        return translated(() -> {
            GroupDescription description = groups.describe(LogClient.requireGroupId(groupId));
            if (description.state() == GroupState.DEAD) {
                throw LogClient.groupNotFound(groupId);
            }
            boolean decodable = CONSUMER_PROTOCOL_TYPE.equals(description.protocolType());
            List<GroupDetails.Member> members = new ArrayList<>();
            for (GroupDescription.MemberDescription member : description.members()) {
                members.add(new GroupDetails.Member(member.memberId(), member.groupInstanceId(), member.clientId(),
                        member.clientHost(), decodable ? assignedPartitions(member.assignment()) : List.of()));
            }
            List<GroupDetails.PartitionLag> offsets = lags(groupId, new HashMap<>());
            long totalLag = offsets.stream().mapToLong(GroupDetails.PartitionLag::lag).sum();
            return new GroupDetails(groupId, description.state().displayName(), description.protocolType(),
                    description.protocolName(), members, offsets, totalLag);
        });
    }

    @Override
    public void resetGroupOffsets(String groupId, Map<TopicPartitionRef, Long> offsets) {
        Map<TopicPartitionKey, Long> keyed = new HashMap<>();
        offsets.forEach((partition, offset) -> keyed.put(new TopicPartitionKey(partition.topic(), partition.partition()),
                offset));
        LogClient.requireGroupId(groupId);
        if (keyed.isEmpty() && !groups.describe(groupId).members().isEmpty()) {
            // The coordinator accepts an empty reset of any group; an active one is refused all the same.
            throw groupFailure(groupId, GroupError.NON_EMPTY_GROUP, "reset the offsets of");
        }
        GroupError error = groups.resetOffsets(groupId, keyed);
        if (error != GroupError.NONE) {
            throw groupFailure(groupId, error, "reset the offsets of");
        }
    }

    @Override
    public void deleteGroup(String groupId) {
        GroupError error = groups.deleteGroups(List.of(LogClient.requireGroupId(groupId))).get(groupId);
        if (error != GroupError.NONE) {
            throw groupFailure(groupId, error, "delete");
        }
    }

    /** The group's committed offsets with the partitions' log end offsets; {@code topics} caches descriptions. */
    private List<GroupDetails.PartitionLag> lags(String groupId, Map<String, TopicInfo> topics) {
        Map<TopicPartitionKey, CommittedOffset> committed = groups.fetchOffsets(groupId, null);
        List<GroupDetails.PartitionLag> lags = new ArrayList<>(committed.size());
        committed.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            TopicPartitionKey partition = entry.getKey();
            long offset = entry.getValue().offset();
            long logEndOffset = logEndOffset(partition, topics);
            long lag = logEndOffset < 0 ? 0 : Math.max(0, logEndOffset - offset);
            lags.add(new GroupDetails.PartitionLag(partition.topic(), partition.partition(), offset, logEndOffset, lag));
        });
        return lags;
    }

    /** -1 when the topic or the partition does not exist (any more): Kafka stores offsets for any name. */
    private long logEndOffset(TopicPartitionKey partition, Map<String, TopicInfo> topics) {
        TopicInfo topic = topics.get(partition.topic());
        if (topic == null && !topics.containsKey(partition.topic())) {
            try {
                topic = engine.describeTopic(partition.topic());
            } catch (UnknownTopicOrPartitionException e) {
                topic = null;
            }
            topics.put(partition.topic(), topic);
        }
        if (topic == null) {
            return -1;
        }
        for (PartitionInfo info : topic.partitions()) {
            if (info.partition() == partition.partition()) {
                return info.logEndOffset();
            }
        }
        return -1;
    }

    /** A consumer's assignment in Kafka's ConsumerProtocol encoding; empty when absent or undecodable. */
    private static List<TopicPartitionRef> assignedPartitions(byte[] assignment) {
        if (assignment == null || assignment.length == 0) {
            return List.of();
        }
        try {
            List<TopicPartitionRef> partitions = new ArrayList<>();
            for (TopicPartition partition : ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions()) {
                partitions.add(new TopicPartitionRef(partition.topic(), partition.partition()));
            }
            partitions.sort(null);
            return partitions;
        } catch (KafkaException | BufferUnderflowException e) {
            // A client that calls itself "consumer" but encodes something else: show no assignment, not an error.
            return List.of();
        }
    }

    private static HearthConnectionException groupFailure(String groupId, GroupError error, String action) {
        return switch (error) {
            case NON_EMPTY_GROUP -> new HearthConnectionException(HearthError.GROUP_NOT_EMPTY, "Cannot " + action
                    + " group '" + groupId + "' while it has members; stop its consumers first", Map.of("group", groupId));
            case GROUP_ID_NOT_FOUND, INVALID_GROUP_ID -> LogClient.groupNotFound(groupId);
            case COORDINATOR_NOT_AVAILABLE -> new HearthConnectionException(HearthError.NOT_AVAILABLE,
                    "The group coordinator is not available; could not " + action + " group '" + groupId + "'",
                    Map.of("group", groupId));
            default -> new HearthConnectionException(HearthError.STORAGE_ERROR, "Could not " + action + " group '"
                    + groupId + "': " + error, Map.of("group", groupId));
        };
    }

    // ---- cluster -----------------------------------------------------------------------------------------

    /** @param status the engine's state, which the adapter tracks */
    @Override
    public ClusterInfo clusterInfo(BrokerStatus status) {
        return translated(() -> {
            List<TopicInfo> topics = engine.listTopics();
            int partitions = topics.stream().mapToInt(topic -> topic.partitions().size()).sum();
            return new ClusterInfo(clusterId, KafkaListenerConfig.NODE_ID, kafkaHost, kafkaPort,
                    status, topics.size(), partitions);
        });
    }

    @Override
    public BrokerStats brokerStats() {
        return translated(() -> {
            EngineStats stats = engine.stats();
            List<BrokerStats.TopicStats> topics = new ArrayList<>(stats.topics().size());
            for (EngineStats.TopicStats topic : stats.topics()) {
                List<BrokerStats.PartitionSize> sizes = new ArrayList<>(topic.partitions().size());
                for (PartitionStats partition : topic.partitions()) {
                    sizes.add(new BrokerStats.PartitionSize(partition.partition(), partition.sizeInBytes()));
                }
                topics.add(new BrokerStats.TopicStats(topic.topic(), topic.producedRecords(), topic.producedBytes(),
                        topic.fetchedBytes(), sizes));
            }
            return new BrokerStats(topics, stats.flushCount(), stats.flushTimeNanos());
        });
    }

    private static TopicDescription describe(TopicInfo info) {
        return new TopicDescription(info.name(), info.topicId(), info.config().toMap(),
                info.partitions().stream().map(EngineClient::describe).toList());
    }

    private static PartitionDescription describe(PartitionInfo info) {
        return new PartitionDescription(info.partition(), info.state() == PartitionState.ONLINE,
                info.logStartOffset(), info.logEndOffset(), info.highWatermark(), info.sizeInBytes(),
                info.segmentCount());
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
        } else if (e instanceof DiskFullException) {
            return HearthError.DISK_FULL;
        } else if (e instanceof StorageException) {
            return HearthError.STORAGE_ERROR;
        }
        return HearthError.NOT_AVAILABLE;
    }
}
