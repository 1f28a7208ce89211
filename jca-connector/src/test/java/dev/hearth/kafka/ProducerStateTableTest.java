package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.AppendResult;
import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.LogEngine;

/** The idempotent producer's guarantees: a retried batch is not appended twice; gaps and fenced epochs are refused. */
class ProducerStateTableTest {

    @TempDir
    Path dataDir;

    private LogEngine engine;
    private final ProducerStateTable table = new ProducerStateTable();

    @BeforeEach
    void open() {
        engine = LogEngine.open(EngineConfig.defaults(dataDir));
        engine.createTopic("idem", 1, Map.of());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aRetriedBatchGetsItsOriginalOffsetsAndIsNotAppendedAgain() {
        AppendResult first = append(7L, (short) 0, 0, 3);
        AppendResult second = append(7L, (short) 0, 3, 2);
        AppendResult retryOfFirst = append(7L, (short) 0, 0, 3);
        assertEquals(first, retryOfFirst, "the retry is answered with the original result");
        assertEquals(5, engine.describePartition("idem", 0).logEndOffset(), "only 3 + 2 records were appended");
        assertEquals(3, second.baseOffset(), "the second batch follows the first");
    }

    @Test
    void aSequenceGapIsRefused() {
        append(8L, (short) 0, 0, 2);
        assertThrows(OutOfOrderSequenceException.class, () -> append(8L, (short) 0, 5, 1),
                "sequence 5 after 0..1 leaves a gap");
        assertEquals(2, engine.describePartition("idem", 0).logEndOffset(), "the refused batch was not appended");
    }

    @Test
    void anOlderEpochIsFenced() {
        append(9L, (short) 2, 0, 1);
        assertThrows(InvalidProducerEpochException.class, () -> append(9L, (short) 1, 1, 1),
                "epoch 1 after epoch 2 is a zombie producer");
    }

    @Test
    void batchesWithoutProducerIdAreAppendedAsTheyCome() {
        MemoryRecords plain = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()));
        table.appendIdempotent("idem", 0, plain, () -> engine.append("idem", 0, plain));
        MemoryRecords again = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()));
        table.appendIdempotent("idem", 0, again, () -> engine.append("idem", 0, again));
        assertEquals(2, engine.describePartition("idem", 0).logEndOffset(), "without a producer id nothing is deduplicated");
    }

    private AppendResult append(long producerId, short epoch, int baseSequence, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(("r" + (baseSequence + i)).getBytes());
        }
        MemoryRecords batch = MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, baseSequence, records);
        // The engine rewrites offsets in place: give each attempt its own copy, as each request has its own buffer.
        MemoryRecords copy = MemoryRecords.readableRecords(ByteBuffer.wrap(batch.buffer().array().clone()));
        return table.appendIdempotent("idem", 0, copy, () -> engine.append("idem", 0, copy));
    }
}
