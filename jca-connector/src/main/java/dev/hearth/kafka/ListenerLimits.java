package dev.hearth.kafka;

import dev.hearth.engine.InvalidConfigException;

/**
 * What one client, or all of them together, may hold of the listener's threads, memory and file
 * descriptors. Each setting carries Kafka's broker config name (under {@code hearth.kafka.}) and, where Kafka has
 * a finite default, Kafka's default.
 *
 * @param numIoThreads          {@code num.io.threads}: request-handler threads, which run every request (disk
 *                              and admin work included) so that the network threads only read, decode, encode
 *                              and write. Kafka's default 8
 * @param queuedMaxRequests     {@code queued.max.requests}: requests decoded but not yet taken by a handler
 *                              thread; when that many wait, the network threads block until one is taken, as
 *                              Kafka's do. Kafka's default 500
 * @param connectionsMaxIdleMs  {@code connections.max.idle.ms}: a connection with no bytes read or written
 *                              for this long, and no request in progress, is closed. Kafka's default 600000
 * @param maxConnectionsPerIp   {@code max.connections.per.ip}: connections one client address may hold;
 *                              further ones are closed as they are accepted. Kafka's default is unlimited; ours
 *                              is 1000, so that one address cannot take every file descriptor (each connection
 *                              is one)
 * @param maxConnections        {@code max.connections}: connections of all clients together; further ones are
 *                              closed as they are accepted. Kafka's default is unlimited; ours is 10000
 */
public record ListenerLimits(int numIoThreads, int queuedMaxRequests, long connectionsMaxIdleMs,
                             int maxConnectionsPerIp, int maxConnections) {

    public static final ListenerLimits DEFAULTS = new ListenerLimits(8, 500, 600_000, 1_000, 10_000);

    public ListenerLimits {
        if (numIoThreads < 1 || queuedMaxRequests < 1 || connectionsMaxIdleMs < 1 || maxConnectionsPerIp < 1
                || maxConnections < 1) {
            throw new InvalidConfigException("num.io.threads, queued.max.requests, connections.max.idle.ms, "
                    + "max.connections.per.ip and max.connections must be positive, not " + numIoThreads + ", "
                    + queuedMaxRequests + ", " + connectionsMaxIdleMs + ", " + maxConnectionsPerIp + " and "
                    + maxConnections);
        }
    }

    public ListenerLimits withConnectionsMaxIdleMs(long idleMs) {
        return new ListenerLimits(numIoThreads, queuedMaxRequests, idleMs, maxConnectionsPerIp, maxConnections);
    }

    public ListenerLimits withMaxConnections(int perIp, int total) {
        return new ListenerLimits(numIoThreads, queuedMaxRequests, connectionsMaxIdleMs, perIp, total);
    }

    public ListenerLimits withHandlers(int ioThreads, int queued) {
        return new ListenerLimits(ioThreads, queued, connectionsMaxIdleMs, maxConnectionsPerIp, maxConnections);
    }
}
