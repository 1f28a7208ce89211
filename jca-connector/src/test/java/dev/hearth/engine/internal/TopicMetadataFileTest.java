package dev.hearth.engine.internal;

import static dev.hearth.engine.EngineTestSupport.T0;
import static dev.hearth.engine.EngineTestSupport.batch;
import static dev.hearth.engine.EngineTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.log.LogEngine;

/**
 * {@code topic.properties} and {@code recovery-point-offset-checkpoint}: both are replaced atomically, so a
 * crash leaves at most a stray temp file next to an intact old version, which must change nothing.
 */
class TopicMetadataFileTest {

    private static final String TOPIC = "defined";

    @TempDir
    Path dataDir;

    @Test
    void writtenDefinitionReadsBackUnchanged() throws IOException {
        TopicMetadataFile written = new TopicMetadataFile("AAAAAAAAAAAAAAAAAAAAAQ", 7,
                Map.of(TopicConfig.RETENTION_MS, "1000", TopicConfig.CLEANUP_POLICY, "compact"));
        written.write(dataDir);

        assertEquals(written, TopicMetadataFile.read(dataDir), "id, partition count and overrides round-trip");
        assertFalse(Files.exists(dataDir.resolve(TopicMetadataFile.FILE_NAME + ".tmp")),
                "the temp file of an atomic write does not outlive the write");
    }

    @Test
    void aDefinitionWithoutIdOrPartitionsIsRefused() throws IOException {
        Files.writeString(dataDir.resolve(TopicMetadataFile.FILE_NAME), "topic.id=abc\n", StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> TopicMetadataFile.read(dataDir),
                "a definition lacking its partition count cannot be trusted");
    }

    @Test
    void tempFilesLeftByACrashedWriteChangeNothing() throws IOException {
        Path topicDir = dataDir.resolve("topics").resolve(TOPIC);
        String topicId;
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            topicId = engine.createTopic(TOPIC, 2, Map.of(TopicConfig.RETENTION_MS, "1000")).topicId();
            engine.append(TOPIC, 1, batch(T0, "a", "b"));
        }
        // A crash while an alter and a checkpoint were being written: half-written temp files, old files intact.
        Files.writeString(topicDir.resolve(TopicMetadataFile.FILE_NAME + ".tmp"), "topic.id=x\npartit",
                StandardCharsets.UTF_8);
        Files.writeString(dataDir.resolve(RecoveryPointCheckpoint.FILE_NAME + ".tmp"), TOPIC + " 1 9",
                StandardCharsets.UTF_8);
        Files.delete(dataDir.resolve(".clean-shutdown"));

        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            assertEquals(topicId, engine.describeTopic(TOPIC).topicId(), "the old definition is read, not the temp file");
            assertEquals(2, engine.partitionCount(TOPIC), "the partition count comes from the intact definition");
            assertEquals(Map.of(TopicConfig.RETENTION_MS, "1000"), engine.configOverrides(TOPIC),
                    "the overrides come from the intact definition");
            assertEquals(2, engine.describePartition(TOPIC, 1).logEndOffset(), "the data is intact");

            engine.alterConfig(TOPIC, Map.of(TopicConfig.RETENTION_MS, "2000"));
            assertEquals(Map.of(TopicConfig.RETENTION_MS, "2000"), TopicMetadataFile.read(topicDir).configOverrides(),
                    "the next write replaces the stale temp file and lands");
            assertFalse(Files.exists(topicDir.resolve(TopicMetadataFile.FILE_NAME + ".tmp")),
                    "no temp file remains after a successful write");
        }
    }

    @Test
    void anUnreadableDefinitionHidesOnlyThatTopic() throws IOException {
        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            engine.createTopic(TOPIC, 1, Map.of());
            engine.createTopic("intact", 1, Map.of());
            engine.append("intact", 0, batch(T0, "a"));
        }
        Files.writeString(dataDir.resolve("topics").resolve(TOPIC).resolve(TopicMetadataFile.FILE_NAME), "garbage",
                StandardCharsets.UTF_8);

        try (LogEngine engine = LogEngine.open(config(dataDir))) {
            assertFalse(engine.topicExists(TOPIC), "a topic without a readable definition is not served");
            assertTrue(engine.topicExists("intact"), "other topics are served");
            assertEquals(1, engine.append("intact", 0, batch(T0, "b")).baseOffset(), "other topics keep working");
        }
    }
}
