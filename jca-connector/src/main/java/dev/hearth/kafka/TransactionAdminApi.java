package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

import dev.hearth.group.TopicPartitionKey;
import dev.hearth.txn.TransactionCoordinator;
import dev.hearth.txn.TransactionDescription;
import dev.hearth.txn.TransactionState;

/**
 * Transaction administration as {@code kafka-transactions} drives it: ListTransactions, DescribeTransactions
 * and WriteTxnMarkers (the abort of {@code kafka-transactions abort}), over Hearth's {@link TransactionCoordinator}.
 * Hearth is its own transaction coordinator, so WriteTxnMarkers is only ever an operator's abort: a COMMIT marker
 * is refused (INVALID_REQUEST), as no coordinator but Hearth's may decide a commit.
 *
 * <p>Authorization is Kafka's: ListTransactions lists only transactional ids the caller may DESCRIBE;
 * DescribeTransactions needs DESCRIBE on each (TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and shows only the
 * partitions of topics the caller may DESCRIBE; WriteTxnMarkers needs CLUSTER_ACTION on the cluster (every
 * partition CLUSTER_AUTHORIZATION_FAILED). Aborts are recorded in {@link KafkaAuditTopic}
 * ({@code ABORT_TRANSACTION}) before the answer.
 *
 * <p>Thread-safe: holds no state.
 */
final class TransactionAdminApi {

    private final TransactionCoordinator transactions;
    private final KafkaAuditTopic audit;
    /** Wall-clock milliseconds, for ListTransactions' duration filter. */
    private final LongSupplier clock;

    TransactionAdminApi(TransactionCoordinator transactions, KafkaAuditTopic audit, LongSupplier clock) {
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Filters as Kafka applies them: states by Kafka's names (unknown names are echoed in
     * {@code unknownStateFilters}), producer ids, a minimum running time (v1+, open transactions only) and a
     * transactional-id regular expression (v2+; an invalid one is INVALID_REQUEST).
     */
    AbstractResponse listTransactions(RequestAuthorizer.Caller caller, AbstractRequest request) {
        ListTransactionsRequestData requested = ((ListTransactionsRequest) request).data();
        ListTransactionsResponseData data = new ListTransactionsResponseData();
        Set<String> knownStates = new HashSet<>();
        for (TransactionState state : TransactionState.values()) {
            knownStates.add(state.kafkaName());
        }
        Set<String> states = new HashSet<>();
        for (String state : requested.stateFilters()) {
            if (knownStates.contains(state)) {
                states.add(state);
            } else {
                data.unknownStateFilters().add(state);
            }
        }
        if (!requested.stateFilters().isEmpty() && states.isEmpty()) {
            return new ListTransactionsResponse(data);
        }
        Pattern pattern = null;
        if (request.version() >= 2 && requested.transactionalIdPattern() != null
                && !requested.transactionalIdPattern().isEmpty()) {
            try {
                pattern = Pattern.compile(requested.transactionalIdPattern());
            } catch (PatternSyntaxException e) {
                return new ListTransactionsResponse(data.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
            }
        }
        long now = clock.getAsLong();
        long minimumDurationMs = request.version() >= 1 ? requested.durationFilter() : -1;
        for (TransactionDescription transaction : transactions.listTransactions()) {
            if (!states.isEmpty() && !states.contains(transaction.state().kafkaName())) {
                continue;
            }
            if (!requested.producerIdFilters().isEmpty()
                    && !requested.producerIdFilters().contains(transaction.producerId())) {
                continue;
            }
            if (minimumDurationMs >= 0 && (transaction.startMs() < 0 || now - transaction.startMs() < minimumDurationMs)) {
                continue;
            }
            if (pattern != null && !pattern.matcher(transaction.transactionalId()).matches()) {
                continue;
            }
            if (!caller.mayOnTransactionalId(AclOperation.DESCRIBE, transaction.transactionalId())) {
                continue;
            }
            data.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                    .setTransactionalId(transaction.transactionalId())
                    .setProducerId(transaction.producerId())
                    .setTransactionState(transaction.state().kafkaName()));
        }
        return new ListTransactionsResponse(data);
    }

    AbstractResponse describeTransactions(RequestAuthorizer.Caller caller, AbstractRequest request) {
        DescribeTransactionsResponseData data = new DescribeTransactionsResponseData();
        for (String transactionalId : ((DescribeTransactionsRequest) request).data().transactionalIds()) {
            DescribeTransactionsResponseData.TransactionState described =
                    new DescribeTransactionsResponseData.TransactionState().setTransactionalId(transactionalId);
            if (!caller.mayOnTransactionalId(AclOperation.DESCRIBE, transactionalId)) {
                data.transactionStates().add(described.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
                continue;
            }
            Optional<TransactionDescription> found = transactions.describeTransaction(transactionalId);
            if (found.isEmpty()) {
                data.transactionStates().add(described.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()));
                continue;
            }
            TransactionDescription transaction = found.get();
            described.setTransactionState(transaction.state().kafkaName())
                    .setTransactionTimeoutMs(transaction.timeoutMs())
                    .setTransactionStartTimeMs(transaction.startMs())
                    .setProducerId(transaction.producerId())
                    .setProducerEpoch(transaction.producerEpoch());
            Map<String, List<Integer>> partitions = new LinkedHashMap<>();
            for (TopicPartitionKey partition : transaction.partitions()) {
                if (caller.mayOnTopic(AclOperation.DESCRIBE, partition.topic())) {
                    partitions.computeIfAbsent(partition.topic(), t -> new ArrayList<>()).add(partition.partition());
                }
            }
            partitions.forEach((topic, indexes) -> described.topics().add(
                    new DescribeTransactionsResponseData.TopicData().setTopic(topic).setPartitions(indexes)));
            data.transactionStates().add(described);
        }
        return new DescribeTransactionsResponse(data);
    }

    AbstractResponse writeTxnMarkers(RequestAuthorizer.Caller caller, AbstractRequest request) {
        WriteTxnMarkersRequestData requested = ((WriteTxnMarkersRequest) request).data();
        boolean allowed = caller.mayOnCluster(AclOperation.CLUSTER_ACTION);
        WriteTxnMarkersResponseData data = new WriteTxnMarkersResponseData();
        for (WriteTxnMarkersRequestData.WritableTxnMarker marker : requested.markers()) {
            WriteTxnMarkersResponseData.WritableTxnMarkerResult markerResult =
                    new WriteTxnMarkersResponseData.WritableTxnMarkerResult().setProducerId(marker.producerId());
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic topic : marker.topics()) {
                WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topicResult =
                        new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(topic.name());
                for (int partition : topic.partitionIndexes()) {
                    Errors error;
                    if (!allowed) {
                        error = Errors.CLUSTER_AUTHORIZATION_FAILED;
                    } else if (marker.transactionResult()) {
                        error = Errors.INVALID_REQUEST;
                    } else {
                        error = abort(caller, new TopicPartitionKey(topic.name(), partition), marker);
                    }
                    topicResult.partitions().add(new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(partition).setErrorCode(error.code()));
                }
                markerResult.topics().add(topicResult);
            }
            data.markers().add(markerResult);
        }
        return new WriteTxnMarkersResponse(data);
    }

    private Errors abort(RequestAuthorizer.Caller caller, TopicPartitionKey partition,
                         WriteTxnMarkersRequestData.WritableTxnMarker marker) {
        try {
            TransactionCoordinator.PartitionAbort outcome = transactions.abortInPartition(partition,
                    marker.producerId(), marker.producerEpoch());
            if (outcome != TransactionCoordinator.PartitionAbort.NOTHING_OPEN) {
                audit.record(caller, "ABORT_TRANSACTION", "topic", partition.topic(), "partition "
                        + partition.partition() + ", producer id " + marker.producerId() + ", epoch "
                        + marker.producerEpoch() + (outcome == TransactionCoordinator.PartitionAbort
                        .COORDINATED_TRANSACTION_ABORTED ? ", its whole transaction" : ", a hanging transaction"));
            }
            return Errors.NONE;
        } catch (RuntimeException e) {
            return KafkaErrors.of(e);
        }
    }
}
