package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's threading rules on real sockets: requests run on the handler threads, never on the network thread
 * that another connection shares; a connection with a request in progress is not read (back-pressure), so a
 * client cannot pile requests up in the broker's memory.
 */
class RequestHandlingTest {

    @TempDir
    Path dataDir;

    private KafkaBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void slowAdminRequestDoesNotDelayAnotherConnectionOnTheSameNetworkThread() throws Exception {
        // One network thread: both connections share it, as any two of many connections do in production.
        KafkaListenerConfig defaults = KafkaListenerConfig.defaults().withPort(0);
        broker = new KafkaBroker(dataDir, new KafkaListenerConfig(defaults.host(), 0, defaults.advertisedHost(),
                defaults.maxRequestBytes(), true, 1, defaults.clusterId(), 1, defaults.limits()));
        try (RawKafkaConnection admin = new RawKafkaConnection(broker.listener.boundPort());
             RawKafkaConnection other = new RawKafkaConnection(broker.listener.boundPort())) {
            CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(60_000);
            create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("wide")
                    .setNumPartitions(500).setReplicationFactor((short) 1));
            admin.send(new CreateTopicsRequest.Builder(create).build((short) 7));
            Thread.sleep(200); // let the CreateTopics start first (it runs for seconds)
            other.send(new ApiVersionsRequest.Builder().build((short) 3));
            other.receive(ApiKeys.API_VERSIONS, (short) 3);
            assertEquals(0, admin.socket.getInputStream().available(), "ApiVersions on the shared network thread is "
                    + "answered while the 500-partition CreateTopics still runs on a handler thread");
            CreateTopicsResponse response = (CreateTopicsResponse) admin.receive(ApiKeys.CREATE_TOPICS, (short) 7);
            assertEquals(Errors.NONE.code(), response.data().topics().find("wide").errorCode(), "the topic is created");
        }
    }

    @Test
    void connectionWithARequestInProgressIsNotReadSoPipelinedFramesStayWithTheClient() throws Exception {
        broker = new KafkaBroker(dataDir);
        broker.engine.createTopic("quiet", 1, Map.of());
        try (RawKafkaConnection client = new RawKafkaConnection(broker.listener.boundPort())) {
            // A long poll that will wait 60 s for data that never comes.
            client.send(FetchRequest.Builder.forConsumer((short) 12, 60_000, 1,
                    Map.of(new TopicPartition("quiet", 0), new FetchRequest.PartitionData(Uuid.ZERO_UUID, 0, 0, 1 << 20,
                            java.util.Optional.empty()))).build((short) 12));
            byte[] frame = produceFrame(1 << 20);
            int frames = 200;
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < frames; i++) {
                        client.sendBytes(frame);
                        written.addAndGet(frame.length);
                    }
                } catch (java.io.IOException e) {
                    // the socket is closed at the end of the test while this thread is blocked writing
                }
            });
            writer.setDaemon(true);
            writer.start();
            long previous = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (written.get() != previous && written.get() < (long) frames * frame.length && System.nanoTime() < deadline) {
                previous = written.get();
                Thread.sleep(1_000);
            }
            assertTrue(written.get() < 100L * frame.length, "behind a pending long poll the broker reads no further, so "
                    + "the client's writes stall at its socket buffers instead of 200 MiB entering the broker ("
                    + written.get() / (1 << 20) + " MiB written)");
        }
    }

    @Test
    void produceToSeveralPartitionsIsAnsweredOnceEveryPartitionIsDurable() throws Exception {
        broker = new KafkaBroker(dataDir);
        broker.engine.createTopic("six", 6, Map.of());
        long flushesBefore = broker.engine.stats().flushCount();
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("six");
        for (int p = 0; p <= 6; p++) { // partition 6 does not exist
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                    .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(("v" + p).getBytes()))));
        }
        data.topicData().add(topic);
        try (RawKafkaConnection client = new RawKafkaConnection(broker.listener.boundPort())) {
            client.send(ProduceRequest.builder(data).build((short) 9));
            org.apache.kafka.common.requests.ProduceResponse response =
                    (org.apache.kafka.common.requests.ProduceResponse) client.receive(ApiKeys.PRODUCE, (short) 9);
            var partitions = response.data().responses().find("six", Uuid.ZERO_UUID).partitionResponses();
            for (var partition : partitions) {
                if (partition.index() == 6) {
                    assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), partition.errorCode(), "no such partition");
                } else {
                    assertEquals(Errors.NONE.code(), partition.errorCode(), "partition " + partition.index() + " appended");
                    assertEquals(0, partition.baseOffset(), "partition " + partition.index() + "'s first offset");
                }
            }
            assertEquals(7, partitions.size(), "every partition answered");
        }
        assertEquals(flushesBefore + 6, broker.engine.stats().flushCount(),
                "each partition was fsynced before the answer (the flush policy's default)");
    }

    private static byte[] produceFrame(int valueBytes) {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 0).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("pipelined");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[valueBytes]))));
        data.topicData().add(topic);
        ProduceRequest request = ProduceRequest.builder(data).build((short) 9);
        ByteBuffer body = request.serializeWithHeader(new RequestHeader(ApiKeys.PRODUCE, (short) 9, "raw-test", 1));
        byte[] bytes = new byte[4 + body.remaining()];
        ByteBuffer.wrap(bytes).putInt(body.remaining()).put(body);
        return bytes;
    }

}
