package dev.hearth.kafka;

import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Kafka's framing, a 4-byte big-endian length before each request, stripped: frames over
 * {@code socket.request.max.bytes} fail on their length field, before any buffer for the body is allocated; and
 * until the connection has authenticated, frames over Kafka's {@code sasl.server.max.receive.size}
 * ({@value #SASL_MAX_RECEIVE_BYTES} bytes) fail the same way, so that a client that has not logged in cannot make
 * the broker hold a large request.
 *
 * <p>Thread-safety: one per connection, used by its event loop.
 */
final class KafkaFrameDecoder extends LengthFieldBasedFrameDecoder {

    /** Kafka's default {@code sasl.server.max.receive.size}. */
    static final int SASL_MAX_RECEIVE_BYTES = 512 * 1024;

    private final BooleanSupplier authenticated;

    /** @param authenticated whether the connection may now send frames up to {@code maxRequestBytes} */
    KafkaFrameDecoder(int maxRequestBytes, BooleanSupplier authenticated) {
        super(maxRequestBytes, 0, 4, 0, 4);
        this.authenticated = authenticated;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (in.readableBytes() >= 4 && !authenticated.getAsBoolean()) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > SASL_MAX_RECEIVE_BYTES) {
                in.skipBytes(in.readableBytes());
                throw new TooLongFrameException("a frame of " + length + " bytes before authentication (at most "
                        + SASL_MAX_RECEIVE_BYTES + ", Kafka's sasl.server.max.receive.size)");
            }
        }
        return super.decode(ctx, in);
    }
}
