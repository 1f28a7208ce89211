package dev.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

/**
 * A full disk on a real (loop-mounted ext4) file system: an append that does not fit is rejected cleanly and
 * nothing half-written is ever read back; acknowledged records stay readable; the engine reports the problem;
 * a restart while the disk is full works; once space is freed appends resume by themselves, and an idempotent
 * producer's retried batch lands exactly once.
 */
class DiskFullTest {

    private static final String TOPIC = "full";
    private static final int VALUE_BYTES = 20_000;
    private static final long PRODUCER_ID = 77L;

    @TempDir
    Path workDir;

    @Test
    void aFullDiskRejectsAppendsCleanlyAndAppendsResumeOnceSpaceIsFreed() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(workDir, 24)) {
            Path dataDir = fs.root().resolve("data");
            Path ballast = fs.root().resolve("ballast");
            Files.write(ballast, new byte[6 << 20]);
            List<Integer> acknowledged = new ArrayList<>();
            int sequence = 0;
            try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir))) {
                engine.createTopic(TOPIC, 2, Map.of(TopicConfig.SEGMENT_BYTES, Integer.toString(1 << 20)));
                HearthException refused = null;
                while (refused == null) {
                    try {
                        engine.append(TOPIC, 0, batch(sequence, 3));
                        acknowledged.addAll(List.of(sequence, sequence + 1, sequence + 2));
                        sequence += 3;
                    } catch (HearthException e) {
                        refused = e;
                    }
                    if (sequence > 100_000) {
                        fail("the 24 MiB file system never filled up");
                    }
                }
                assertInstanceOf(DiskFullException.class, refused, "the append is refused for lack of space: " + refused);
                assertTrue(engine.offlinePartitions().isEmpty(), "a full disk takes no partition offline");
                assertTrue(engine.storageProblem().isPresent(), "the engine reports the full disk");
                assertEquals(acknowledged, values(engine, 0), "every acknowledged record is readable, nothing half-written");
                for (int attempt = 0; attempt < 3; attempt++) {
                    int retried = sequence;
                    assertInstanceOf(DiskFullException.class, assertThrowsHearth(() -> engine.append(TOPIC, 0, batch(retried, 3))),
                            "appends keep being refused cleanly while the disk is full");
                }
                assertEquals(acknowledged, values(engine, 0), "refused appends left nothing behind");
            }
            try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir))) {
                assertTrue(engine.offlinePartitions().isEmpty(), "a restart on a full disk brings every partition back");
                assertEquals(acknowledged, values(engine, 0), "after the restart every acknowledged record is there");
                Files.delete(ballast);
                // The batch refused above is retried by its idempotent producer once space is back, then once more
                // as if the first answer had been lost: it must land exactly once.
                engine.append(TOPIC, 0, batch(sequence, 3));
                engine.append(TOPIC, 0, batch(sequence, 3));
                acknowledged.addAll(List.of(sequence, sequence + 1, sequence + 2));
                assertFalse(engine.storageProblem().isPresent(), "the problem clears once appends succeed again");
                engine.append(TOPIC, 1, batch(0, 1));
                assertEquals(acknowledged, values(engine, 0), "appends resumed, and the retried batch is there once");
            }
            try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir))) {
                assertEquals(acknowledged, values(engine, 0), "and all of it survives a further restart");
            }
        }
    }

    private static HearthException assertThrowsHearth(Runnable append) {
        try {
            append.run();
        } catch (HearthException e) {
            return e;
        }
        throw new AssertionError("the append was expected to be refused");
    }

    /** Records {@code first .. first+count-1} of one idempotent producer, each value naming its sequence. */
    private static MemoryRecords batch(int first, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[VALUE_BYTES];
            Arrays.fill(value, (byte) 'x');
            byte[] sequence = Integer.toString(first + i).getBytes();
            System.arraycopy(sequence, 0, value, 0, sequence.length);
            value[sequence.length] = ' ';
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, value);
        }
        MemoryRecords batch = MemoryRecords.withIdempotentRecords(Compression.NONE, PRODUCER_ID, (short) 0, first, records);
        return MemoryRecords.readableRecords(ByteBuffer.wrap(batch.buffer().array().clone()));
    }

    private static List<Integer> values(LogEngine engine, int partition) {
        List<Integer> values = new ArrayList<>();
        for (Record record : EngineTestSupport.readAll(engine, TOPIC, partition)) {
            String value = EngineTestSupport.valueOf(record);
            values.add(Integer.parseInt(value.substring(0, value.indexOf(' '))));
        }
        return values;
    }
}
