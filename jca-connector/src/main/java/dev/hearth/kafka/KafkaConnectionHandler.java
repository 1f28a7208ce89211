package dev.hearth.kafka;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestAndSize;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One client connection. Requests are handled strictly one at a time and answered in arrival order, as
 * Kafka clients require (frames that arrive meanwhile wait in a queue). A frame that cannot be parsed
 * closes this connection only, with a log line naming the client; others are untouched.
 *
 * <p>Thread-safety: all methods run on the channel's event loop; handlers may complete their futures on
 * other threads, and completion is handed back to the event loop.
 */
final class KafkaConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(KafkaConnectionHandler.class.getName());
    private static final ListenerName LISTENER = ListenerName.forSecurityProtocol(SecurityProtocol.PLAINTEXT);

    private final KafkaApis apis;
    private final RequestLatencies latencies;
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private boolean busy;

    KafkaConnectionHandler(KafkaApis apis, RequestLatencies latencies) {
        this.apis = apis;
        this.latencies = latencies;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        waiting.add((ByteBuf) message);
        if (!busy) {
            processNext(ctx);
        }
    }

    private void processNext(ChannelHandlerContext ctx) {
        while (!busy) {
            ByteBuf frame = waiting.poll();
            if (frame == null) {
                return;
            }
            try {
                handle(ctx, frame);
            } finally {
                frame.release();
            }
        }
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf frame) {
        long arrivedNanos = System.nanoTime();
        // Heap copy of one request: the parsed request keeps views into it (produce records are appended
        // from it as they are), so it must outlive the pooled frame.
        ByteBuffer buffer = ByteBuffer.allocate(frame.readableBytes());
        frame.readBytes(buffer);
        buffer.flip();
        RequestContext context;
        AbstractRequest request;
        try {
            RequestHeader header = RequestHeader.parse(buffer);
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            context = new RequestContext(header, ctx.channel().id().asShortText(), remote.getAddress(),
                    KafkaPrincipal.ANONYMOUS, LISTENER, SecurityProtocol.PLAINTEXT, ClientInformation.EMPTY, false);
            RequestAndSize parsed = context.parseRequest(buffer);
            request = parsed.request;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "HEARTH-0401 Closing Kafka connection from " + ctx.channel().remoteAddress()
                    + ": malformed request (" + e + ")");
            ctx.close();
            return;
        }
        busy = true;
        CompletableFuture<AbstractResponse> response;
        try {
            response = apis.handle(context, request, ctx.executor());
        } catch (RuntimeException e) {
            response = CompletableFuture.completedFuture(request.getErrorResponse(e));
            LOG.log(Level.WARNING, "HEARTH-0402 " + context.header.apiKey() + " from " + context.clientId()
                    + " failed", e);
        }
        boolean noResponse = context.header.apiKey() == ApiKeys.PRODUCE && ((ProduceRequest) request).acks() == 0;
        RequestContext requestContext = context;
        AbstractRequest handled = request;
        response.whenComplete((answer, failure) -> ctx.executor().execute(() -> {
            busy = false;
            latencies.record(requestContext.header.apiKey(), System.nanoTime() - arrivedNanos);
            if (!ctx.channel().isActive()) {
                return;
            }
            AbstractResponse toSend = answer;
            if (failure != null) {
                LOG.log(Level.WARNING, "HEARTH-0402 " + requestContext.header.apiKey() + " from "
                        + requestContext.clientId() + " failed", failure);
                toSend = handled.getErrorResponse(failure);
            }
            if (!noResponse) {
                Send send = requestContext.buildResponseSend(toSend);
                ctx.writeAndFlush(new SendFileRegion(send));
            }
            processNext(ctx);
        }));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof InvalidRequestException) {
            LOG.warning(() -> "HEARTH-0403 Closing Kafka connection from " + ctx.channel().remoteAddress() + ": " + cause.getMessage());
        } else {
            LOG.log(Level.FINE, "Kafka connection from " + ctx.channel().remoteAddress() + " failed", cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ByteBuf frame;
        while ((frame = waiting.poll()) != null) {
            frame.release();
        }
        ctx.fireChannelInactive();
    }
}
