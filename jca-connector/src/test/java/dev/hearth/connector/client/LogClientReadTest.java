package dev.hearth.connector.client;

import static dev.hearth.engine.EngineTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineTestSupport;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.engine.log.TopicAutoCreation;

/**
 * Reading committed records for message-driven beans and HTTP members: a reader steps over a fetch's worth of
 * aborted transactional data and markers instead of stalling on an empty answer.
 */
class LogClientReadTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dataDir;

    private LogEngine engine;
    private EngineClient client;

    @BeforeEach
    void open() {
        engine = LogEngine.open(EngineTestSupport.config(dataDir));
        engine.createTopic("orders", 1, Map.of());
        client = new EngineClient(engine, null, "hearth", null, 0, new TopicAutoCreation(false, 1));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aReaderStepsOverAnAbortedTransactionLargerThanOneFetch() {
        for (int i = 0; i < 50; i++) {
            engine.append("orders", 0, MemoryRecords.withTransactionalRecords(Compression.NONE, 7L, (short) 0, i * 4,
                    record(T0, "k", "aborted-" + i + "-a"), record(T0, "k", "aborted-" + i + "-b"),
                    record(T0, "k", "aborted-" + i + "-c"), record(T0, "k", "aborted-" + i + "-d")));
        }
        engine.writeTransactionMarker("orders", 0, 7L, (short) 0, false);
        engine.append("orders", 0, MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(T0, null,
                "committed".getBytes(StandardCharsets.UTF_8))));

        long position = 0;
        int emptyReads = 0;
        LogClient.ReadBatch read = client.readBatch("orders", 0, position, 100, 1024);
        while (read.records().isEmpty()) {
            assertTrue(read.nextOffset() > position, "each empty read moves the position: stuck at " + position);
            position = read.nextOffset();
            emptyReads++;
            read = client.readBatch("orders", 0, position, 100, 1024);
        }
        assertTrue(emptyReads > 1, "the aborted data spans several fetches of 1 KiB");
        assertEquals(1, read.records().size());
        assertEquals("committed", new String(read.records().get(0).value(), StandardCharsets.UTF_8));
        assertEquals(201, read.records().get(0).offset(), "200 aborted records and the marker come first");
        assertEquals(202, read.nextOffset());
        assertEquals(202, client.readBatch("orders", 0, 202, 100, 1024).nextOffset(), "at the log end it stays put");
    }

    @Test
    void aFullReadEndsAtTheFirstRecordNotReturned() {
        engine.append("orders", 0, EngineTestSupport.batch(T0, "a", "b", "c", "d"));
        LogClient.ReadBatch read = client.readBatch("orders", 0, 1, 2, 1 << 20);
        assertEquals(2, read.records().size());
        assertEquals(1, read.records().get(0).offset());
        assertEquals(3, read.nextOffset());
    }
}
