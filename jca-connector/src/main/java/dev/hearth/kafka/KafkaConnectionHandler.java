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
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;

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
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import dev.hearth.security.HearthSecurity;
import dev.hearth.security.Principals;

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
 * <p>Authentication ({@link ListenerSecurity}): on PLAINTEXT the principal is {@code User:ANONYMOUS}; on SSL it is
 * {@code User:<subject DN>} of the client's certificate when it presented one, else ANONYMOUS (the TLS handshake
 * is over before the first frame arrives, {@link SslHandler} holds data back until then); on SASL_PLAINTEXT and
 * SASL_SSL a {@link SaslAuthenticator} runs the exchange, and until it completes only ApiVersions, SaslHandshake
 * and SaslAuthenticate are served: any other request closes the connection (HEARTH-0423). A failed login is
 * answered with SASL_AUTHENTICATION_FAILED after {@code connection.failed.authentication.delay.ms}, then the
 * connection closes; the wait is a timer on the event loop, no thread waits.
 *
 * <p>Thread-safety: every field is confined to the channel's event loop, except the {@link SaslAuthenticator},
 * which the handler thread running this connection's one request uses (see its contract); handler threads hand
 * their result back to the event loop.
 */
final class KafkaConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(KafkaConnectionHandler.class.getName());
    /** What the connection does once a response is written. */
    private enum After { CONTINUE, CLOSE, CLOSE_DELAYED }

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
    private final SecurityProtocol protocol;
    private final ListenerName listenerName;
    private final long failedAuthenticationDelayMs;
    /** The connection runs TLS (a ChunkedWriteHandler sits between this handler and the SslHandler). */
    private final boolean tls;
    /** The SASL exchange; null on listeners without SASL. */
    private final SaslAuthenticator sasl;
    /** The principal of a connection that needs no SASL: set at its first frame (TLS is complete by then). */
    private KafkaPrincipal tlsPrincipal;

    KafkaConnectionHandler(KafkaApis apis, RequestHandlerPool handlers, RequestLatencies latencies,
                           ClientProblemLog problems, long connectionsMaxIdleMs, ListenerSecurity listenerSecurity,
                           HearthSecurity security) {
        this.apis = apis;
        this.problems = problems;
        this.handlers = handlers;
        this.latencies = latencies;
        this.connectionsMaxIdleNanos = TimeUnit.MILLISECONDS.toNanos(connectionsMaxIdleMs);
        this.protocol = listenerSecurity.protocol();
        this.listenerName = ListenerName.forSecurityProtocol(protocol);
        this.tls = listenerSecurity.usesTls();
        this.failedAuthenticationDelayMs = listenerSecurity.failedAuthenticationDelayMs();
        this.sasl = listenerSecurity.usesSasl()
                ? new SaslAuthenticator(security, listenerSecurity.saslMechanisms()) : null;
    }

    /** The connection's principal now: its SASL identity, its certificate's subject, or ANONYMOUS. */
    private KafkaPrincipal principal(ChannelHandlerContext ctx) {
        if (sasl != null) {
            KafkaPrincipal authenticated = sasl.principal();
            return authenticated != null ? authenticated : KafkaPrincipal.ANONYMOUS;
        }
        if (tlsPrincipal == null) {
            tlsPrincipal = KafkaPrincipal.ANONYMOUS;
            SslHandler sslHandler = ctx.pipeline().get(SslHandler.class);
            if (sslHandler != null) {
                try {
                    // Kafka's ssl.principal.mapping.rules=DEFAULT: the subject's RFC 2253 name as it is.
                    tlsPrincipal = Principals.user(sslHandler.engine().getSession().getPeerPrincipal().getName());
                    LOG.fine(() -> "HEARTH-0426 Kafka connection from " + ctx.channel().remoteAddress()
                            + " authenticated as " + tlsPrincipal + " by its certificate over " + protocol);
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    // No client certificate (ssl.client.auth none or requested): ANONYMOUS, as Kafka.
                }
            }
        }
        return tlsPrincipal;
    }

    /** A response as the pipeline can write it: a file region, or chunks for TLS (which cannot send regions). */
    private Object outbound(Send send) {
        SendFileRegion region = new SendFileRegion(send);
        return tls ? region.chunks() : region;
    }

    /** Whether requests other than ApiVersions and the SASL exchange's may be served (read by the event loop). */
    boolean authenticated() {
        return sasl == null || sasl.state() == SaslAuthenticator.State.COMPLETE;
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
        if (sasl != null && sasl.state() == SaslAuthenticator.State.RAW_TOKENS) {
            // After a v0 SaslHandshake the frame is a bare SASL token, no request header.
            submit(ctx, () -> runRawToken(ctx, buffer.array()));
            return;
        }
        RequestContext context;
        AbstractRequest request;
        try {
            RequestHeader header = RequestHeader.parse(buffer);
            ApiKeys api = header.apiKey();
            if (!authenticated() && api != ApiKeys.API_VERSIONS && api != ApiKeys.SASL_HANDSHAKE
                    && api != ApiKeys.SASL_AUTHENTICATE) {
                problems.warn("HEARTH-0423", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                        + ": " + api + " before SASL authentication on a " + protocol + " listener");
                busy = true;
                ctx.close();
                return;
            }
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            context = new RequestContext(header, ctx.channel().id().asShortText(), remote.getAddress(),
                    principal(ctx), listenerName, protocol, ClientInformation.EMPTY, false);
            RequestAndSize parsed = context.parseRequest(buffer);
            request = parsed.request;
        } catch (RuntimeException e) {
            latencies.recordMalformed();
            problems.warn("HEARTH-0401", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                    + ": malformed request (" + e + ")");
            busy = true; // nothing more of a connection being closed is handled
            ctx.close();
            return;
        }
        RequestContext requestContext = context;
        AbstractRequest parsedRequest = request;
        submit(ctx, () -> run(ctx, requestContext, parsedRequest, arrivedNanos));
    }

    /** Mutes the connection and queues its request for a handler thread. */
    private void submit(ChannelHandlerContext ctx, Runnable task) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        boolean queued;
        try {
            queued = handlers.submitRequest(task);
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
        ApiKeys api = context.header.apiKey();
        if (sasl != null && sasl.state() != SaslAuthenticator.State.COMPLETE
                && (api == ApiKeys.SASL_HANDSHAKE || api == ApiKeys.SASL_AUTHENTICATE)) {
            runSasl(ctx, context, request, arrivedNanos);
            return;
        }
        CompletableFuture<AbstractResponse> response;
        try {
            response = apis.handle(context, request, ctx.executor());
        } catch (InvalidRequestException e) {
            // A request no client sends (found by fuzzing): like a malformed frame, it closes its connection only.
            latencies.recordMalformed();
            problems.warn("HEARTH-0401", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                    + ": invalid " + context.header.apiKey() + " request (" + e.getMessage() + ")");
            ctx.executor().execute(ctx::close);
            return;
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e); // logged once, where it is answered
        }
        response.whenComplete((answer, failure) -> ctx.executor().execute(
                () -> respond(ctx, context, request, arrivedNanos, answer, failure, After.CONTINUE)));
    }

    /** One step of the SASL exchange, on a handler thread (PLAIN's PBKDF2 runs here). */
    private void runSasl(ChannelHandlerContext ctx, RequestContext context, AbstractRequest request,
                         long arrivedNanos) {
        AbstractResponse answer;
        After after;
        if (context.header.apiKey() == ApiKeys.SASL_HANDSHAKE) {
            try {
                answer = sasl.handshake((SaslHandshakeRequest) request, context.header.apiVersion());
            } catch (RuntimeException e) {
                // The mechanism cannot run in this JVM: the broker's failure, logged once; the client is cut off.
                problems.warn("HEARTH-0425", () -> "Closing Kafka connection from " + ctx.channel().remoteAddress()
                        + ": its SASL mechanism cannot run", e);
                ctx.executor().execute(ctx::close);
                return;
            }
            after = sasl.state() == SaslAuthenticator.State.FAILED ? After.CLOSE : After.CONTINUE;
        } else {
            SaslAuthenticator.Step step = sasl.authenticate(((SaslAuthenticateRequest) request).data().authBytes());
            SaslAuthenticateResponseData data = new SaslAuthenticateResponseData();
            if (step.failed()) {
                logFailedLogin(ctx, step);
                data.setErrorCode(step.error().code()).setErrorMessage(step.failure());
                after = After.CLOSE_DELAYED;
            } else {
                data.setErrorCode(Errors.NONE.code()).setAuthBytes(step.challenge()).setSessionLifetimeMs(0);
                after = After.CONTINUE;
                logSuccessfulLogin(ctx, "SaslAuthenticate");
            }
            answer = new SaslAuthenticateResponse(data);
        }
        ctx.executor().execute(() -> respond(ctx, context, request, arrivedNanos, answer, null, after));
    }

    /** One bare token after a v0 SaslHandshake, on a handler thread; answered with a bare token or a close. */
    private void runRawToken(ChannelHandlerContext ctx, byte[] token) {
        if (!ctx.channel().isActive()) {
            return;
        }
        SaslAuthenticator.Step step = sasl.authenticate(token);
        logSuccessfulLogin(ctx, "bare tokens");
        if (step.failed()) {
            logFailedLogin(ctx, step);
            // Without SaslAuthenticate there is no way to say why: Kafka closes, after the same delay.
            ctx.executor().schedule(() -> ctx.close(), failedAuthenticationDelayMs, TimeUnit.MILLISECONDS);
            return;
        }
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            ByteBuf framed = ctx.alloc().buffer(4 + step.challenge().length)
                    .writeInt(step.challenge().length).writeBytes(step.challenge());
            ctx.writeAndFlush(framed).addListener(written -> afterWrite(ctx, written.isSuccess()));
        });
    }

    private void logSuccessfulLogin(ChannelHandlerContext ctx, String framing) {
        if (sasl.state() == SaslAuthenticator.State.COMPLETE) {
            LOG.fine(() -> "HEARTH-0426 Kafka connection from " + ctx.channel().remoteAddress() + " authenticated as "
                    + sasl.principal() + " with " + sasl.mechanism() + " over " + protocol + " (" + framing + ")");
        }
    }

    private void logFailedLogin(ChannelHandlerContext ctx, SaslAuthenticator.Step step) {
        problems.warn("HEARTH-0424", () -> "Failed " + sasl.mechanism() + " authentication from "
                + ctx.channel().remoteAddress() + " (" + step.failure() + ")");
    }

    private void afterWrite(ChannelHandlerContext ctx, boolean success) {
        busy = false;
        lastActivityNanos = System.nanoTime();
        if (success) {
            processNext(ctx);
        } else {
            ctx.close();
        }
    }

    private void respond(ChannelHandlerContext ctx, RequestContext context, AbstractRequest request,
                         long arrivedNanos, AbstractResponse answer, Throwable failure, After after) {
        latencies.record(context.header.apiKey(), System.nanoTime() - arrivedNanos);
        latencies.recordErrors(context.header.apiKey(), answer, failure == null ? null : unwrap(failure));
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
        if (after == After.CLOSE) {
            ctx.writeAndFlush(outbound(send)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (after == After.CLOSE_DELAYED) {
            // connection.failed.authentication.delay.ms: the answer and the close wait on a timer, the connection
            // stays muted (busy) meanwhile, and no thread is held.
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    ctx.writeAndFlush(outbound(send)).addListener(ChannelFutureListener.CLOSE);
                }
            }, failedAuthenticationDelayMs, TimeUnit.MILLISECONDS);
            return;
        }
        // Unmuted only once the response has left: a client that does not read its responses stops being read.
        ctx.writeAndFlush(outbound(send)).addListener(written -> afterWrite(ctx, written.isSuccess()));
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
