package dev.hearth.engine.internal;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.EngineTestSupport.ManualClock;
import dev.hearth.engine.FlushPolicy;
import dev.hearth.engine.log.LogEngine;

/** The flush policy decides how far the recovery point (everything below it is fsynced) trails the log end. */
class PartitionLogFlushTest {

    private static final String TOPIC = "flushed";

    @TempDir
    Path dataDir;

    private LogDirectory open(FlushPolicy policy) throws IOException {
        LogDirectory directory = LogDirectory.open(config(dataDir).withFlushPolicy(policy), new ManualClock(T0));
        directory.createTopic(TOPIC, 1, Map.of());
        return directory;
    }

    @Test
    void flushEveryAppendMovesTheRecoveryPointToTheLogEndBeforeReturning() throws IOException {
        try (LogDirectory directory = open(FlushPolicy.EVERY_APPEND)) {
            PartitionLog log = directory.partition(TOPIC, 0);
            log.append(batch(T0, "a", "b", "c"));
            assertEquals(3, log.logEndOffset(), "three records appended");
            assertEquals(log.logEndOffset(), log.recoveryPoint(), "an acknowledged append is already on disk");
            log.append(batch(T0, "d"));
            assertEquals(4, log.recoveryPoint(), "every append moves the recovery point with the log end");
        }
    }

    @Test
    void aPeriodicPolicyLeavesTheRecoveryPointBehindUntilFlush() throws IOException {
        try (LogDirectory directory = open(FlushPolicy.periodic(60_000))) {
            PartitionLog log = directory.partition(TOPIC, 0);
            log.append(batch(T0, "a", "b", "c"));
            log.append(batch(T0, "d"));
            assertEquals(4, log.logEndOffset(), "four records appended");
            assertEquals(0, log.recoveryPoint(), "a periodic policy does not fsync on append");

            directory.flushAll();
            assertEquals(4, log.recoveryPoint(), "a flush covers everything appended before it");

            log.append(batch(T0, "e"));
            assertEquals(4, log.recoveryPoint(), "the next append lags again until the next flush");
        }
    }

    @Test
    void theEngineCheckpointsRecoveryPointsForTheNextStart() throws IOException {
        EngineConfig config = config(dataDir).withFlushPolicy(FlushPolicy.periodic(60_000));
        try (LogEngine engine = LogEngine.open(config)) {
            engine.createTopic(TOPIC, 2, Map.of());
            engine.append(TOPIC, 0, batch(T0, "a", "b"));
            engine.append(TOPIC, 1, batch(T0, "c"));

            engine.checkpointRecoveryPoints();
            Map<String, Long> lagging = RecoveryPointCheckpoint.read(dataDir);
            assertEquals(0L, lagging.get(RecoveryPointCheckpoint.key(TOPIC, 0)),
                    "unflushed appends are not claimed durable in the checkpoint");

            engine.flush();
            engine.checkpointRecoveryPoints();
            Map<String, Long> flushed = RecoveryPointCheckpoint.read(dataDir);
            assertEquals(2L, flushed.get(RecoveryPointCheckpoint.key(TOPIC, 0)), "after flush partition 0 is durable to 2");
            assertEquals(1L, flushed.get(RecoveryPointCheckpoint.key(TOPIC, 1)), "after flush partition 1 is durable to 1");
        }
    }
}
