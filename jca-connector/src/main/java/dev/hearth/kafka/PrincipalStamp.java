package dev.hearth.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Stamps the producing principal on every record of a produce request, as the header a topic's
 * {@code hearth.principal.header} names: value {@code User:alice} in UTF-8. A header of that name that the client
 * sent is dropped first, so the stamp cannot be forged; the other headers keep their order.
 *
 * <p>Each batch is rebuilt with everything that identifies it kept: magic, compression codec (at its default level),
 * timestamp type, producer id, epoch, base sequence, transactional flag, partition leader epoch and every record's
 * offset delta and timestamp, so idempotence and transactions see the batch the client sent. The CRC is new. Only
 * topics that opt in pay for the copy (and, for a compressed batch, for decompressing and compressing it again).
 * Batches of format v0/v1 (which have no headers) and control batches are kept as sent.
 *
 * <p>Thread-safety: stateless.
 */
final class PrincipalStamp {

    private PrincipalStamp() {
    }

    static MemoryRecords stamp(MemoryRecords records, String headerName, String principal) {
        byte[] value = principal.getBytes(StandardCharsets.UTF_8);
        List<ByteBuffer> rebuilt = new ArrayList<>();
        int size = 0;
        for (MutableRecordBatch batch : records.batches()) {
            ByteBuffer built = batch.magic() < RecordBatch.MAGIC_VALUE_V2 || batch.isControlBatch()
                    ? copy(batch) : rebuild(batch, headerName, value);
            rebuilt.add(built);
            size += built.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        rebuilt.forEach(all::put);
        all.flip();
        return MemoryRecords.readableRecords(all);
    }

    private static ByteBuffer rebuild(MutableRecordBatch batch, String headerName, byte[] principal) {
        long logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp()
                : RecordBatch.NO_TIMESTAMP;
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(batch.sizeInBytes() + 64),
                batch.magic(), Compression.of(batch.compressionType()).build(), batch.timestampType(),
                batch.baseOffset(), logAppendTime, batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                batch.isTransactional(), batch.partitionLeaderEpoch());
        for (Record record : batch) {
            List<Header> headers = new ArrayList<>(record.headers().length + 1);
            for (Header header : record.headers()) {
                if (!header.key().equals(headerName)) {
                    headers.add(header);
                }
            }
            headers.add(new RecordHeader(headerName, principal));
            builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(),
                    headers.toArray(Header[]::new));
        }
        return builder.build().buffer();
    }

    private static ByteBuffer copy(MutableRecordBatch batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
        batch.writeTo(copy);
        copy.flip();
        return copy;
    }
}
