package dev.hearth.txn;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.hearth.group.CommittedOffset;
import dev.hearth.group.TopicPartitionKey;

/**
 * One transactional id's state, as stored (last record wins) in {@code __transaction_state}: its producer
 * id and epoch, its state, the partitions written and the group offsets committed inside the open
 * transaction. Mutable; guarded by the coordinator's lock on this object.
 *
 * <p>Value format (version 1, big-endian): {@code short version, long producerId, short epoch, int
 * timeoutMs, byte state, long startMs, int partitionCount, (utf topic, int partition)*, int groupCount,
 * (utf group, int offsetCount, (utf topic, int partition, long offset, int leaderEpoch, utf metadata)*)*}.
 */
final class TransactionMetadata {

    private static final short VERSION = 1;

    final String transactionalId;
    long producerId;
    short producerEpoch;
    int timeoutMs;
    TransactionState state;
    long startMs;
    final Set<TopicPartitionKey> partitions = new LinkedHashSet<>();
    final Map<String, Map<TopicPartitionKey, CommittedOffset>> pendingOffsets = new LinkedHashMap<>();
    /** When this state was last written to {@code __transaction_state} (the record's timestamp); not encoded. */
    long lastUpdateMs;
    /**
     * Set once the id expired and was removed from the coordinator (its tombstone written): a caller that found
     * this object before the removal must not act on it. Not encoded.
     */
    boolean expired;

    TransactionMetadata(String transactionalId, long producerId, short producerEpoch, int timeoutMs) {
        this.transactionalId = transactionalId;
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.timeoutMs = timeoutMs;
        this.state = TransactionState.EMPTY;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(VERSION);
            out.writeLong(producerId);
            out.writeShort(producerEpoch);
            out.writeInt(timeoutMs);
            out.writeByte(state.ordinal());
            out.writeLong(startMs);
            out.writeInt(partitions.size());
            for (TopicPartitionKey partition : partitions) {
                out.writeUTF(partition.topic());
                out.writeInt(partition.partition());
            }
            out.writeInt(pendingOffsets.size());
            for (Map.Entry<String, Map<TopicPartitionKey, CommittedOffset>> group : pendingOffsets.entrySet()) {
                out.writeUTF(group.getKey());
                out.writeInt(group.getValue().size());
                for (Map.Entry<TopicPartitionKey, CommittedOffset> offset : group.getValue().entrySet()) {
                    out.writeUTF(offset.getKey().topic());
                    out.writeInt(offset.getKey().partition());
                    out.writeLong(offset.getValue().offset());
                    out.writeInt(offset.getValue().leaderEpoch());
                    out.writeUTF(offset.getValue().metadata());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TransactionMetadata decode(String transactionalId, ByteBuffer value) throws IOException {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            short version = in.readShort();
            if (version != VERSION) {
                throw new IOException("unknown transaction state version " + version);
            }
            TransactionMetadata metadata = new TransactionMetadata(transactionalId, in.readLong(), in.readShort(), in.readInt());
            metadata.state = TransactionState.values()[in.readByte()];
            metadata.startMs = in.readLong();
            int partitionCount = in.readInt();
            for (int i = 0; i < partitionCount; i++) {
                metadata.partitions.add(new TopicPartitionKey(in.readUTF(), in.readInt()));
            }
            int groupCount = in.readInt();
            for (int g = 0; g < groupCount; g++) {
                String group = in.readUTF();
                int offsetCount = in.readInt();
                Map<TopicPartitionKey, CommittedOffset> offsets = new LinkedHashMap<>();
                for (int i = 0; i < offsetCount; i++) {
                    TopicPartitionKey key = new TopicPartitionKey(in.readUTF(), in.readInt());
                    offsets.put(key, CommittedOffset.of(in.readLong(), in.readInt(), in.readUTF()));
                }
                metadata.pendingOffsets.put(group, offsets);
            }
            return metadata;
        }
    }
}
