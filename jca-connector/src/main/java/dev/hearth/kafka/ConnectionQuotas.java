package dev.hearth.kafka;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Kafka's {@code max.connections.per.ip} and {@code max.connections}: a connection accepted beyond either is
 * closed at once, before any byte of it is read, as Kafka's acceptor does. Every connection holds a file
 * descriptor and buffers, so without these one client address could take them all and lock every other client
 * out.
 *
 * <p>Thread-safety: the counts are shared by all network threads (a concurrent map of per-address counters that
 * drops an address at zero, and an atomic total); {@link #handler} gives each connection its own handler, which
 * releases exactly what it took.
 */
final class ConnectionQuotas {

    private final int maxConnectionsPerIp;
    private final int maxConnections;
    private final ClientProblemLog problems;
    /** What metrics show of admitted, closed and refused connections. */
    private final ConnectionCounts counts;
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    ConnectionQuotas(ListenerLimits limits, ClientProblemLog problems, ConnectionCounts counts) {
        this.maxConnectionsPerIp = limits.maxConnectionsPerIp();
        this.maxConnections = limits.maxConnections();
        this.problems = problems;
        this.counts = counts;
    }

    /** The first handler of a new connection's pipeline. */
    ChannelInboundHandlerAdapter handler() {
        return new Quota();
    }

    /** Connections counted now (for tests and metrics). */
    int connections() {
        return total.get();
    }

    private boolean tryAcquire(InetAddress address) {
        if (total.incrementAndGet() > maxConnections) {
            total.decrementAndGet();
            counts.refused(ConnectionCounts.Refusal.MAX_CONNECTIONS);
            problems.warn("HEARTH-0222", () -> "Refused a Kafka connection from " + address.getHostAddress()
                    + ": the broker holds max.connections=" + maxConnections + " connections");
            return false;
        }
        boolean[] admitted = {false};
        perAddress.compute(address, (a, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxConnectionsPerIp) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            counts.refused(ConnectionCounts.Refusal.MAX_CONNECTIONS_PER_IP);
            problems.warn("HEARTH-0223", () -> "Refused a Kafka connection from " + address.getHostAddress()
                    + ": that address holds max.connections.per.ip=" + maxConnectionsPerIp + " connections");
        }
        return admitted[0];
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
        total.decrementAndGet();
    }

    /** One connection's claim on the quotas; confined to its event loop. */
    private final class Quota extends ChannelInboundHandlerAdapter {
        private InetAddress address;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            InetAddress remote = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            if (!tryAcquire(remote)) {
                ctx.close();
                return;
            }
            address = remote;
            counts.accepted();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (address != null) {
                release(address);
                counts.closed();
                address = null;
            }
            ctx.fireChannelInactive();
        }
    }
}
