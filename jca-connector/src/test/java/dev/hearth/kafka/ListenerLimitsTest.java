package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;

/**
 * The listener's limits with Kafka's names, on real sockets: connections.max.idle.ms, max.connections.per.ip,
 * max.connections, socket.request.max.bytes, and the partition limits as CreateTopics and CreatePartitions
 * answer them.
 */
class ListenerLimitsTest {

    @TempDir
    Path dataDir;

    private KafkaBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void start(ListenerLimits limits) throws InterruptedException {
        broker = new KafkaBroker(dataDir, KafkaListenerConfig.defaults().withPort(0).withLimits(limits));
    }

    @Test
    void idleConnectionIsClosedButABusyOneIsKept() throws Exception {
        start(ListenerLimits.DEFAULTS.withConnectionsMaxIdleMs(500));
        try (RawKafkaConnection idle = new RawKafkaConnection(broker.listener.boundPort());
             RawKafkaConnection active = new RawKafkaConnection(broker.listener.boundPort())) {
            long started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                active.send(new ApiVersionsRequest.Builder().build((short) 3));
                active.receive(ApiKeys.API_VERSIONS, (short) 3);
                Thread.sleep(150);
            }
            assertTrue(idle.closedByBroker(), "a connection idle for connections.max.idle.ms is closed");
            assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(500), "not before the time-out");
            active.send(new ApiVersionsRequest.Builder().build((short) 3));
            active.receive(ApiKeys.API_VERSIONS, (short) 3);
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsPerIpAreClosedAndTheSlotReturnsWhenOneCloses() throws Exception {
        start(ListenerLimits.DEFAULTS.withMaxConnections(2, 100));
        try (RawKafkaConnection first = new RawKafkaConnection(broker.listener.boundPort())) {
            served(first);
            RawKafkaConnection second = new RawKafkaConnection(broker.listener.boundPort());
            served(second);
            try (RawKafkaConnection third = new RawKafkaConnection(broker.listener.boundPort())) {
                assertTrue(third.closedByBroker(), "a third connection from the same address is closed");
            }
            first.close();
            awaitConnections(1);
            try (RawKafkaConnection again = new RawKafkaConnection(broker.listener.boundPort())) {
                served(again);
            }
            second.close();
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosed() throws Exception {
        start(ListenerLimits.DEFAULTS.withMaxConnections(100, 1));
        try (RawKafkaConnection first = new RawKafkaConnection(broker.listener.boundPort())) {
            served(first);
            try (RawKafkaConnection second = new RawKafkaConnection(broker.listener.boundPort())) {
                assertTrue(second.closedByBroker(), "the connection past max.connections is closed");
            }
        }
    }

    @Test
    void frameAnnouncingMoreThanSocketRequestMaxBytesClosesTheConnection() throws Exception {
        broker = new KafkaBroker(dataDir, KafkaListenerConfig.defaults().withPort(0).withMaxRequestBytes(64 * 1024));
        try (RawKafkaConnection client = new RawKafkaConnection(broker.listener.boundPort())) {
            client.sendBytes(ByteBuffer.allocate(4).putInt(1 << 30).array());
            assertTrue(client.closedByBroker(), "a 1 GiB length is refused from its length field");
        }
        try (RawKafkaConnection client = new RawKafkaConnection(broker.listener.boundPort())) {
            served(client);
        }
    }

    @Test
    void createTopicsAndCreatePartitionsPastTheBrokerLimitAreRefusedWithPolicyViolation() throws Exception {
        broker = new KafkaBroker(EngineConfig.defaults(dataDir).withMaxPartitions(20),
                KafkaListenerConfig.defaults().withPort(0));
        int existing = broker.engine.listTopics().stream().mapToInt(t -> t.partitions().size()).sum();
        int room = 20 - existing;
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("fits", room - 2, (short) 1))).all().get();
            ExecutionException tooMany = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("too-many", 3, (short) 1))).all().get());
            assertInstanceOf(PolicyViolationException.class, tooMany.getCause(), "Kafka's answer to a refused creation");
            assertFalse(broker.engine.topicExists("too-many"), "nothing was created");
            assertFalse(Files.exists(dataDir.resolve("topics").resolve("too-many")), "not even a directory");
            ExecutionException validated = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("too-many", 3, (short) 1)),
                            new CreateTopicsOptions().validateOnly(true)).all().get());
            assertInstanceOf(PolicyViolationException.class, validated.getCause(), "validate-only gives the same answer");
            ExecutionException grown = assertThrows(ExecutionException.class,
                    () -> admin.createPartitions(Map.of("fits", NewPartitions.increaseTo(room + 1))).all().get());
            assertInstanceOf(PolicyViolationException.class, grown.getCause(), "growing past the limit is refused");
            ExecutionException huge = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("huge", 854_105, (short) 1))).all().get());
            assertInstanceOf(InvalidPartitionsException.class, huge.getCause(), "above the per-topic maximum");
            assertEquals(room - 2, broker.engine.partitionCount("fits"), "the topic that fitted is unchanged");
        }
    }

    @Test
    void malformedFramesFromManyConnectionsWriteOneLineWithoutAStackTrace() throws Exception {
        start(ListenerLimits.DEFAULTS);
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.hearth.kafka");
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            for (int i = 0; i < 50; i++) {
                try (RawKafkaConnection client = new RawKafkaConnection(broker.listener.boundPort())) {
                    client.sendBytes(new byte[] {0, 0, 0, 6, 0x7f, 0x7f, 1, 2, 3, (byte) i});
                    assertTrue(client.closedByBroker(), "garbage closes the connection");
                }
                try (RawKafkaConnection client = new RawKafkaConnection(broker.listener.boundPort())) {
                    client.sendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) i});
                    assertTrue(client.closedByBroker(), "a negative frame length closes the connection");
                }
            }
        } finally {
            logger.removeHandler(capture);
        }
        assertTrue(warnings.size() <= 2, "100 malformed frames write at most one line per kind, not " + warnings.size());
        for (java.util.logging.LogRecord warning : warnings) {
            assertEquals(null, warning.getThrown(), "no stack trace for a client's malformed frame: " + warning.getMessage());
        }
    }

    private static void served(RawKafkaConnection connection) throws Exception {
        connection.send(new ApiVersionsRequest.Builder().build((short) 3));
        connection.receive(ApiKeys.API_VERSIONS, (short) 3);
    }

    private void awaitConnections(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.listener.connectionCount() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, broker.listener.connectionCount(), "a closed connection returns its slot");
    }
}
