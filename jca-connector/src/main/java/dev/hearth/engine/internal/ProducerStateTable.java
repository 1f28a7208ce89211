package dev.hearth.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.RecordBatch;

import dev.hearth.engine.AppendResult;
import dev.hearth.engine.InvalidProducerEpochException;
import dev.hearth.engine.OutOfOrderSequenceException;

/**
 * A partition's idempotent-producer state, as Kafka's {@code ProducerStateManager} keeps it: for each producer
 * id, its newest epoch, the broker time of its last write and its last {@value #RETAINED_BATCHES} batches
 * (sequence range and the offsets they were given). A batch retried after a lost response is answered with
 * its original offsets instead of being appended twice; a gap or reordering in sequences is refused; an older
 * epoch is fenced.
 *
 * <p>Durability: the state is a pure function of the log, so recovery rebuilds it by replaying batch headers
 * (producer id, epoch, sequences). A snapshot bounds that replay and keeps the state of producers whose
 * batches retention or compaction removed: it is written when a segment rolls (covering every closed
 * segment), before retention or cleaning touch segments the last snapshot does not cover, and at a clean
 * close. Producers idle for longer than {@code producer.id.expiration.ms} (Kafka's default, one day) are
 * forgotten, unless a transaction of theirs is open.
 *
 * <p>Snapshot file {@value #SNAPSHOT_FILE} in the partition directory, big-endian, written atomically:
 * <pre>
 *   int   magic "HPS1"
 *   long  offset          the state reflects every batch below this offset and none at or above it
 *   int   producerCount
 *   producerCount × { long producerId, short epoch, long lastWriteMs, int batchCount,
 *                     batchCount × { int firstSequence, int lastSequence, long baseOffset, long lastOffset,
 *                                    long logAppendTime } }            (oldest batch first)
 *   int   CRC-32C of every byte above
 * </pre>
 * A missing or damaged snapshot, or one whose offset lies beyond the recovered log end (a power cut cut the
 * log below it), is ignored and the state rebuilt from the whole log.
 *
 * <p>Thread-safety: none of its own; the {@link LogLoader} builds it before the partition is published, and
 * from then on every call runs under the owning partition's append lock.
 */
final class ProducerStateTable {

    static final String SNAPSHOT_FILE = "producer-state.snapshot";
    /** Kafka producers keep at most five batches in flight per partition. */
    static final int RETAINED_BATCHES = 5;
    /** Kafka's {@code producer.id.expiration.ms} default. */
    static final long PRODUCER_ID_EXPIRATION_MS = 86_400_000L;

    private static final int MAGIC = 0x48505331;
    private static final int ENTRY_HEADER_BYTES = 8 + 2 + 8 + 4;
    private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8;

    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** The offset the newest snapshot (written or loaded) covers; -1 when there is none. */
    private long snapshotOffset = -1;

    /**
     * Checks batches about to be appended (all from the producer of {@code first}) to {@code topic}-{@code partition},
     * named only in an exception's message, so the check allocates nothing on the append path.
     *
     * @return the original result when they are a retry of a retained batch; null when they are to be appended
     * @throws InvalidProducerEpochException the producer's epoch is older than the newest seen
     * @throws OutOfOrderSequenceException   the sequences do not follow the producer's last batch
     */
    AppendResult checkAppend(RecordBatch first, RecordBatch last, String topic, int partition) {
        if (!first.hasProducerId() || first.baseSequence() == RecordBatch.NO_SEQUENCE) {
            return null;
        }
        ProducerEntry entry = producers.get(first.producerId());
        if (entry == null) {
            // Unknown (new, or expired): accepted whatever its sequence, as Kafka does.
            return null;
        }
        short epoch = first.producerEpoch();
        if (epoch < entry.epoch) {
            throw new InvalidProducerEpochException("Producer " + first.producerId() + " wrote to " + topic + "-"
                    + partition + " with epoch " + epoch + ", older than its current epoch " + entry.epoch);
        }
        int firstSequence = first.baseSequence();
        if (epoch > entry.epoch) {
            if (firstSequence != 0) {
                throw new OutOfOrderSequenceException("Producer " + first.producerId() + " started epoch " + epoch
                        + " in " + topic + "-" + partition + " at sequence " + firstSequence + " instead of 0");
            }
            return null;
        }
        int lastSequence = last.lastSequence();
        for (RetainedBatch retained : entry.batches) {
            if (retained.firstSequence == firstSequence && retained.lastSequence == lastSequence) {
                return retained.result;
            }
        }
        int expected = entry.batches.isEmpty() ? 0 : nextSequence(entry.batches.peekLast().lastSequence);
        if (firstSequence != expected && !entry.batches.isEmpty()) {
            throw new OutOfOrderSequenceException("Producer " + first.producerId() + " sent sequence " + firstSequence
                    + " to " + topic + "-" + partition + " but " + expected + " was expected");
        }
        return null;
    }

    /** Records batches just appended with the offsets they were given. */
    void onAppend(RecordBatch first, RecordBatch last, AppendResult result, long nowMs) {
        if (!first.hasProducerId() || first.baseSequence() == RecordBatch.NO_SEQUENCE) {
            return;
        }
        entryFor(first.producerId(), first.producerEpoch(), nowMs)
                .remember(new RetainedBatch(first.baseSequence(), last.lastSequence(), result));
    }

    /** Records a batch found in the log while rebuilding the state; {@code nowMs} counts as its write time. */
    void replay(RecordBatch batch, long nowMs) {
        if (!batch.hasProducerId()) {
            return;
        }
        if (batch.isControlBatch()) {
            onMarker(batch.producerId(), batch.producerEpoch(), nowMs);
            return;
        }
        if (batch.baseSequence() == RecordBatch.NO_SEQUENCE) {
            return;
        }
        ProducerEntry entry = producers.get(batch.producerId());
        if (entry != null && batch.producerEpoch() < entry.epoch) {
            return;
        }
        long appendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp() : -1;
        entryFor(batch.producerId(), batch.producerEpoch(), nowMs).remember(new RetainedBatch(batch.baseSequence(),
                batch.lastSequence(), new AppendResult(batch.baseOffset(), batch.lastOffset(), appendTime, -1)));
    }

    /**
     * A transaction marker written with {@code epoch}: a newer epoch (the coordinator fencing a timed-out
     * producer) fences older writers, and the producer starts again from sequence 0.
     */
    void onMarker(long producerId, short epoch, long nowMs) {
        entryFor(producerId, epoch, nowMs);
    }

    private ProducerEntry entryFor(long producerId, short epoch, long nowMs) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null || epoch > entry.epoch) {
            entry = new ProducerEntry(epoch);
            producers.put(producerId, entry);
        }
        entry.lastWriteMs = Math.max(entry.lastWriteMs, nowMs);
        return entry;
    }

    /**
     * Forgets producers that wrote nothing for {@code expirationMs}, except those with an open transaction.
     *
     * @return how many were forgotten
     */
    int removeExpired(long nowMs, long expirationMs, Set<Long> openTransactions) {
        int removed = 0;
        for (Iterator<Map.Entry<Long, ProducerEntry>> it = producers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, ProducerEntry> entry = it.next();
            if (nowMs - entry.getValue().lastWriteMs > expirationMs && !openTransactions.contains(entry.getKey())) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /**
     * Every producer known here, with the first offset of its open transaction from {@code openTransactions}
     * (producer id to first offset); a producer with an open transaction but no state is listed too.
     */
    java.util.List<dev.hearth.engine.ActiveProducer> describe(Map<Long, Long> openTransactions) {
        java.util.List<dev.hearth.engine.ActiveProducer> described = new java.util.ArrayList<>();
        for (Map.Entry<Long, ProducerEntry> producer : producers.entrySet()) {
            ProducerEntry entry = producer.getValue();
            described.add(new dev.hearth.engine.ActiveProducer(producer.getKey(), entry.epoch,
                    entry.batches.isEmpty() ? -1 : entry.batches.peekLast().lastSequence, entry.lastWriteMs,
                    openTransactions.getOrDefault(producer.getKey(), -1L)));
        }
        openTransactions.forEach((producerId, firstOffset) -> {
            if (!producers.containsKey(producerId)) {
                described.add(new dev.hearth.engine.ActiveProducer(producerId, (short) -1, -1, -1, firstOffset));
            }
        });
        return described;
    }

    long snapshotOffset() {
        return snapshotOffset;
    }

    /** The largest producer id this partition knows, or -1. */
    long maxProducerId() {
        long max = -1;
        for (long producerId : producers.keySet()) {
            max = Math.max(max, producerId);
        }
        return max;
    }

    /** Writes the state as of {@code offset} (every batch below it has been recorded) to {@code dir}. */
    void writeSnapshot(Path dir, long offset) throws IOException {
        int size = 4 + 8 + 4 + 4;
        for (ProducerEntry entry : producers.values()) {
            size += ENTRY_HEADER_BYTES + entry.batches.size() * BATCH_BYTES;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(MAGIC).putLong(offset).putInt(producers.size());
        for (Map.Entry<Long, ProducerEntry> producer : producers.entrySet()) {
            ProducerEntry entry = producer.getValue();
            buffer.putLong(producer.getKey()).putShort(entry.epoch).putLong(entry.lastWriteMs)
                    .putInt(entry.batches.size());
            for (RetainedBatch batch : entry.batches) {
                buffer.putInt(batch.firstSequence).putInt(batch.lastSequence).putLong(batch.result.baseOffset())
                        .putLong(batch.result.lastOffset()).putLong(batch.result.logAppendTime());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        AtomicFiles.write(dir.resolve(SNAPSHOT_FILE), buffer.array());
        snapshotOffset = offset;
    }

    /**
     * Loads the snapshot in {@code dir} if it is intact and its offset lies within the recovered log.
     *
     * @return the offset replay must start from: the snapshot's, or {@code logStartOffset} when there is no
     *         usable snapshot (the state is then empty)
     */
    long loadSnapshot(Path dir, long logStartOffset, long logEndOffset) throws IOException {
        producers.clear();
        snapshotOffset = -1;
        byte[] content;
        try {
            content = Files.readAllBytes(dir.resolve(SNAPSHOT_FILE));
        } catch (NoSuchFileException e) {
            return logStartOffset;
        }
        ByteBuffer buffer = ByteBuffer.wrap(content);
        try {
            CRC32C crc = new CRC32C();
            crc.update(content, 0, content.length - 4);
            if (content.length < 20 || buffer.getInt(content.length - 4) != (int) crc.getValue()
                    || buffer.getInt() != MAGIC) {
                return logStartOffset;
            }
            long offset = buffer.getLong();
            if (offset > logEndOffset) {
                return logStartOffset;
            }
            int count = buffer.getInt();
            for (int i = 0; i < count; i++) {
                long producerId = buffer.getLong();
                ProducerEntry entry = new ProducerEntry(buffer.getShort());
                entry.lastWriteMs = buffer.getLong();
                int batches = buffer.getInt();
                for (int b = 0; b < batches; b++) {
                    int firstSequence = buffer.getInt();
                    int lastSequence = buffer.getInt();
                    entry.remember(new RetainedBatch(firstSequence, lastSequence,
                            new AppendResult(buffer.getLong(), buffer.getLong(), buffer.getLong(), -1)));
                }
                producers.put(producerId, entry);
            }
            snapshotOffset = offset;
            return Math.max(offset, logStartOffset);
        } catch (RuntimeException e) {
            // A torn or foreign file (IndexOutOfBounds, BufferUnderflow): rebuild from the log instead.
            producers.clear();
            return logStartOffset;
        }
    }

    private static int nextSequence(int sequence) {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }

    /** One producer's state in this partition. */
    private static final class ProducerEntry {
        private final short epoch;
        private final ArrayDeque<RetainedBatch> batches = new ArrayDeque<>(RETAINED_BATCHES);
        /** Broker wall-clock milliseconds of its last write (or of the load that replayed it). */
        private long lastWriteMs;

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }

        void remember(RetainedBatch batch) {
            if (batches.size() == RETAINED_BATCHES) {
                batches.removeFirst();
            }
            batches.addLast(batch);
        }
    }

    /** A batch's sequence range and the result its append returned. */
    private record RetainedBatch(int firstSequence, int lastSequence, AppendResult result) {
    }
}
