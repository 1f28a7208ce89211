package dev.hearth.kafka;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A Kafka client at the frame level over a plain socket, for tests that need what kafka-clients will not do:
 * pipeline without reading, send garbage, hold a connection idle. Not thread-safe.
 */
final class RawKafkaConnection implements AutoCloseable {

    final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private int nextCorrelationId;

    RawKafkaConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Sends one request at the builder's newest version; returns its correlation id. */
    int send(AbstractRequest request) throws IOException {
        int correlationId = nextCorrelationId++;
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-test", correlationId);
        ByteBuffer frame = request.serializeWithHeader(header);
        byte[] bytes = new byte[4 + frame.remaining()];
        ByteBuffer.wrap(bytes).putInt(frame.remaining()).put(frame);
        out.write(bytes);
        out.flush();
        return correlationId;
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response frame and parses it as {@code api} at {@code version}. */
    AbstractResponse receive(ApiKeys api, short version) throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        ByteBuffer buffer = ByteBuffer.wrap(body);
        ResponseHeader.parse(buffer, api.responseHeaderVersion(version));
        return AbstractResponse.parseResponse(api, new org.apache.kafka.common.protocol.ByteBufferAccessor(buffer), version);
    }

    /** The correlation id of the next response, the rest of the frame skipped. */
    int receiveCorrelationId() throws IOException {
        int size = in.readInt();
        int correlationId = in.readInt();
        in.skipNBytes(size - 4L);
        return correlationId;
    }

    /** Whether the broker closed the connection: the next read ends (within the socket's time-out). */
    boolean closedByBroker() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
