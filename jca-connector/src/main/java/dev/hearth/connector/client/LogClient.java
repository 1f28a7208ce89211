package dev.hearth.connector.client;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import dev.hearth.connector.api.BrokerStats;
import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.connector.api.TopicPartitionRef;

/**
 * The log operations behind the connection API, the HTTP API and message delivery, whatever the backend:
 * {@link EngineClient} on the embedded engine ({@code hearth.backend=embedded}), {@code ClusterClient} on a Kafka
 * cluster ({@code hearth.backend=kafka}). Applications never see this interface; they compile against
 * {@code dev.hearth.connector.api}, which does not change with the backend.
 *
 * <p>Errors: every failure is a {@link HearthConnectionException} with the {@link HearthError} a caller can act on
 * (NOT_AVAILABLE while the backend cannot be reached); implementations translate their own exceptions once.
 *
 * <p>Thread-safety: implementations are safe to call from any thread; one instance per running backend.
 */
public interface LogClient {

    /** Sends the records (outside any transaction); a topic that does not exist is created if auto-creation is on. */
    List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records);

    /**
     * As {@link #sendBatch(String, List)}; with a {@code transaction} (the embedded engine's XA branch of the
     * caller's JTA transaction), the records are appended as part of it and become visible to read-committed readers
     * only when it commits. A null transaction is a plain send.
     */
    List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records, TransactionalProducer transaction);

    /** Committed records only: records of open transactions are not yet visible, those of aborted ones never. */
    List<HearthRecord> read(String topic, int partition, long offset, int maxRecords, int maxBytes);

    /**
     * As {@link #read}, with the offset to read from next. It can be ahead of the last record returned, and
     * ahead of {@code offset} with no record returned at all: transaction markers, aborted transactions and
     * batches emptied by compaction are stepped over, so a reader never stalls on a fetch's worth of them.
     */
    ReadBatch readBatch(String topic, int partition, long offset, int maxRecords, int maxBytes);

    OptionalLong offsetForTimestamp(String topic, int partition, long timestamp);

    TopicDescription createTopic(String topic, int partitions, Map<String, String> configs);

    TopicDescription describeTopic(String topic);

    List<TopicDescription> listTopics();

    /** The names of the topics that exist now, internal ones included; cheaper than {@link #listTopics}. */
    List<String> topicNames();

    TopicDescription alterTopicConfigs(String topic, Map<String, String> changes);

    TopicDescription addPartitions(String topic, int totalPartitions);

    void deleteTopic(String topic);

    /** Every group with its member count and total lag; a group removed while listing is left out. */
    List<GroupSummary> listGroups();

    GroupDetails describeGroup(String groupId);

    /** Sets committed offsets of a group that has no active members (Kafka's rule for offset resets). */
    void resetGroupOffsets(String groupId, Map<TopicPartitionRef, Long> offsets);

    void deleteGroup(String groupId);

    ClusterInfo clusterInfo(BrokerStatus status);

    BrokerStats brokerStats();

    /**
     * Records read from a partition and where the next read starts.
     *
     * @param nextOffset offset after the last record or skipped batch; equal to the requested offset at the log end
     */
    record ReadBatch(List<HearthRecord> records, long nextOffset) {
    }

    static HearthConnectionException notAvailable(String message) {
        return new HearthConnectionException(HearthError.NOT_AVAILABLE, message, Map.of());
    }

    /** Refuses an application's write to an internal topic (a name starting with {@code __}), on any backend. */
    static void requireApplicationTopic(String topic) {
        if (topic != null && topic.startsWith("__")) {
            throw new HearthConnectionException(HearthError.INVALID_TOPIC,
                    "Applications cannot write to the internal topic " + topic, Map.of("topic", topic));
        }
    }

    /** The group id if it is not blank; GROUP_NOT_FOUND otherwise. */
    static String requireGroupId(String groupId) {
        if (groupId == null || groupId.isBlank()) {
            throw new HearthConnectionException(HearthError.GROUP_NOT_FOUND, "A group id must not be blank",
                    Map.of("group", String.valueOf(groupId)));
        }
        return groupId;
    }

    static HearthConnectionException groupNotFound(String groupId) {
        return new HearthConnectionException(HearthError.GROUP_NOT_FOUND, "Group '" + groupId + "' does not exist",
                Map.of("group", groupId));
    }
}
