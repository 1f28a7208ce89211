package dev.hearth.group;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * One record of the offsets topic: a group's committed offset for a partition, or the deletion of it.
 *
 * <p>The encoding is Kafka's own ({@code OffsetCommitKey} version 1, {@code OffsetCommitValue} version 3), so
 * Kafka's tools read the topic and Kafka's offset records could be replayed here. Integers are big-endian;
 * a string is an int16 byte length followed by that many bytes of UTF-8.
 * <pre>
 * key   = int16 keyVersion (1) | string group | string topic | int32 partition
 * value = int16 valueVersion (3) | int64 offset | int32 leaderEpoch | string metadata | int64 commitTimestamp
 *       | null                      a tombstone: the group's offset for the partition was deleted
 * </pre>
 * Values of versions 0 to 2 (no leader epoch; version 1 adds an int64 expire timestamp) are read as well.
 * Keys of other versions (Kafka uses 2 and up for group metadata) are not offset commits.
 *
 * @param offset the committed offset, or null for a tombstone
 */
record OffsetCommitRecord(String groupId, TopicPartitionKey partition, CommittedOffset offset) {

    /** Longest string, in UTF-8 bytes, that the int16 length prefix can describe. */
    static final int MAX_STRING_BYTES = Short.MAX_VALUE;

    private static final short KEY_VERSION = 1;
    private static final short VALUE_VERSION = 3;

    OffsetCommitRecord {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(partition, "partition");
    }

    static OffsetCommitRecord commit(String groupId, TopicPartitionKey partition, CommittedOffset offset) {
        return new OffsetCommitRecord(groupId, partition, Objects.requireNonNull(offset, "offset"));
    }

    static OffsetCommitRecord tombstone(String groupId, TopicPartitionKey partition) {
        return new OffsetCommitRecord(groupId, partition, null);
    }

    boolean isTombstone() {
        return offset == null;
    }

    /**
     * This record as it is appended, stamped {@code timestampMs}.
     *
     * @throws IllegalArgumentException a string is longer than {@link #MAX_STRING_BYTES} in UTF-8
     */
    SimpleRecord toSimpleRecord(long timestampMs) {
        return new SimpleRecord(timestampMs, key(), offset == null ? null : value());
    }

    private byte[] key() {
        byte[] group = utf8(groupId, "group id");
        byte[] topic = utf8(partition.topic(), "topic");
        ByteBuffer key = ByteBuffer.allocate(2 + 2 + group.length + 2 + topic.length + 4);
        key.putShort(KEY_VERSION);
        putString(key, group);
        putString(key, topic);
        key.putInt(partition.partition());
        return key.array();
    }

    private byte[] value() {
        byte[] metadata = utf8(offset.metadata(), "offset metadata");
        ByteBuffer value = ByteBuffer.allocate(2 + 8 + 4 + 2 + metadata.length + 8);
        value.putShort(VALUE_VERSION);
        value.putLong(offset.offset());
        value.putInt(offset.leaderEpoch());
        putString(value, metadata);
        value.putLong(offset.commitTimestampMs());
        return value.array();
    }

    /**
     * Decodes a record read from the offsets topic.
     *
     * @return the offset commit or tombstone, or null when the record is of another kind (group metadata)
     * @throws IllegalArgumentException the record is not a well-formed offset record
     */
    static OffsetCommitRecord parse(Record record) {
        if (!record.hasKey()) {
            throw new IllegalArgumentException("record has no key");
        }
        try {
            ByteBuffer key = record.key().duplicate();
            short keyVersion = key.getShort();
            if (keyVersion != 0 && keyVersion != 1) {
                return null;
            }
            String groupId = getRequiredString(key, "group id");
            String topic = getRequiredString(key, "topic");
            TopicPartitionKey partition = new TopicPartitionKey(topic, key.getInt());
            if (!record.hasValue()) {
                return tombstone(groupId, partition);
            }
            return commit(groupId, partition, parseValue(record.value().duplicate()));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("record ends before its last field");
        }
    }

    private static CommittedOffset parseValue(ByteBuffer value) {
        short version = value.getShort();
        if (version < 0 || version > VALUE_VERSION) {
            throw new IllegalArgumentException("unsupported offset commit value version " + version);
        }
        long offset = value.getLong();
        int leaderEpoch = version >= 3 ? value.getInt() : CommittedOffset.NO_LEADER_EPOCH;
        String metadata = getString(value);
        long commitTimestamp = value.getLong();
        return new CommittedOffset(offset, leaderEpoch, metadata == null ? "" : metadata, commitTimestamp);
    }

    private static byte[] utf8(String text, String what) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes in UTF-8; at most "
                    + MAX_STRING_BYTES + " fit in an offset record");
        }
        return bytes;
    }

    private static void putString(ByteBuffer buffer, byte[] utf8) {
        buffer.putShort((short) utf8.length);
        buffer.put(utf8);
    }

    /** A string field; null for Kafka's null string (length -1). */
    private static String getString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            if (length == -1) {
                return null;
            }
            throw new IllegalArgumentException("string length " + length);
        }
        if (length > buffer.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] utf8 = new byte[length];
        buffer.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static String getRequiredString(ByteBuffer buffer, String what) {
        String text = getString(buffer);
        if (text == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return text;
    }
}
