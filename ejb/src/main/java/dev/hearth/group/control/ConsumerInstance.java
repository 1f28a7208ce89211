package dev.hearth.group.control;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.hearth.connector.api.GroupConsumer;
import dev.hearth.connector.api.GroupSubscription;

/**
 * One HTTP member of a consumer group (Confluent REST Proxy's "consumer instance"): the connector's
 * {@link GroupConsumer}, the user who created it and when it was last used. It is idle while no call runs;
 * idle for longer than its session timeout it has expired, because the coordinator has dropped it by then.
 *
 * <p>Thread-safety: {@link #use} may run concurrently (the consumer serializes its own calls); the
 * bookkeeping is atomic.
 */
public final class ConsumerInstance {

    /** The id in the member's URL: not the coordinator's member id, which changes when the member rejoins. */
    private final String id;
    /** The user that created the member, or null when security is off. */
    private final String owner;
    private final GroupSubscription subscription;
    private final GroupConsumer consumer;
    /** Calls running now. */
    private final AtomicInteger activeCalls = new AtomicInteger();
    /** System.nanoTime() when the last call ended (or the member was created). */
    private volatile long lastUsedNanos = System.nanoTime();

    public ConsumerInstance(String id, String owner, GroupSubscription subscription, GroupConsumer consumer) {
        this.id = id;
        this.owner = owner;
        this.subscription = subscription;
        this.consumer = consumer;
    }

    /** Runs a call on the consumer, counting it as activity that keeps the member alive. */
    public <T> T use(Supplier<T> call) {
        activeCalls.incrementAndGet();
        try {
            return call.get();
        } finally {
            lastUsedNanos = System.nanoTime();
            activeCalls.decrementAndGet();
        }
    }

    /** Whether no call ran for longer than the session timeout. */
    public boolean expired(long nowNanos) {
        return activeCalls.get() == 0 && nowNanos - lastUsedNanos > subscription.sessionTimeoutMs() * 1_000_000L;
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public GroupSubscription subscription() {
        return subscription;
    }

    public GroupConsumer consumer() {
        return consumer;
    }
}
