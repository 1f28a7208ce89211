package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;

import dev.hearth.group.CommittedOffset;
import dev.hearth.group.TopicPartitionKey;
import dev.hearth.txn.TransactionCoordinator;

/**
 * The transactional producer's APIs (AddPartitionsToTxn up to v3, AddOffsetsToTxn, TxnOffsetCommit,
 * EndTxn) over Hearth's {@link TransactionCoordinator}.
 *
 * <p>Authorization is Kafka's: every one needs WRITE on its transactional id
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); AddPartitionsToTxn WRITE on each topic (the refused ones
 * TOPIC_AUTHORIZATION_FAILED, the others OPERATION_NOT_ATTEMPTED, nothing added); AddOffsetsToTxn and
 * TxnOffsetCommit READ on the group (GROUP_AUTHORIZATION_FAILED); TxnOffsetCommit READ on each topic (refused
 * topics TOPIC_AUTHORIZATION_FAILED, the others committed).
 *
 * <p>Thread-safe.
 */
final class TransactionApi {

    private final TransactionCoordinator transactions;

    TransactionApi(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    AbstractResponse addPartitionsToTxn(RequestAuthorizer.Caller caller, AbstractRequest request) {
        AddPartitionsToTxnRequestData data = ((AddPartitionsToTxnRequest) request).data();
        if (request.version() > 3) {
            throw new UnsupportedVersionException("AddPartitionsToTxn v4+ is a broker-to-broker API");
        }
        List<TopicPartitionKey> partitions = new ArrayList<>();
        Set<String> deniedTopics = new HashSet<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : data.v3AndBelowTopics()) {
            if (!caller.mayOnTopic(AclOperation.WRITE, topic.name())) {
                deniedTopics.add(topic.name());
            }
            for (int partition : topic.partitions()) {
                partitions.add(new TopicPartitionKey(topic.name(), partition));
            }
        }
        Errors error;
        if (!caller.mayOnTransactionalId(AclOperation.WRITE, data.v3AndBelowTransactionalId())) {
            error = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        } else if (!deniedTopics.isEmpty()) {
            error = Errors.OPERATION_NOT_ATTEMPTED;
        } else {
            error = transactions.addPartitions(data.v3AndBelowTransactionalId(), data.v3AndBelowProducerId(),
                    data.v3AndBelowProducerEpoch(), partitions);
        }
        AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection results =
                new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : data.v3AndBelowTopics()) {
            AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult topicResult =
                    new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName(topic.name());
            Errors topicError = error == Errors.OPERATION_NOT_ATTEMPTED && deniedTopics.contains(topic.name())
                    ? Errors.TOPIC_AUTHORIZATION_FAILED : error;
            for (int partition : topic.partitions()) {
                topicResult.resultsByPartition().add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult()
                        .setPartitionIndex(partition).setPartitionErrorCode(topicError.code()));
            }
            results.add(topicResult);
        }
        return new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(results));
    }

    AbstractResponse addOffsetsToTxn(RequestAuthorizer.Caller caller, AbstractRequest request) {
        AddOffsetsToTxnRequestData data = ((AddOffsetsToTxnRequest) request).data();
        Errors error;
        if (!caller.mayOnTransactionalId(AclOperation.WRITE, data.transactionalId())) {
            error = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        } else if (!caller.mayOnGroup(AclOperation.READ, data.groupId())) {
            error = Errors.GROUP_AUTHORIZATION_FAILED;
        } else {
            error = transactions.addOffsets(data.transactionalId(), data.producerId(), data.producerEpoch(), data.groupId());
        }
        return new AddOffsetsToTxnResponse(new AddOffsetsToTxnResponseData().setErrorCode(error.code()));
    }

    AbstractResponse txnOffsetCommit(RequestAuthorizer.Caller caller, AbstractRequest request) {
        TxnOffsetCommitRequestData data = ((TxnOffsetCommitRequest) request).data();
        if (!caller.mayOnTransactionalId(AclOperation.WRITE, data.transactionalId())) {
            return request.getErrorResponse(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.exception());
        }
        if (!caller.mayOnGroup(AclOperation.READ, data.groupId())) {
            return request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        Map<TopicPartitionKey, CommittedOffset> offsets = new LinkedHashMap<>();
        Set<String> deniedTopics = new HashSet<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : data.topics()) {
            if (!caller.mayOnTopic(AclOperation.READ, topic.name())) {
                deniedTopics.add(topic.name());
                continue;
            }
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                offsets.put(new TopicPartitionKey(topic.name(), partition.partitionIndex()), CommittedOffset.of(
                        partition.committedOffset(), partition.committedLeaderEpoch(),
                        partition.committedMetadata() == null ? "" : partition.committedMetadata()));
            }
        }
        Errors error = offsets.isEmpty() ? Errors.NONE : transactions.commitOffsets(data.transactionalId(),
                data.producerId(), data.producerEpoch(), data.groupId(), offsets);
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : data.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(deniedTopics.contains(topic.name())
                                ? Errors.TOPIC_AUTHORIZATION_FAILED.code() : error.code()));
            }
            response.topics().add(topicResponse);
        }
        return new TxnOffsetCommitResponse(response);
    }

    AbstractResponse endTxn(RequestAuthorizer.Caller caller, AbstractRequest request) {
        EndTxnRequestData data = ((EndTxnRequest) request).data();
        Errors error = caller.mayOnTransactionalId(AclOperation.WRITE, data.transactionalId())
                ? transactions.endTransaction(data.transactionalId(), data.producerId(), data.producerEpoch(),
                        data.committed())
                : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        EndTxnResponseData response = new EndTxnResponseData().setErrorCode(error.code());
        if (request.version() >= 5) {
            response.setProducerId(data.producerId()).setProducerEpoch(data.producerEpoch());
        }
        return new EndTxnResponse(response);
    }
}
