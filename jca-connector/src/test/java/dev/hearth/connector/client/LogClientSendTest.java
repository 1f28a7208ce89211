package dev.hearth.connector.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.engine.EngineTestSupport;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.engine.log.TopicAutoCreation;

/** An application's send to a topic that does not exist: created as Kafka's producers see it, unless turned off. */
class LogClientSendTest {

    @TempDir
    Path dataDir;

    private LogEngine engine;

    @BeforeEach
    void open() {
        engine = LogEngine.open(EngineTestSupport.config(dataDir));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aSendToAMissingTopicCreatesItWithTheDefaultPartitions() {
        EngineClient client = new EngineClient(engine, null, "hearth", null, -1, new TopicAutoCreation(true, 3));

        List<ProduceReceipt> receipts = client.sendBatch("payments", List.of(record("p1")));

        assertEquals(0L, receipts.get(0).offset(), "the first record of the created topic");
        assertEquals(3, engine.partitionCount("payments"), "created with the default partition count");
    }

    @Test
    void withAutoCreationOffASendToAMissingTopicFailsAndCreatesNothing() {
        EngineClient client = new EngineClient(engine, null, "hearth", null, -1, new TopicAutoCreation(false, 3));

        HearthConnectionException error = assertThrows(HearthConnectionException.class,
                () -> client.sendBatch("payments", List.of(record("p1"))));

        assertEquals(HearthError.UNKNOWN_TOPIC_OR_PARTITION, error.error(), error.getMessage());
        assertFalse(engine.topicExists("payments"), "nothing created");
    }

    @Test
    void internalTopicsAreNeverCreatedBySends() {
        EngineClient client = new EngineClient(engine, null, "hearth", null, -1, new TopicAutoCreation(true, 1));

        assertThrows(HearthConnectionException.class, () -> client.sendBatch("__secrets", List.of(record("x"))));
        assertTrue(engine.listTopics().stream().noneMatch(topic -> topic.name().equals("__secrets")),
                "no internal topic created");
    }

    private static OutgoingRecord record(String value) {
        return OutgoingRecord.of(null, value.getBytes(StandardCharsets.UTF_8));
    }
}
