package dev.hearth.kafka;

import java.net.InetSocketAddress;
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
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.security.HearthSecurity;
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;

/**
 * The Kafka-protocol server, with Kafka's split of threads: Netty event loops ({@code num.network.threads})
 * read, decode, encode and write 4-byte length-prefixed frames, one {@link KafkaConnectionHandler} per
 * connection; the {@link RequestHandlerPool} ({@code num.io.threads}) runs the requests. All these threads are
 * long-running tasks of the caller's {@link Executor} (the container's WorkManager inside the adapter):
 * 1 acceptor + {@code num.network.threads} + {@code num.io.threads}.
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
    private Channel serverChannel;

    private KafkaListener(KafkaListenerConfig config, EventLoopGroup bossGroup, EventLoopGroup workerGroup,
                          RequestHandlerPool handlers) {
        this.config = config;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.handlers = handlers;
        this.quotas = new ConnectionQuotas(config.limits(), clientProblems);
    }

    public static KafkaListener start(KafkaListenerConfig config, LogEngine engine, GroupCoordinator coordinator,
                                      TransactionCoordinator transactions, ProducerIdAllocator producerIds,
                                      HearthSecurity security, Executor executor) throws InterruptedException {
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
        KafkaListener listener = new KafkaListener(config, boss, workers, handlers);
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

    private void bind(KafkaApis kafkaApis) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(quotas.handler())
                                // Fails on the length field of a frame over socket.request.max.bytes, before
                                // any buffer for its body is allocated.
                                .addLast(new LengthFieldBasedFrameDecoder(config.maxRequestBytes(), 0, 4, 0, 4))
                                .addLast(new KafkaConnectionHandler(kafkaApis, handlers, latencies,
                                        clientProblems, config.limits().connectionsMaxIdleMs()));
                    }
                });
        serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        LOG.info(() -> "HEARTH-0400 Kafka protocol listening on " + address.getHostString() + ":" + address.getPort());
    }

    /** Latency histograms of the requests served, per API. */
    public RequestLatencies requestLatencies() {
        return latencies;
    }

    /** Connections open now, as counted against max.connections. */
    public int connectionCount() {
        return quotas.connections();
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
