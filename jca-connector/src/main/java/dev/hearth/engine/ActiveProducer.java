package dev.hearth.engine;

/**
 * A producer a partition keeps idempotence state for, as Kafka's DescribeProducers reports it.
 *
 * @param lastSequence                  the last sequence number it wrote, or -1 when only a marker is known
 * @param lastTimestampMs               broker wall-clock milliseconds of its last write (after a restart: of the
 *                                      load that replayed it)
 * @param currentTransactionStartOffset the first offset of its open transaction in the partition, or -1
 */
public record ActiveProducer(long producerId, short producerEpoch, int lastSequence, long lastTimestampMs,
                             long currentTransactionStartOffset) {
}
