package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests no client sends, found by the frame fuzzer: each is answered with an error or closes its own connection,
 * never hangs it, and the listener keeps serving others.
 */
class MalformedRequestsTest {

    @TempDir
    Path dataDir;

    private KafkaBroker broker;

    @BeforeEach
    void start() throws InterruptedException {
        broker = new KafkaBroker(dataDir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void anUnknownTopicIdInAMetadataVersionWithoutNullableNamesIsAnsweredNotHung() throws IOException {
        short version = 11; // topic ids in requests from v10; response names nullable only from v12
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setTopicId(Uuid.randomUuid()).setName(null)));
        try (Socket socket = connect()) {
            ByteBuffer response = exchange(socket, ApiKeys.METADATA, version, request);
            new ResponseHeaderData(new ByteBufferAccessor(response), ApiKeys.METADATA.responseHeaderVersion(version));
            MetadataResponseData data = new MetadataResponseData(new ByteBufferAccessor(response), version);
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), data.topics().iterator().next().errorCode());
        }
    }

    @Test
    void anUnknownIsolationLevelClosesThatConnectionOnly() throws IOException {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 64)
                .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName("orders").setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1)))));
        try (Socket socket = connect()) {
            assertThrows(EOFException.class, () -> exchange(socket, ApiKeys.LIST_OFFSETS, (short) 5, request));
        }
        assertTheListenerServes();
    }

    @Test
    void aProduceWithoutRecordsClosesThatConnectionOnly() throws IOException {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName("orders").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(null))));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000).setTopicData(topics);
        try (Socket socket = connect()) {
            assertThrows(EOFException.class, () -> exchange(socket, ApiKeys.PRODUCE, (short) 9, request));
        }
        assertTheListenerServes();
    }

    private void assertTheListenerServes() throws IOException {
        try (Socket socket = connect()) {
            ByteBuffer response = exchange(socket, ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                    .setClientSoftwareName("test").setClientSoftwareVersion("1"));
            assertEquals(true, response.remaining() > 0, "ApiVersions is answered on a new connection");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", broker.listener.boundPort());
        socket.setSoTimeout(15_000);
        return socket;
    }

    /** Sends one request and returns its response frame (header and body); EOFException when the server closes. */
    private static ByteBuffer exchange(Socket socket, ApiKeys api, short version, ApiMessage body) throws IOException {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setClientId("malformed-requests-test").setCorrelationId(7);
        ByteBuffer head = MessageUtil.toByteBufferAccessor(header, api.requestHeaderVersion(version)).buffer();
        ByteBuffer payload = MessageUtil.toByteBufferAccessor(body, version).buffer();
        ByteBuffer frame = ByteBuffer.allocate(4 + head.remaining() + payload.remaining());
        frame.putInt(head.remaining() + payload.remaining()).put(head).put(payload);
        OutputStream out = socket.getOutputStream();
        out.write(frame.array());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        return ByteBuffer.wrap(response);
    }
}
