package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.ALL_BYTES;
import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.batches;
import static dev.hearth.engine.EngineTestSupport.concat;
import static dev.hearth.engine.EngineTestSupport.config;
import static dev.hearth.engine.EngineTestSupport.readAll;
import static dev.hearth.engine.EngineTestSupport.record;
import static dev.hearth.engine.EngineTestSupport.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineTestSupport.ManualClock;
import dev.hearth.engine.log.LogEngine;

/** What {@link LogEngine#append} refuses, atomically, and what it rewrites (LogAppendTime). */
class AppendValidationTest {

    private static final String TOPIC = "validated";

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock(T0 + 123_456);
    private LogEngine engine;

    @BeforeEach
    void open() {
        engine = LogEngine.open(config(dataDir), clock);
        engine.createTopic(TOPIC, 1, Map.of());
        engine.append(TOPIC, 0, batch(T0, "before"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** A copy of {@code records} with one byte flipped; the last byte lies in the CRC-covered records. */
    private static MemoryRecords withFlippedByte(MemoryRecords records, int position) {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        buffer.put(records.buffer().duplicate()).flip();
        buffer.put(position, (byte) ~buffer.get(position));
        return MemoryRecords.readableRecords(buffer);
    }

    private long logEndOffset() {
        return engine.describePartition(TOPIC, 0).logEndOffset();
    }

    private long sizeInBytes() {
        return engine.describePartition(TOPIC, 0).sizeInBytes();
    }

    @Test
    void aBatchWithABadCrcIsRejectedAndNothingIsAppended() {
        MemoryRecords valid = batch(T0, "x", "y");
        MemoryRecords corrupt = withFlippedByte(valid, valid.sizeInBytes() - 1);
        long sizeBefore = sizeInBytes();

        assertThrows(InvalidRecordException.class, () -> engine.append(TOPIC, 0, corrupt),
                "a batch whose CRC does not match its bytes is invalid");
        assertEquals(1, logEndOffset(), "a rejected batch takes no offsets");
        assertEquals(sizeBefore, sizeInBytes(), "a rejected batch writes no bytes");
    }

    @Test
    void aCorruptBatchAfterAValidOneRejectsTheWholeRequest() {
        MemoryRecords second = batch(T0, "c");
        MemoryRecords request = concat(batch(T0, "a", "b"), withFlippedByte(second, second.sizeInBytes() - 1));

        assertThrows(InvalidRecordException.class, () -> engine.append(TOPIC, 0, request),
                "one corrupt batch makes the request invalid");
        assertEquals(1, logEndOffset(), "the valid batch in front of the corrupt one is not appended either");
        assertEquals(List.of("before"), readAll(engine, TOPIC, 0).stream().map(EngineTestSupport::valueOf).toList(),
                "the partition holds only what was there before");
    }

    @Test
    void trailingBytesAndEmptyRequestsAreRejected() {
        MemoryRecords valid = batch(T0, "a");
        ByteBuffer withTail = ByteBuffer.allocate(valid.sizeInBytes() + 5);
        withTail.put(valid.buffer().duplicate()).put(new byte[5]).flip();

        assertThrows(InvalidRecordException.class, () -> engine.append(TOPIC, 0, MemoryRecords.readableRecords(withTail)),
                "bytes after the last whole batch make the request invalid");
        assertThrows(InvalidRecordException.class, () -> engine.append(TOPIC, 0, MemoryRecords.EMPTY),
                "a request without a batch is invalid");
        assertEquals(1, logEndOffset(), "rejected requests take no offsets");
    }

    @Test
    void aBatchLargerThanMaxMessageBytesIsRejected() {
        int batchBytes = sizedBatch(T0, 500).sizeInBytes();
        engine.alterConfig(TOPIC, Map.of(TopicConfig.MAX_MESSAGE_BYTES, Integer.toString(batchBytes - 1)));

        assertThrows(RecordTooLargeException.class, () -> engine.append(TOPIC, 0, sizedBatch(T0, 500)),
                "a batch one byte over max.message.bytes is too large");
        assertEquals(1, logEndOffset(), "a too-large batch takes no offsets");

        engine.alterConfig(TOPIC, Map.of(TopicConfig.MAX_MESSAGE_BYTES, Integer.toString(batchBytes)));
        assertEquals(1, engine.append(TOPIC, 0, sizedBatch(T0, 500)).baseOffset(),
                "a batch exactly max.message.bytes long is accepted");
    }

    @Test
    void logAppendTimeTopicsStampTheBrokerTimeIntoTheBatch() {
        engine.createTopic("stamped", 1, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        long brokerTime = clock.getAsLong();

        AppendResult result = engine.append("stamped", 0, batch(record(T0, "k", "a"), record(T0 + 7, "k", "b")));

        assertEquals(brokerTime, result.logAppendTime(), "the append reports the broker time it stamped");
        RecordBatch stored = batches(engine.read("stamped", 0, 0, ALL_BYTES).records()).get(0);
        stored.ensureValid();
        assertEquals(TimestampType.LOG_APPEND_TIME, stored.timestampType(),
                "the stored batch is marked LogAppendTime so clients ignore the producer's timestamps");
        assertEquals(brokerTime, stored.maxTimestamp(), "the batch's max timestamp is the broker time");
        for (Record record : stored) {
            assertEquals(brokerTime, record.timestamp(), "every record reads back with the broker time");
        }

        clock.advance(5000);
        assertEquals(brokerTime + 5000, engine.append("stamped", 0, batch(T0, "c")).logAppendTime(),
                "each append stamps the clock's time at that append");
    }

    @Test
    void createTimeTopicsKeepTheProducerTimestamps() {
        AppendResult result = engine.append(TOPIC, 0, batch(record(T0 - 5, "k", "a")));

        assertEquals(-1, result.logAppendTime(), "a CreateTime topic stamps nothing");
        RecordBatch stored = batches(engine.read(TOPIC, 0, 1, ALL_BYTES).records()).get(0);
        assertEquals(TimestampType.CREATE_TIME, stored.timestampType(), "the batch keeps its CreateTime type");
        assertEquals(T0 - 5, stored.iterator().next().timestamp(), "the producer's timestamp is kept");
    }
}
