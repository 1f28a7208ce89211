package dev.hearth.kafka;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;

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
 * Kafka clients require and as Kafka's broker does it: while a request is in progress (queued for a handler
 * thread, running, parked as a long-poll fetch, or its response being written) the connection is muted (the
 * socket is not read), so a client that pipelines requests, or does not read its responses, holds at most one
 * request and one response in the broker; the rest waits in its own socket buffers. Frames already decoded
 * from the last read wait in a queue of at most one read's worth.
 *
 * <p>Decoding and encoding run here, on the channel's event loop (a network thread); the request itself runs
 * on the {@link RequestHandlerPool}. A frame that cannot be parsed closes this connection only, with a log
 * line naming the client and no stack trace, at most one such line per 10 s ({@link ClientProblemLog}); others
 * are untouched.
 *
 * <p>Thread-safety: every field is confined to the channel's event loop; handler threads hand their result
 * back to it.
 */
final class KafkaConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(KafkaConnectionHandler.class.getName());
    private static final ListenerName LISTENER = ListenerName.forSecurityProtocol(SecurityProtocol.PLAINTEXT);

    private final KafkaApis apis;
    private final RequestHandlerPool handlers;
    private final RequestLatencies latencies;
    /** Rate-limited warnings about clients, shared by every connection. */
    private final ClientProblemLog problems;
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private final long connectionsMaxIdleNanos;
    /** A request of this connection is in progress: the socket is muted until its response is written. */
    private boolean busy;
    /** When a frame was last read or a response last written ({@link System#nanoTime}). */
    private long lastActivityNanos;
    private ScheduledFuture<?> idleCheck;

    KafkaConnectionHandler(KafkaApis apis, RequestHandlerPool handlers, RequestLatencies latencies,
                           ClientProblemLog problems, long connectionsMaxIdleMs) {
        this.apis = apis;
        this.problems = problems;
        this.handlers = handlers;
        this.latencies = latencies;
        this.connectionsMaxIdleNanos = TimeUnit.MILLISECONDS.toNanos(connectionsMaxIdleMs);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        lastActivityNanos = System.nanoTime();
        waiting.add((ByteBuf) message);
        if (!busy) {
            processNext(ctx);
        }
    }

    private void processNext(ChannelHandlerContext ctx) {
        while (!busy) {
            ByteBuf frame = waiting.poll();
            if (frame == null) {
                ctx.channel().config().setAutoRead(true);
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
            problems.warn("HEARTH-0401", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                    + ": malformed request (" + e + ")");
            busy = true; // nothing more of a connection being closed is handled
            ctx.close();
            return;
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        RequestContext requestContext = context;
        AbstractRequest parsedRequest = request;
        boolean queued;
        try {
            queued = handlers.submitRequest(() -> run(ctx, requestContext, parsedRequest, arrivedNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            // The listener is stopping; busy stays set, so nothing more of this connection is handled.
            ctx.close();
        }
    }

    /** Runs one request on a handler thread and hands its response back to the event loop. */
    private void run(ChannelHandlerContext ctx, RequestContext context, AbstractRequest request, long arrivedNanos) {
        if (!ctx.channel().isActive()) {
            return;
        }
        CompletableFuture<AbstractResponse> response;
        try {
            response = apis.handle(context, request, ctx.executor());
        } catch (InvalidRequestException e) {
            // A request no client sends (found by fuzzing): like a malformed frame, it closes its connection only.
            problems.warn("HEARTH-0401", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                    + ": invalid " + context.header.apiKey() + " request (" + e.getMessage() + ")");
            ctx.executor().execute(ctx::close);
            return;
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e); // logged once, where it is answered
        }
        response.whenComplete((answer, failure) -> ctx.executor().execute(
                () -> respond(ctx, context, request, arrivedNanos, answer, failure)));
    }

    private void respond(ChannelHandlerContext ctx, RequestContext context, AbstractRequest request,
                         long arrivedNanos, AbstractResponse answer, Throwable failure) {
        latencies.record(context.header.apiKey(), System.nanoTime() - arrivedNanos);
        if (!ctx.channel().isActive()) {
            busy = false;
            return;
        }
        if (failure != null) {
            problems.warn("HEARTH-0402", () -> context.header.apiKey() + " from " + context.clientId() + " failed",
                    failure);
        }
        boolean noResponse = context.header.apiKey() == ApiKeys.PRODUCE && ((ProduceRequest) request).acks() == 0;
        if (noResponse) {
            busy = false;
            processNext(ctx);
            return;
        }
        Send send;
        try {
            send = context.buildResponseSend(failure == null ? answer : request.getErrorResponse(unwrap(failure)));
        } catch (RuntimeException e) {
            // A request whose answer cannot be written (its fields contradict its version): close rather than hang.
            problems.warn("HEARTH-0401", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                    + ": its " + context.header.apiKey() + " request cannot be answered (" + e + ")");
            ctx.close();
            return;
        }
        // Unmuted only once the response has left: a client that does not read its responses stops being read.
        ctx.writeAndFlush(new SendFileRegion(send)).addListener(written -> {
            busy = false;
            lastActivityNanos = System.nanoTime();
            if (written.isSuccess()) {
                processNext(ctx);
            } else {
                ctx.close();
            }
        });
    }
    /** The failure behind a completion stage's wrapping. */
    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastActivityNanos = System.nanoTime();
        scheduleIdleCheck(ctx, connectionsMaxIdleNanos);
        ctx.fireChannelActive();
    }

    private void scheduleIdleCheck(ChannelHandlerContext ctx, long delayNanos) {
        idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** {@code connections.max.idle.ms}: closes a connection idle that long, unless a request of it is in progress. */
    private void checkIdle(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        long idleNanos = System.nanoTime() - lastActivityNanos;
        if (busy || idleNanos < connectionsMaxIdleNanos) {
            scheduleIdleCheck(ctx, busy ? connectionsMaxIdleNanos : connectionsMaxIdleNanos - idleNanos);
            return;
        }
        LOG.fine(() -> "Closing Kafka connection from " + ctx.channel().remoteAddress() + ": idle for "
                + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms");
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException || cause instanceof InvalidRequestException) {
            // A frame over socket.request.max.bytes or with a negative length: the client's doing.
            problems.warn("HEARTH-0403", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                    + ": " + cause.getMessage());
        } else if (cause instanceof java.io.IOException) {
            LOG.log(Level.FINE, "Kafka connection from " + ctx.channel().remoteAddress() + " failed", cause);
        } else {
            problems.warn("HEARTH-0224", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                    + " after an unexpected failure", cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        ByteBuf frame;
        while ((frame = waiting.poll()) != null) {
            frame.release();
        }
        ctx.fireChannelInactive();
    }
}
