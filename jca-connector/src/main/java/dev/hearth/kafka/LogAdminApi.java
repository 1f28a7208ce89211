package dev.hearth.kafka;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.ElectLeadersRequest;
import org.apache.kafka.common.requests.ElectLeadersResponse;

import dev.hearth.engine.ActiveProducer;
import dev.hearth.engine.PartitionInfo;
import dev.hearth.engine.TopicInfo;
import dev.hearth.engine.log.LogEngine;

/**
 * The log-level admin APIs: DeleteRecords ({@code kafka-delete-records}), DescribeLogDirs
 * ({@code kafka-log-dirs}), DescribeProducers ({@code kafka-transactions describe-producers / find-hanging}) and
 * ElectLeaders ({@code kafka-leader-election}). Hearth has one log directory, its data directory, which holds every
 * partition with no replica lag, and is the one replica and so the leader of every partition.
 *
 * <p>Authorization is Kafka's: DeleteRecords DELETE on each topic, DescribeLogDirs DESCRIBE on the cluster
 * (refused: CLUSTER_AUTHORIZATION_FAILED and no directory), DescribeProducers READ on each topic; refused topics
 * are TOPIC_AUTHORIZATION_FAILED, decided before their existence is looked up; ElectLeaders ALTER on the cluster
 * (refused: CLUSTER_AUTHORIZATION_FAILED for every partition). Records deleted are recorded in
 * {@link KafkaAuditTopic} ({@code DELETE_RECORDS}) before the answer.
 *
 * <p>Thread-safe: holds no state.
 */
final class LogAdminApi {

    private final LogEngine engine;
    private final KafkaAuditTopic audit;

    LogAdminApi(LogEngine engine, KafkaAuditTopic audit) {
        this.engine = engine;
        this.audit = audit;
    }

    AbstractResponse deleteRecords(RequestAuthorizer.Caller caller, AbstractRequest request) {
        DeleteRecordsRequestData requested = ((DeleteRecordsRequest) request).data();
        DeleteRecordsResponseData data = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : requested.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult =
                    new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(topic.name());
            boolean allowed = caller.mayOnTopic(AclOperation.DELETE, topic.name());
            StringBuilder detail = new StringBuilder();
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult result =
                        new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                .setPartitionIndex(partition.partitionIndex()).setLowWatermark(-1);
                if (!allowed) {
                    result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else {
                    try {
                        long before = engine.describePartition(topic.name(), partition.partitionIndex()).logStartOffset();
                        long lowWatermark = engine.deleteRecordsBefore(topic.name(), partition.partitionIndex(),
                                partition.offset());
                        result.setLowWatermark(lowWatermark);
                        if (lowWatermark > before) {
                            detail.append(detail.length() == 0 ? "" : ", ").append("partition ")
                                    .append(partition.partitionIndex()).append(": log start offset ").append(before)
                                    .append(" -> ").append(lowWatermark);
                        }
                    } catch (RuntimeException e) {
                        result.setErrorCode(KafkaErrors.of(e).code());
                    }
                }
                topicResult.partitions().add(result);
            }
            if (detail.length() > 0) {
                audit.record(caller, "DELETE_RECORDS", "topic", topic.name(), detail.toString());
            }
            data.topics().add(topicResult);
        }
        return new DeleteRecordsResponse(data);
    }

    /**
     * As a one-node Kafka answers: every existing partition already has its preferred (its only) replica as leader,
     * so each named partition is ELECTION_NOT_NEEDED, for a preferred and an unclean election alike; an unknown one
     * is UNKNOWN_TOPIC_OR_PARTITION. A request for all partitions (no topics named) lists only partitions that
     * needed an election, which on one node is none.
     */
    AbstractResponse electLeaders(RequestAuthorizer.Caller caller, AbstractRequest request) {
        ElectLeadersRequest electLeaders = (ElectLeadersRequest) request;
        if (!caller.mayOnCluster(AclOperation.ALTER)) {
            return electLeaders.getErrorResponse(new ClusterAuthorizationException(
                    Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        ElectLeadersResponseData data = new ElectLeadersResponseData().setErrorCode(Errors.NONE.code());
        if (electLeaders.data().topicPartitions() == null) {
            return new ElectLeadersResponse(data);
        }
        for (ElectLeadersRequestData.TopicPartitions topic : electLeaders.data().topicPartitions()) {
            ElectLeadersResponseData.ReplicaElectionResult result =
                    new ElectLeadersResponseData.ReplicaElectionResult().setTopic(topic.topic());
            boolean exists = engine.topicExists(topic.topic());
            int partitions = exists ? engine.partitionCount(topic.topic()) : 0;
            for (int partition : topic.partitions()) {
                ElectLeadersResponseData.PartitionResult partitionResult =
                        new ElectLeadersResponseData.PartitionResult().setPartitionId(partition);
                // The messages are Kafka's controller's, which kafka-leader-election prints.
                if (!exists) {
                    partitionResult.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage("No such topic as " + topic.topic());
                } else if (partition < 0 || partition >= partitions) {
                    partitionResult.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage("No such partition as " + topic.topic() + "-" + partition);
                } else {
                    partitionResult.setErrorCode(Errors.ELECTION_NOT_NEEDED.code())
                            .setErrorMessage(Errors.ELECTION_NOT_NEEDED.message());
                }
                result.partitionResult().add(partitionResult);
            }
            data.replicaElectionResults().add(result);
        }
        return new ElectLeadersResponse(data);
    }

    /**
     * The data directory as the one log directory: every requested partition (all when the request names no
     * topics) with its size in bytes and an offset lag of 0; the file system's total and usable bytes (v4+).
     */
    AbstractResponse describeLogDirs(RequestAuthorizer.Caller caller, AbstractRequest request) {
        DescribeLogDirsRequestData requested = ((DescribeLogDirsRequest) request).data();
        DescribeLogDirsResponseData data = new DescribeLogDirsResponseData();
        if (!caller.mayOnCluster(AclOperation.DESCRIBE)) {
            return new DescribeLogDirsResponse(data.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        DescribeLogDirsResponseData.DescribeLogDirsResult dir = new DescribeLogDirsResponseData.DescribeLogDirsResult()
                .setLogDir(engine.dataDir().toAbsolutePath().toString());
        try {
            FileStore store = Files.getFileStore(engine.dataDir());
            dir.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            dir.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        if (requested.topics() == null) {
            for (TopicInfo topic : engine.listTopics()) {
                dir.topics().add(describe(topic.name(), topic.partitions()));
            }
        } else {
            for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : requested.topics()) {
                if (!engine.topicExists(topic.topic())) {
                    continue; // as in Kafka: partitions this broker does not host are left out
                }
                List<PartitionInfo> partitions = new ArrayList<>();
                for (PartitionInfo partition : engine.describeTopic(topic.topic()).partitions()) {
                    if (topic.partitions().contains(partition.partition())) {
                        partitions.add(partition);
                    }
                }
                dir.topics().add(describe(topic.topic(), partitions));
            }
        }
        data.results().add(dir);
        return new DescribeLogDirsResponse(data);
    }

    private static DescribeLogDirsResponseData.DescribeLogDirsTopic describe(String topic,
                                                                          List<PartitionInfo> partitions) {
        DescribeLogDirsResponseData.DescribeLogDirsTopic described =
                new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(topic);
        for (PartitionInfo partition : partitions) {
            described.partitions().add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                    .setPartitionIndex(partition.partition()).setPartitionSize(Math.max(0, partition.sizeInBytes()))
                    .setOffsetLag(0).setIsFutureKey(false));
        }
        return described;
    }

    /** Every producer each partition keeps state for, with its open transaction's first offset. */
    AbstractResponse describeProducers(RequestAuthorizer.Caller caller, AbstractRequest request) {
        DescribeProducersRequestData requested = ((DescribeProducersRequest) request).data();
        DescribeProducersResponseData data = new DescribeProducersResponseData();
        for (DescribeProducersRequestData.TopicRequest topic : requested.topics()) {
            DescribeProducersResponseData.TopicResponse topicResponse =
                    new DescribeProducersResponseData.TopicResponse().setName(topic.name());
            boolean allowed = caller.mayOnTopic(AclOperation.READ, topic.name());
            for (int partition : topic.partitionIndexes()) {
                DescribeProducersResponseData.PartitionResponse response =
                        new DescribeProducersResponseData.PartitionResponse().setPartitionIndex(partition);
                if (!allowed) {
                    response.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else {
                    try {
                        for (ActiveProducer producer : engine.activeProducers(topic.name(), partition)) {
                            response.activeProducers().add(new DescribeProducersResponseData.ProducerState()
                                    .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                                    .setLastSequence(producer.lastSequence())
                                    .setLastTimestamp(producer.lastTimestampMs())
                                    .setCoordinatorEpoch(0)
                                    .setCurrentTxnStartOffset(producer.currentTransactionStartOffset()));
                        }
                    } catch (RuntimeException e) {
                        Errors error = KafkaErrors.of(e);
                        response.setErrorCode(error.code()).setErrorMessage(e.getMessage());
                    }
                }
                topicResponse.partitions().add(response);
            }
            data.topics().add(topicResponse);
        }
        return new DescribeProducersResponse(data);
    }
}
