package dev.hearth.kafka;

import org.apache.kafka.common.protocol.Errors;

import dev.hearth.engine.InvalidConfigException;
import dev.hearth.engine.InvalidProducerEpochException;
import dev.hearth.engine.InvalidPartitionsException;
import dev.hearth.engine.PartitionLimitException;
import dev.hearth.engine.InvalidRecordException;
import dev.hearth.engine.InvalidTopicException;
import dev.hearth.engine.OffsetOutOfRangeException;
import dev.hearth.engine.OutOfOrderSequenceException;
import dev.hearth.engine.RecordTooLargeException;
import dev.hearth.engine.StorageException;
import dev.hearth.engine.TopicExistsException;
import dev.hearth.engine.UnknownTopicOrPartitionException;

/** The Kafka error code for each engine failure: the one place the two vocabularies meet. */
final class KafkaErrors {

    private KafkaErrors() {
    }

    static Errors of(Throwable failure) {
        if (failure instanceof UnknownTopicOrPartitionException) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } else if (failure instanceof OffsetOutOfRangeException) {
            return Errors.OFFSET_OUT_OF_RANGE;
        } else if (failure instanceof RecordTooLargeException) {
            return Errors.MESSAGE_TOO_LARGE;
        } else if (failure instanceof InvalidRecordException) {
            return Errors.CORRUPT_MESSAGE;
        } else if (failure instanceof InvalidTopicException) {
            return Errors.INVALID_TOPIC_EXCEPTION;
        } else if (failure instanceof TopicExistsException) {
            return Errors.TOPIC_ALREADY_EXISTS;
        } else if (failure instanceof PartitionLimitException) {
            return Errors.POLICY_VIOLATION;
        } else if (failure instanceof InvalidPartitionsException) {
            return Errors.INVALID_PARTITIONS;
        } else if (failure instanceof InvalidConfigException) {
            return Errors.INVALID_CONFIG;
        } else if (failure instanceof OutOfOrderSequenceException) {
            return Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
        } else if (failure instanceof InvalidProducerEpochException) {
            return Errors.INVALID_PRODUCER_EPOCH;
        } else if (failure instanceof StorageException) {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        return Errors.forException(failure);
    }
}
