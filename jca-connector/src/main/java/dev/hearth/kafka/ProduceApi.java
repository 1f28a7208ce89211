package dev.hearth.kafka;

import java.util.Optional;

import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;

import dev.hearth.engine.AppendResult;
import dev.hearth.engine.LogEngine;

/**
 * Produce and InitProducerId. Record batches are appended exactly as the client sent them (after the
 * engine's validation); acks 1 and all are the same on a single broker, and the engine's flush policy
 * decides durability before the answer. Transactions are not supported yet: a transactional
 * InitProducerId is refused with UNSUPPORTED_VERSION. Thread-safe.
 */
final class ProduceApi {

    private final LogEngine engine;
    private final TopicResolver topics;
    private final ProducerStateTable producers = new ProducerStateTable();

    ProduceApi(LogEngine engine, TopicResolver topics) {
        this.engine = engine;
        this.topics = topics;
    }

    AbstractResponse produce(AbstractRequest request) {
        ProduceRequest produce = (ProduceRequest) request;
        boolean byId = request.version() >= 13;
        ProduceResponseData data = new ProduceResponseData();
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
        if (topic.isEmpty() || !(engine.topicExists(topic.get()) || !byId && topics.maybeAutoCreate(topic.get()))) {
            return response.setErrorCode((byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
        }
        String name = topic.get();
        if (TopicResolver.isInternal(name)) {
            return response.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code())
                    .setErrorMessage("Clients cannot write to the internal topic " + name);
        }
        try {
            AppendResult result = producers.appendIdempotent(name, partition, records,
                    () -> engine.append(name, partition, records));
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
        if (requested.transactionalId() != null) {
            throw new UnsupportedVersionException("Hearth does not support transactions yet (transactional.id "
                    + requested.transactionalId() + ")");
        }
        return new InitProducerIdResponse(data.setProducerId(producers.newProducerId()).setProducerEpoch((short) 0));
    }
}
