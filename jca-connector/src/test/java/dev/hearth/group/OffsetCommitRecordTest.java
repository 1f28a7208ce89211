package dev.hearth.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** The offsets topic's record format: Kafka's OffsetCommitKey v1 and OffsetCommitValue v3, byte for byte. */
class OffsetCommitRecordTest {

    private static final TopicPartitionKey PARTITION = new TopicPartitionKey("orders", 3);

    /** The records of one batch holding {@code records}, as a reader of the topic sees them. */
    private static List<Record> written(SimpleRecord... records) {
        List<Record> read = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.withRecords(Compression.NONE, records).batches()) {
            batch.forEach(read::add);
        }
        return read;
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void aCommitIsWrittenInKafkasLayout() {
        OffsetCommitRecord commit = OffsetCommitRecord.commit("g", PARTITION, new CommittedOffset(42, 5, "mé", 1_000));

        SimpleRecord record = commit.toSimpleRecord(1_000);

        ByteBuffer key = ByteBuffer.allocate(2 + 2 + 1 + 2 + 6 + 4)
                .putShort((short) 1).putShort((short) 1).put((byte) 'g')
                .putShort((short) 6).put("orders".getBytes(StandardCharsets.US_ASCII)).putInt(3);
        ByteBuffer value = ByteBuffer.allocate(2 + 8 + 4 + 2 + 3 + 8)
                .putShort((short) 3).putLong(42).putInt(5)
                .putShort((short) 3).put("mé".getBytes(StandardCharsets.UTF_8)).putLong(1_000);
        assertArrayEquals(key.array(), bytesOf(record.key()), "key: version 1, group, topic, partition");
        assertArrayEquals(value.array(), bytesOf(record.value()),
                "value: version 3, offset, leader epoch, metadata (UTF-8 length), commit timestamp");
        assertEquals(1_000, record.timestamp(), "the record is stamped with the commit time");
    }

    @Test
    void commitsAndTombstonesReadBackAsWritten() {
        OffsetCommitRecord commit = OffsetCommitRecord.commit("group-ü", PARTITION, new CommittedOffset(7, -1, "", 99));
        OffsetCommitRecord tombstone = OffsetCommitRecord.tombstone("group-ü", PARTITION);

        List<Record> read = written(commit.toSimpleRecord(99), tombstone.toSimpleRecord(100));

        assertEquals(commit, OffsetCommitRecord.parse(read.get(0)), "a commit reads back equal");
        OffsetCommitRecord parsedTombstone = OffsetCommitRecord.parse(read.get(1));
        assertEquals(tombstone, parsedTombstone, "a tombstone reads back equal");
        assertTrue(parsedTombstone.isTombstone(), "a null value is a deletion");
    }

    @Test
    void olderValueVersionsAreRead() {
        byte[] key = OffsetCommitRecord.tombstone("g", PARTITION).toSimpleRecord(0).key().array();
        ByteBuffer v1 = ByteBuffer.allocate(2 + 8 + 2 + 2 + 8 + 8)
                .putShort((short) 1).putLong(12).putShort((short) 2).put("md".getBytes(StandardCharsets.US_ASCII))
                .putLong(500).putLong(900);

        OffsetCommitRecord parsed = OffsetCommitRecord.parse(written(new SimpleRecord(0, key, v1.array())).get(0));

        assertEquals(new CommittedOffset(12, -1, "md", 500), parsed.offset(),
                "version 1 has no leader epoch and an expire timestamp that is ignored");
    }

    @Test
    void groupMetadataRecordsAreNotOffsetsAndGarbageIsRefused() {
        byte[] groupMetadataKey = ByteBuffer.allocate(2 + 2 + 1).putShort((short) 2).putShort((short) 1).put((byte) 'g').array();
        byte[] truncatedKey = ByteBuffer.allocate(2 + 2 + 1).putShort((short) 1).putShort((short) 9).put((byte) 'g').array();

        assertNull(OffsetCommitRecord.parse(written(new SimpleRecord(0, groupMetadataKey, new byte[] {0, 3})).get(0)),
                "key version 2 is Kafka's group metadata: not an offset commit");
        assertThrows(IllegalArgumentException.class,
                () -> OffsetCommitRecord.parse(written(new SimpleRecord(0, truncatedKey, null)).get(0)),
                "a key shorter than its lengths say is malformed");
        assertThrows(IllegalArgumentException.class,
                () -> OffsetCommitRecord.parse(written(new SimpleRecord(0, null, new byte[] {1})).get(0)),
                "a record without key is malformed");
    }
}
