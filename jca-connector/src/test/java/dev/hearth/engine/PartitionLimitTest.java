package dev.hearth.engine;

import static dev.hearth.engine.EngineTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.log.LogEngine;

/**
 * The broker-wide partition limit ({@code hearth.max.partitions.per.broker}) and the per-topic one: a creation
 * past either is refused whole, before any directory exists, and the count survives a restart.
 */
class PartitionLimitTest {

    @TempDir
    Path dataDir;

    @Test
    void creationsPastTheBrokerLimitAreRefusedWholeAndCreateNothing() {
        EngineConfig limited = config(dataDir).withMaxPartitions(10);
        try (LogEngine engine = LogEngine.open(limited)) {
            engine.createTopic("first", 6, Map.of());
            PartitionLimitException refused = assertThrows(PartitionLimitException.class,
                    () -> engine.createTopic("second", 5, Map.of()), "6 + 5 partitions exceed the limit of 10");
            assertFalse(refused.getMessage().isEmpty(), "the refusal says why");
            assertFalse(engine.topicExists("second"), "the refused topic does not exist");
            assertFalse(Files.exists(dataDir.resolve("topics").resolve("second")), "no directory was created for it");
            assertThrows(PartitionLimitException.class, () -> engine.addPartitions("first", 11),
                    "growing a topic past the broker limit is refused too");
            assertEquals(6, engine.partitionCount("first"), "the topic keeps its partitions");
            engine.createTopic("exactly", 4, Map.of());
        }
        try (LogEngine engine = LogEngine.open(limited)) {
            assertThrows(PartitionLimitException.class, () -> engine.createTopic("after-restart", 1, Map.of()),
                    "the partitions recovered at start count against the limit");
        }
    }

    @Test
    void aBitFlippedHugeCountIsRefusedBeforeAnyDirectoryIsMade() throws Exception {
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            assertThrows(InvalidPartitionsException.class, () -> engine.createTopic("huge", 854_105, Map.of()),
                    "a count above the per-topic maximum is refused");
            assertThrows(InvalidPartitionsException.class, () -> engine.validatePartitionCount(Integer.MAX_VALUE, 1),
                    "validation gives the same answer");
            try (var entries = Files.list(dataDir.resolve("topics"))) {
                assertEquals(0, entries.count(), "nothing was created");
            }
        }
    }
}
