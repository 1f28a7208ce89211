package dev.hearth.engine.internal;

import static dev.hearth.engine.EngineTestSupport.copyDirectory;
import static dev.hearth.engine.EngineTestSupport.flipByte;
import static dev.hearth.engine.EngineTestSupport.partitionDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.AppendResult;
import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.EngineTestSupport;
import dev.hearth.engine.InvalidProducerEpochException;
import dev.hearth.engine.OutOfOrderSequenceException;
import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.log.LogEngine;

/**
 * The idempotent producer's guarantees, and that they survive what a broker goes through: a crash (the files
 * of a live engine), a clean restart, retention deleting the producer's batches, a damaged snapshot, and
 * expiry after {@code producer.id.expiration.ms}.
 */
class ProducerStateTest {

    private static final String TOPIC = "idem";

    @TempDir
    Path root;

    private final EngineTestSupport.ManualClock clock = new EngineTestSupport.ManualClock(EngineTestSupport.T0);

    private LogEngine open(Path dataDir) {
        return LogEngine.open(EngineConfig.defaults(dataDir), clock);
    }

    @Test
    void aRetriedBatchGetsItsOriginalOffsetsAndIsNotAppendedAgain() {
        try (LogEngine engine = open(root.resolve("data"))) {
            engine.createTopic(TOPIC, 1, Map.of());
            AppendResult first = append(engine, 7L, (short) 0, 0, 3);
            AppendResult second = append(engine, 7L, (short) 0, 3, 2);
            AppendResult retryOfFirst = append(engine, 7L, (short) 0, 0, 3);
            assertEquals(first.baseOffset(), retryOfFirst.baseOffset(), "the retry is answered with the original offsets");
            assertEquals(first.lastOffset(), retryOfFirst.lastOffset(), "the retry is answered with the original offsets");
            assertEquals(5, engine.describePartition(TOPIC, 0).logEndOffset(), "only 3 + 2 records were appended");
            assertEquals(3, second.baseOffset(), "the second batch follows the first");
        }
    }

    @Test
    void aSequenceGapIsRefusedAndAnOlderEpochFenced() {
        try (LogEngine engine = open(root.resolve("data"))) {
            engine.createTopic(TOPIC, 1, Map.of());
            append(engine, 8L, (short) 2, 0, 2);
            assertThrows(OutOfOrderSequenceException.class, () -> append(engine, 8L, (short) 2, 5, 1),
                    "sequence 5 after 0..1 leaves a gap");
            assertThrows(InvalidProducerEpochException.class, () -> append(engine, 8L, (short) 1, 2, 1),
                    "epoch 1 after epoch 2 is a zombie producer");
            assertThrows(OutOfOrderSequenceException.class, () -> append(engine, 8L, (short) 3, 4, 1),
                    "a new epoch starts at sequence 0");
            assertEquals(2, engine.describePartition(TOPIC, 0).logEndOffset(), "no refused batch was appended");
        }
    }

    @Test
    void batchesWithoutProducerIdAreAppendedAsTheyCome() {
        try (LogEngine engine = open(root.resolve("data"))) {
            engine.createTopic(TOPIC, 1, Map.of());
            engine.append(TOPIC, 0, MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes())));
            engine.append(TOPIC, 0, MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes())));
            assertEquals(2, engine.describePartition(TOPIC, 0).logEndOffset(), "without a producer id nothing is deduplicated");
        }
    }

    @Test
    void afterACrashARetryIsAnsweredWithItsOriginalOffsetsAndSequencesStillChecked() throws IOException {
        Path live = root.resolve("live");
        Path crashed = root.resolve("crashed");
        AppendResult last;
        try (LogEngine engine = open(live)) {
            engine.createTopic(TOPIC, 1, Map.of());
            for (int i = 0; i < 10; i++) {
                append(engine, 11L, (short) 0, i * 2, 2);
            }
            last = append(engine, 11L, (short) 0, 20, 2);
            crashCopy(live, crashed);
        }
        try (LogEngine engine = open(crashed)) {
            AppendResult retried = append(engine, 11L, (short) 0, 20, 2);
            assertEquals(last.baseOffset(), retried.baseOffset(), "the batch whose answer the crash lost is not appended again");
            assertEquals(22, engine.describePartition(TOPIC, 0).logEndOffset(), "nothing was appended twice");
            assertThrows(OutOfOrderSequenceException.class, () -> append(engine, 11L, (short) 0, 30, 1),
                    "the sequence after the crash still has to follow on");
            assertEquals(22, append(engine, 11L, (short) 0, 22, 1).baseOffset(), "the next sequence is accepted");
        }
    }

    @Test
    void aCleanRestartKeepsTheStateInItsSnapshot() throws IOException {
        Path dataDir = root.resolve("data");
        AppendResult last;
        try (LogEngine engine = open(dataDir)) {
            engine.createTopic(TOPIC, 1, Map.of());
            append(engine, 12L, (short) 0, 0, 1);
            last = append(engine, 12L, (short) 0, 1, 1);
        }
        assertTrue(Files.exists(partitionDir(dataDir, TOPIC, 0).resolve(ProducerStateTable.SNAPSHOT_FILE)),
                "a clean close writes the producer-state snapshot");
        try (LogEngine engine = open(dataDir)) {
            assertEquals(last.baseOffset(), append(engine, 12L, (short) 0, 1, 1).baseOffset(),
                    "the retry after a clean restart is recognised");
            assertEquals(2, engine.describePartition(TOPIC, 0).logEndOffset(), "nothing was appended twice");
        }
    }

    @Test
    void retentionDeletingTheProducersBatchesDoesNotForgetTheProducer() throws IOException {
        Path live = root.resolve("live");
        Path crashed = root.resolve("crashed");
        AppendResult last;
        try (LogEngine engine = open(live)) {
            engine.createTopic(TOPIC, 1, Map.of(TopicConfig.SEGMENT_BYTES, "1024", TopicConfig.RETENTION_BYTES, "1024"));
            last = append(engine, 13L, (short) 0, 0, 1);
            for (int i = 0; i < 40; i++) {
                // Another producer fills segments until the first producer's batch is retention's to delete.
                append(engine, 99L, (short) 0, i, 1);
            }
            assertTrue(engine.runRetention() > 0, "precondition: retention deleted segments");
            assertTrue(engine.describePartition(TOPIC, 0).logStartOffset() > last.lastOffset(),
                    "precondition: the first producer's batch is gone from the log");
            crashCopy(live, crashed);
        }
        try (LogEngine engine = open(crashed)) {
            long end = engine.describePartition(TOPIC, 0).logEndOffset();
            assertEquals(last.baseOffset(), append(engine, 13L, (short) 0, 0, 1).baseOffset(),
                    "the producer's last batch is still known after retention and a crash");
            assertEquals(end, engine.describePartition(TOPIC, 0).logEndOffset(), "the retry was not appended");
        }
    }

    @Test
    void aDamagedSnapshotIsRebuiltFromTheLog() throws IOException {
        Path dataDir = root.resolve("data");
        AppendResult last;
        try (LogEngine engine = open(dataDir)) {
            engine.createTopic(TOPIC, 1, Map.of());
            append(engine, 14L, (short) 0, 0, 1);
            last = append(engine, 14L, (short) 0, 1, 1);
        }
        Path snapshot = partitionDir(dataDir, TOPIC, 0).resolve(ProducerStateTable.SNAPSHOT_FILE);
        flipByte(snapshot, 14);
        try (LogEngine engine = open(dataDir)) {
            assertEquals(last.baseOffset(), append(engine, 14L, (short) 0, 1, 1).baseOffset(),
                    "state rebuilt from the log recognises the retry");
        }
        Files.write(snapshot, new byte[] {1, 2, 3});
        try (LogEngine engine = open(dataDir)) {
            assertEquals(last.baseOffset(), append(engine, 14L, (short) 0, 1, 1).baseOffset(),
                    "a torn snapshot is ignored too");
        }
    }

    @Test
    void aProducerIdleForLongerThanTheExpirationIsForgotten() {
        try (LogEngine engine = open(root.resolve("data"))) {
            engine.createTopic(TOPIC, 1, Map.of());
            append(engine, 15L, (short) 0, 0, 1);
            clock.advance(ProducerStateTable.PRODUCER_ID_EXPIRATION_MS - 1000);
            engine.runRetention();
            assertThrows(OutOfOrderSequenceException.class, () -> append(engine, 15L, (short) 0, 9, 1),
                    "a producer within producer.id.expiration.ms is remembered");
            clock.advance(2000);
            engine.runRetention();
            assertEquals(1, append(engine, 15L, (short) 0, 9, 1).baseOffset(),
                    "an expired producer is unknown again, so any sequence is accepted, as Kafka does");
        }
    }

    /** What a process crash leaves: the files of a live engine, without the clean-shutdown marker. */
    private static void crashCopy(Path live, Path target) throws IOException {
        copyDirectory(live, target);
        Files.deleteIfExists(target.resolve(".clean-shutdown"));
        assertFalse(Files.exists(target.resolve(".clean-shutdown")), "the copy looks crashed");
    }

    private static AppendResult append(LogEngine engine, long producerId, short epoch, int baseSequence, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(EngineTestSupport.T0, ("k" + (baseSequence + i)).getBytes(),
                    ("value-" + (baseSequence + i)).getBytes());
        }
        MemoryRecords batch = MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, baseSequence, records);
        // The engine rewrites offsets in place: each attempt gets its own buffer, as each request has its own.
        return engine.append(TOPIC, 0, MemoryRecords.readableRecords(ByteBuffer.wrap(batch.buffer().array().clone())));
    }
}
