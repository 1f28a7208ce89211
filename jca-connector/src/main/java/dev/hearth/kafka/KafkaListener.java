package dev.hearth.kafka;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;

import dev.hearth.engine.InvalidConfigException;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.security.HearthSecurity;
import dev.hearth.security.Principals;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;

/**
 * The Kafka-protocol server, with Kafka's split of threads: Netty event loops ({@code num.network.threads})
 * read, decode, encode and write 4-byte length-prefixed frames, one {@link KafkaConnectionHandler} per
 * connection; the {@link RequestHandlerPool} ({@code num.io.threads}) runs the requests. All these threads are
 * long-running tasks of the caller's {@link Executor} (the container's WorkManager inside the adapter):
 * 1 acceptor + {@code num.network.threads} + {@code num.io.threads}.
 *
 * <p>Security ({@link ListenerSecurity}): SSL and SASL_SSL put Netty's {@code SslHandler} first in each
 * connection's pipeline (the JDK's TLS; its handshake tasks run on the event loop, as Netty's default), SASL is
 * run by each connection ({@link KafkaConnectionHandler}, {@link SaslAuthenticator}). A listener that does not
 * authenticate its clients is refused at start on a non-loopback address (HEARTH-0420) unless
 * {@code hearth.kafka.allow.unauthenticated=true}.
 *
 * <p>Lifecycle: {@link #start} binds or fails having released everything; {@link #close} unbinds, closes
 * every connection and stops the event loops, and is idempotent. Payara never reclaims an adapter's threads
 * or sockets, so both must be complete.
 */
public final class KafkaListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaListener.class.getName());

    private final KafkaListenerConfig config;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final RequestHandlerPool handlers;
    private final RequestLatencies latencies = new RequestLatencies();
    private final ClientProblemLog clientProblems = new ClientProblemLog(LOG);
    private final ConnectionQuotas quotas;
    /** The listener's TLS; null without SSL. */
    private final ListenerTls tls;
    private final HearthSecurity security;
    private Channel serverChannel;

    private KafkaListener(KafkaListenerConfig config, EventLoopGroup bossGroup, EventLoopGroup workerGroup,
                          RequestHandlerPool handlers, ListenerTls tls, HearthSecurity security) {
        this.config = config;
        this.tls = tls;
        this.security = security;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.handlers = handlers;
        this.quotas = new ConnectionQuotas(config.limits(), clientProblems, latencies.connections());
    }

    public static KafkaListener start(KafkaListenerConfig config, LogEngine engine, GroupCoordinator coordinator,
                                      TransactionCoordinator transactions, ProducerIdAllocator producerIds,
                                      HearthSecurity security, Executor executor) throws InterruptedException {
        ListenerSecurity listenerSecurity = config.security();
        refuseUnauthenticatedExposure(config.host(), listenerSecurity);
        ListenerTls tls = listenerSecurity.usesTls() ? ListenerTls.load(listenerSecurity.tls()) : null;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, executor, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), executor,
                NioIoHandler.newFactory());
        RequestHandlerPool handlers;
        try {
            handlers = RequestHandlerPool.start(config.limits().numIoThreads(), config.limits().queuedMaxRequests(),
                    executor);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            throw e;
        }
        KafkaListener listener = new KafkaListener(config, boss, workers, handlers, tls, security);
        try {
            KafkaApis apis = new KafkaApis(config, engine, coordinator, transactions, producerIds, security,
                    listener::boundPort, handlers);
            engine.addAppendListener((topic, partition, logEndOffset) -> apis.fetchApi().onAppend(topic, partition));
            listener.bind(apis);
        } catch (InterruptedException | RuntimeException e) {
            listener.close();
            throw e;
        }
        return listener;
    }

    /**
     * Protected by default: a listener that lets clients in without proving who they are (PLAINTEXT, or SSL
     * without required client certificates) may only bind a loopback address, unless the operator says otherwise.
     * The wildcard address (0.0.0.0, ::) is not loopback.
     */
    static void refuseUnauthenticatedExposure(String host, ListenerSecurity security) {
        if (security.authenticatesClients() || security.allowUnauthenticated()) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new InvalidConfigException("HEARTH-0420 Refusing to bind the Kafka listener to " + host + " with "
                    + "hearth.kafka.security.protocol=" + security.protocol() + ": clients would not authenticate. "
                    + "Use SASL_SSL (or SASL_PLAINTEXT, or SSL with hearth.kafka.ssl.client.auth=required), bind "
                    + "hearth.kafka.host to a loopback address, or set hearth.kafka.allow.unauthenticated=true");
        }
    }

    private void bind(KafkaApis kafkaApis) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(quotas.handler());
                        if (tls != null) {
                            channel.pipeline().addLast(tls.context().newHandler(channel.alloc()))
                                    .addLast(new ChunkedWriteHandler());
                        }
                        KafkaConnectionHandler connection = new KafkaConnectionHandler(kafkaApis, handlers,
                                latencies, clientProblems, config.limits().connectionsMaxIdleMs(), config.security(),
                                security);
                        channel.pipeline()
                                .addLast(new KafkaFrameDecoder(config.maxRequestBytes(), connection::authenticated))
                                .addLast(connection);
                    }
                });
        serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        LOG.info(() -> "HEARTH-0400 Kafka protocol listening on " + address.getHostString() + ":" + address.getPort()
                + " (" + config.security() + ")");
    }

    /** Latency histograms of the requests served, per API. */
    public RequestLatencies requestLatencies() {
        return latencies;
    }

    /** Connections open now, as counted against max.connections. */
    public int connectionCount() {
        return quotas.connections();
    }

    /**
     * kafka-clients properties with which Hearth's own clients (stream-job workers, bounded runs) reach this
     * listener as {@code user}: {@code bootstrap.servers} (the bound address, 127.0.0.1 for a wildcard),
     * {@code security.protocol}, for
     * SASL {@code sasl.mechanism} (SCRAM-SHA-512 when enabled, else the first enabled) and {@code sasl.jaas.config},
     * for TLS a PEM trust store holding the listener's own certificate chain ({@code ssl.truststore.type=PEM},
     * {@code ssl.truststore.certificates}) and no host-name check, since that pins the very certificate rather
     * than trusting a CA. On SSL with required client certificates Hearth's clients present the listener's own
     * key and certificate (their principal is then the listener certificate's subject).
     */
    public Map<String, String> internalClientProperties(String user, char[] password) {
        ListenerSecurity listenerSecurity = config.security();
        Map<String, String> properties = new LinkedHashMap<>();
        InetAddress bound = ((InetSocketAddress) serverChannel.localAddress()).getAddress();
        // The address bound, loopback for a wildcard: the advertised host may be a name only outside clients resolve.
        String host = bound.isAnyLocalAddress() ? "127.0.0.1" : bound.getHostAddress();
        properties.put("bootstrap.servers", (host.contains(":") ? "[" + host + "]" : host) + ":" + boundPort());
        properties.put("security.protocol", listenerSecurity.protocol().name());
        if (listenerSecurity.usesSasl()) {
            String mechanism = listenerSecurity.saslMechanisms().contains("SCRAM-SHA-512") ? "SCRAM-SHA-512"
                    : listenerSecurity.saslMechanisms().get(0);
            String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            properties.put("sasl.mechanism", mechanism);
            properties.put("sasl.jaas.config", module + " required username=\"" + jaasQuoted(user)
                    + "\" password=\"" + jaasQuoted(new String(password)) + "\";");
        }
        if (tls != null) {
            properties.put("ssl.truststore.type", "PEM");
            properties.put("ssl.truststore.certificates", tls.certificateChainPem());
            properties.put("ssl.endpoint.identification.algorithm", "");
            if (listenerSecurity.tls().clientAuth() != ListenerSecurity.ClientAuth.NONE) {
                tls.clientKeyProperties(listenerSecurity.tls()).forEach(properties::put);
            }
        }
        return properties;
    }

    /**
     * The principal Hearth's own clients have on an SSL listener that asks for client certificates: they present the
     * listener's own certificate, so {@code User:<its subject DN>}; it must be a super user. Empty for other
     * listeners (there the internal user authenticates by SASL, or the clients are ANONYMOUS).
     */
    public static java.util.Optional<KafkaPrincipal> internalCertificatePrincipal(KafkaListenerConfig config) {
        ListenerSecurity security = config.security();
        if (security.protocol() != SecurityProtocol.SSL
                || security.tls().clientAuth() == ListenerSecurity.ClientAuth.NONE) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Principals.user(ListenerTls.load(security.tls()).subject()));
    }

    private static String jaasQuoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The bound port (differs from the configured one when that was 0). */
    public int boundPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        handlers.close();
    }
}
