package dev.hearth.kafka;

import java.util.Optional;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;

import dev.hearth.engine.AppendResult;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;

/**
 * Produce and InitProducerId. Record batches are appended exactly as the client sent them (after the
 * engine's validation); acks 1 and all are the same on a single broker, and the engine's flush policy
 * decides durability before the answer. Idempotence (a retried batch answered with its original offsets,
 * sequence gaps and fenced epochs refused) is the engine's, durable across restarts. A transactional InitProducerId goes to the
 * {@link TransactionCoordinator}. Thread-safe.
 */
final class ProduceApi {

    private final LogEngine engine;
    private final TopicResolver topics;
    private final ProducerIdAllocator producerIds;
    private final TransactionCoordinator transactions;

    ProduceApi(LogEngine engine, TopicResolver topics, ProducerIdAllocator producerIds, TransactionCoordinator transactions) {
        this.engine = engine;
        this.topics = topics;
        this.producerIds = producerIds;
        this.transactions = transactions;
    }

    AbstractResponse produce(AbstractRequest request) {
        ProduceRequest produce = (ProduceRequest) request;
        boolean byId = request.version() >= 13;
        ProduceResponseData data = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData topicData : produce.data().topicData()) {
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                if (partitionData.records() == null) {
                    // Not a request a client sends: a malformed frame, which closes its connection.
                    throw new InvalidRequestException("Produce request without records for partition "
                            + partitionData.index());
                }
            }
        }
        for (ProduceRequestData.TopicProduceData topicData : produce.data().topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse();
            if (byId) {
                topicResponse.setTopicId(topicData.topicId());
            } else {
                topicResponse.setName(topicData.name());
            }
            Optional<String> topic = topics.resolve(topicData.name(), topicData.topicId());
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                topicResponse.partitionResponses().add(
                        append(topic, byId, partitionData.index(), (MemoryRecords) partitionData.records()));
            }
            data.responses().add(topicResponse);
        }
        produce.clearPartitionRecords();
        return new ProduceResponse(data);
    }

    private ProduceResponseData.PartitionProduceResponse append(Optional<String> topic, boolean byId, int partition,
                                                                MemoryRecords records) {
        ProduceResponseData.PartitionProduceResponse response = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(partition).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
        try {
            if (topic.isEmpty() || !(engine.topicExists(topic.get()) || !byId && topics.maybeAutoCreate(topic.get()))) {
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
            AppendResult result = engine.append(name, partition, records);
            return response.setBaseOffset(result.baseOffset())
                    .setLogAppendTimeMs(result.logAppendTime())
                    .setLogStartOffset(result.logStartOffset());
        } catch (RuntimeException e) {
            Errors error = KafkaErrors.of(e);
            return response.setErrorCode(error.code()).setErrorMessage(e.getMessage());
        }
    }

    AbstractResponse initProducerId(AbstractRequest request) {
        InitProducerIdRequestData requested = ((InitProducerIdRequest) request).data();
        InitProducerIdResponseData data = new InitProducerIdResponseData();
        if (requested.transactionalId() == null) {
            return new InitProducerIdResponse(data.setProducerId(producerIds.next()).setProducerEpoch((short) 0));
        }
        TransactionCoordinator.ProducerIdAndEpoch registered =
                transactions.initProducerId(requested.transactionalId(), requested.transactionTimeoutMs());
        return new InitProducerIdResponse(data.setErrorCode(registered.error().code())
                .setProducerId(registered.producerId()).setProducerEpoch(registered.producerEpoch()));
    }
}
