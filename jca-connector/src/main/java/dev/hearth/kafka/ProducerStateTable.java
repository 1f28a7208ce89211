package dev.hearth.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

import dev.hearth.engine.AppendResult;

/**
 * Idempotent-producer state per partition: for each producer id, its epoch and its last
 * {@value #RETAINED_BATCHES} batches (sequence range and offsets), so a batch retried after a lost response
 * is answered with its original offsets instead of being appended twice, and a gap in sequences is refused.
 *
 * <p>State is in memory: after a restart, the first batch of an unknown producer is accepted whatever its
 * sequence (as Kafka does for producers whose state expired).
 *
 * <p>Thread-safety: a partition's check-append-record runs under that partition's lock.
 */
final class ProducerStateTable {

    /** Kafka producers keep at most five batches in flight per partition. */
    static final int RETAINED_BATCHES = 5;

    private final ConcurrentHashMap<String, Map<Long, ProducerEntry>> partitions = new ConcurrentHashMap<>();
    /**
     * Appends unless the batches are a retry of a retained batch of the same producer, in which case the
     * original result is returned.
     */
    AppendResult appendIdempotent(String topic, int partition, MemoryRecords records, Supplier<AppendResult> append) {
        RecordBatch first = null;
        RecordBatch last = null;
        for (RecordBatch batch : records.batches()) {
            if (first == null) {
                first = batch;
            }
            last = batch;
        }
        if (first == null || !first.hasProducerId()) {
            return append.get();
        }
        long producerId = first.producerId();
        short epoch = first.producerEpoch();
        int firstSequence = first.baseSequence();
        int lastSequence = last.lastSequence();
        Map<Long, ProducerEntry> producers = partitions.computeIfAbsent(topic + '\u0000' + partition, key -> new HashMap<>());
        synchronized (producers) {
            ProducerEntry entry = producers.get(producerId);
            if (entry != null) {
                if (epoch < entry.epoch) {
                    throw new InvalidProducerEpochException("Producer " + producerId + " epoch " + epoch
                            + " is older than the current epoch " + entry.epoch);
                }
                if (epoch == entry.epoch) {
                    for (RetainedBatch retained : entry.batches) {
                        if (retained.firstSequence == firstSequence && retained.lastSequence == lastSequence) {
                            return retained.result;
                        }
                    }
                    int expected = RecordBatch.NO_SEQUENCE == entry.lastSequence() ? 0 : entry.lastSequence() + 1;
                    if (expected < 0) {
                        expected = 0;
                    }
                    if (firstSequence != expected) {
                        throw new OutOfOrderSequenceException("Producer " + producerId + " sent sequence "
                                + firstSequence + " to " + topic + "-" + partition + " but " + expected + " was expected");
                    }
                }
            }
            AppendResult result = append.get();
            if (entry == null || epoch > entry.epoch) {
                entry = new ProducerEntry(epoch);
                producers.put(producerId, entry);
            }
            entry.remember(new RetainedBatch(firstSequence, lastSequence, result));
            return result;
        }
    }

    /** One producer's state in one partition. */
    private static final class ProducerEntry {
        private final short epoch;
        private final ArrayDeque<RetainedBatch> batches = new ArrayDeque<>(RETAINED_BATCHES);

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }

        int lastSequence() {
            return batches.isEmpty() ? RecordBatch.NO_SEQUENCE : batches.peekLast().lastSequence;
        }

        void remember(RetainedBatch batch) {
            if (batches.size() == RETAINED_BATCHES) {
                batches.removeFirst();
            }
            batches.addLast(batch);
        }
    }

    private record RetainedBatch(int firstSequence, int lastSequence, AppendResult result) {
    }
}
