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
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;

/**
 * The Kafka-protocol server: Netty event loops (threads supplied by the caller's {@link Executor}, the
 * container's WorkManager inside the adapter), 4-byte length-prefixed frames, one
 * {@link KafkaConnectionHandler} per connection.
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
    private final RequestLatencies latencies = new RequestLatencies();
    private Channel serverChannel;

    private KafkaListener(KafkaListenerConfig config, EventLoopGroup bossGroup, EventLoopGroup workerGroup) {
        this.config = config;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
    }

    public static KafkaListener start(KafkaListenerConfig config, LogEngine engine, GroupCoordinator coordinator,
                                      TransactionCoordinator transactions, ProducerIdAllocator producerIds,
                                      Executor executor) throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, executor, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), executor,
                NioIoHandler.newFactory());
        KafkaListener listener = new KafkaListener(config, boss, workers);
        try {
            KafkaApis apis = new KafkaApis(config, engine, coordinator, transactions, producerIds, listener::boundPort);
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
                                .addLast(new LengthFieldBasedFrameDecoder(config.maxRequestBytes(), 0, 4, 0, 4))
                                .addLast(new KafkaConnectionHandler(kafkaApis, latencies));
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
    }
}
