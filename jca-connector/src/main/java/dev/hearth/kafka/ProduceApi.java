package dev.hearth.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;

import dev.hearth.engine.AppendResult;
import dev.hearth.engine.PendingAppend;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;

/**
 * Produce and InitProducerId. Record batches are appended exactly as the client sent them (after the
 * engine's validation); acks 1 and all are the same on a single broker, and the engine's flush policy
 * decides durability before the answer. Idempotence (a retried batch answered with its original offsets,
 * sequence gaps and fenced epochs refused) is the engine's, durable across restarts. A transactional InitProducerId goes to the
 * {@link TransactionCoordinator}.
 *
 * <p>Group commit: a request's partitions are all written first ({@link PendingAppend}) on the handler thread;
 * their fsyncs then run in parallel as continuations on the handler threads, none of which waits for another,
 * and the response is built when the last is done. Concurrent fsyncs share the file system's journal commits,
 * and appends of other connections to the same partition share one fsync ({@code PartitionLog#flushUpTo}).
 *
 * <p>A topic whose {@code hearth.principal.header} names a header gets the producing principal stamped on each
 * record ({@link PrincipalStamp}); other topics' batches are appended untouched.
 *
 * <p>Thread-safe.
 */
final class ProduceApi {

    private final LogEngine engine;
    private final TopicResolver topics;
    private final ProducerIdAllocator producerIds;
    private final TransactionCoordinator transactions;
    /** Runs the fsyncs of a request's partitions: the request-handler threads. */
    private final Executor continuations;

    ProduceApi(LogEngine engine, TopicResolver topics, ProducerIdAllocator producerIds, TransactionCoordinator transactions,
               Executor continuations) {
        this.continuations = continuations;
        this.engine = engine;
        this.topics = topics;
        this.producerIds = producerIds;
        this.transactions = transactions;
    }

    /**
     * Appends what the caller may write: WRITE on each topic (else TOPIC_AUTHORIZATION_FAILED for its partitions,
     * and nothing of them is appended), and for a transactional request WRITE on its transactional id (else
     * TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition and nothing appended), as Kafka's broker decides.
     * An unknown topic is auto-created only for a caller that may create it.
     */
    CompletableFuture<AbstractResponse> produce(RequestAuthorizer.Caller caller, AbstractRequest request) {
        ProduceRequest produce = (ProduceRequest) request;
        boolean byId = request.version() >= 13;
        ProduceResponseData data = new ProduceResponseData();
        List<Written> written = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : produce.data().topicData()) {
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                if (partitionData.records() == null) {
                    // Not a request a client sends: a malformed frame, which closes its connection.
                    throw new InvalidRequestException("Produce request without records for partition "
                            + partitionData.index());
                }
            }
        }
        boolean transactionDenied = produce.transactionalId() != null
                && !caller.mayOnTransactionalId(AclOperation.WRITE, produce.transactionalId());
        for (ProduceRequestData.TopicProduceData topicData : produce.data().topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse();
            if (byId) {
                topicResponse.setTopicId(topicData.topicId());
            } else {
                topicResponse.setName(topicData.name());
            }
            Optional<String> topic = topics.resolve(topicData.name(), topicData.topicId());
            Errors denied = transactionDenied ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                    : topic.isPresent() && !caller.mayOnTopic(AclOperation.WRITE, topic.get())
                    ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.NONE;
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                if (denied != Errors.NONE) {
                    topicResponse.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse()
                            .setIndex(partitionData.index()).setBaseOffset(-1).setLogAppendTimeMs(-1)
                            .setLogStartOffset(-1).setErrorCode(denied.code()).setErrorMessage(denied.message()));
                } else {
                    topicResponse.partitionResponses().add(append(caller, topic, byId, partitionData.index(),
                            (MemoryRecords) partitionData.records(), written));
                }
            }
            data.responses().add(topicResponse);
        }
        produce.clearPartitionRecords();
        if (written.size() <= 1) {
            written.forEach(Written::complete);
            return CompletableFuture.completedFuture(new ProduceResponse(data));
        }
        CompletableFuture<?>[] durable = new CompletableFuture<?>[written.size()];
        for (int i = 0; i < durable.length; i++) {
            durable[i] = CompletableFuture.runAsync(written.get(i)::complete, continuations);
        }
        return CompletableFuture.allOf(durable).thenApply(done -> new ProduceResponse(data));
    }

    /** A partition's batches, written and waiting to be made durable, and the response they will fill in. */
    private record Written(PendingAppend pending, ProduceResponseData.PartitionProduceResponse response) {

        /** Makes the append durable and fills in its response (an error code if the fsync failed). */
        void complete() {
            try {
                AppendResult result = pending.complete();
                response.setBaseOffset(result.baseOffset())
                        .setLogAppendTimeMs(result.logAppendTime())
                        .setLogStartOffset(result.logStartOffset());
            } catch (RuntimeException e) {
                response.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
        }
    }

    private ProduceResponseData.PartitionProduceResponse append(RequestAuthorizer.Caller caller, Optional<String> topic,
                                                                boolean byId, int partition,
                                                                MemoryRecords records, List<Written> written) {
        ProduceResponseData.PartitionProduceResponse response = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(partition).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
        try {
            if (topic.isEmpty() || !(engine.topicExists(topic.get())
                    || !byId && caller.mayCreateTopic(topic.get()) && topics.maybeAutoCreate(topic.get()))) {
                return response.setErrorCode((byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
            }
        } catch (RuntimeException e) {
            // An invalid name to auto-create, a limit: the client's error, answered without a stack trace in the log.
            return response.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
        }
        String name = topic.get();
        if (TopicResolver.isInternal(name)) {
            return response.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code())
                    .setErrorMessage("Clients cannot write to the internal topic " + name);
        }
        try {
            String principalHeader = engine.topicConfig(name).principalHeader();
            MemoryRecords stamped = principalHeader.isEmpty() ? records
                    : PrincipalStamp.stamp(records, principalHeader, caller.principalText());
            written.add(new Written(engine.appendWithoutFlush(name, partition, stamped), response));
            return response;
        } catch (RuntimeException e) {
            Errors error = KafkaErrors.of(e);
            return response.setErrorCode(error.code()).setErrorMessage(e.getMessage());
        }
    }

    /**
     * A transactional InitProducerId needs WRITE on its transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
     * an idempotent one IDEMPOTENT_WRITE on the cluster or WRITE on some topic (CLUSTER_AUTHORIZATION_FAILED).
     */
    AbstractResponse initProducerId(RequestAuthorizer.Caller caller, AbstractRequest request) {
        InitProducerIdRequestData requested = ((InitProducerIdRequest) request).data();
        InitProducerIdResponseData data = new InitProducerIdResponseData().setProducerId(-1).setProducerEpoch((short) -1);
        if (requested.transactionalId() != null
                && !caller.mayOnTransactionalId(AclOperation.WRITE, requested.transactionalId())) {
            return new InitProducerIdResponse(data.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        }
        if (requested.transactionalId() == null && !caller.mayOnCluster(AclOperation.IDEMPOTENT_WRITE)
                && !caller.mayOnAny(AclOperation.WRITE, ResourceType.TOPIC)) {
            return new InitProducerIdResponse(data.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        if (requested.transactionalId() == null) {
            return new InitProducerIdResponse(data.setProducerId(producerIds.next()).setProducerEpoch((short) 0));
        }
        TransactionCoordinator.ProducerIdAndEpoch registered =
                transactions.initProducerId(requested.transactionalId(), requested.transactionTimeoutMs());
        return new InitProducerIdResponse(data.setErrorCode(registered.error().code())
                .setProducerId(registered.producerId()).setProducerEpoch(registered.producerEpoch()));
    }
}
