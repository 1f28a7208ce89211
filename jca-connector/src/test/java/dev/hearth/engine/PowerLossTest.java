package dev.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.PowerCutFileSystem.CutMode;
import dev.hearth.engine.log.LogEngine;

/**
 * Power loss under the engine, on the power-cut file system (everything not fsynced is lost, directory entries
 * included): every append the engine acknowledged (flush-every-append policy) is there after the cut, in a topic
 * created just before, in partitions added later, and after a second cut that follows a recovery.
 */
class PowerLossTest {

    private static final String TOPIC = "power";

    @TempDir
    Path workDir;

    @Test
    void acknowledgedAppendsSurviveAPowerCut() throws Exception {
        try (PowerCutFileSystem fs = PowerCutFileSystem.mount(workDir)) {
            Path dataDir = fs.mountPoint().resolve("data");
            List<String> acknowledged0 = new ArrayList<>();
            List<String> acknowledged2 = new ArrayList<>();
            LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
            engine.createTopic(TOPIC, 2, Map.of());
            appendTo(engine, 0, "before-first-cut", acknowledged0);
            engine.addPartitions(TOPIC, 3);
            appendTo(engine, 2, "added-partition", acknowledged2);
            cutUnder(engine, fs);

            engine = LogEngine.open(EngineConfig.defaults(dataDir));
            assertEquals(acknowledged0, values(engine, 0),
                    "a new partition's first segment survives a power cut: its directory entry was fsynced");
            assertEquals(acknowledged2, values(engine, 2), "so does that of a partition added later");
            appendTo(engine, 0, "after-recovery", acknowledged0);
            cutUnder(engine, fs);

            try (LogEngine recovered = LogEngine.open(EngineConfig.defaults(dataDir))) {
                assertTrue(recovered.offlinePartitions().isEmpty(), "every partition comes back online");
                assertEquals(acknowledged0, values(recovered, 0), "and after a second cut that followed a recovery");
                assertEquals(acknowledged2, values(recovered, 2), "the added partition still holds its records");
            }
        }
    }

    /** Cuts the power under a running engine, then lets it die: it can no longer write anything. */
    private static void cutUnder(LogEngine engine, PowerCutFileSystem fs) throws Exception {
        fs.cutPower(CutMode.DROP_ALL);
        try {
            engine.close();
        } catch (HearthException | UncheckedIOException e) {
            // Expected: its file system answers EIO since the cut; nothing it writes now can count.
        }
        fs.remount();
    }

    private static void appendTo(LogEngine engine, int partition, String prefix, List<String> acknowledged) {
        for (int i = 0; i < 5; i++) {
            String value = prefix + "-" + i;
            engine.append(TOPIC, partition, EngineTestSupport.batch(EngineTestSupport.T0 + i, value));
            acknowledged.add(value);
        }
    }

    private static List<String> values(LogEngine engine, int partition) {
        return EngineTestSupport.readAll(engine, TOPIC, partition).stream().map(EngineTestSupport::valueOf).toList();
    }
}
