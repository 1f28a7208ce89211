package dev.hearth.connector.inbound;

import dev.hearth.connector.client.BackendServices;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.transaction.xa.XAResource;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

/**
 * The adapter's active message endpoints: one {@link RecordDispatcher} per activation. Activation
 * validates the properties (failing with an error that names the property) and starts delivery, which
 * waits for the engine if it is still recovering and for topics that do not exist yet. Deactivation stops
 * delivery, lets in-flight records finish and commit, and leaves the group, before it returns.
 * Thread-safe.
 */
public final class Activations {

    private static final Logger LOG = Logger.getLogger(Activations.class.getName());
    private static final long STOP_TIMEOUT_MS = 60_000;

    private final WorkManager workManager;
    private final Map<MessageEndpointFactory, RecordDispatcher> active = new ConcurrentHashMap<>();
    /** Survives deactivations: a redeployed bean continues its group's counts. */
    private final DeliveryCounters counters = new DeliveryCounters();

    public Activations(WorkManager workManager) {
        this.workManager = workManager;
    }

    public void activate(MessageEndpointFactory factory, HearthActivationSpec spec, Supplier<BackendServices> services)
            throws ResourceException {
        ActivationSettings settings = spec.settings();
        String name = factory.getActivationName() == null ? settings.groupId() : factory.getActivationName();
        EndpointInvoker invoker = new EndpointInvoker(factory, settings.offsetsDataSource());
        if (settings.offsetsDataSource() != null && !invoker.transacted()) {
            LOG.warning(() -> "HEARTH-0733 Activation " + name + ": offsetsDataSource " + settings.offsetsDataSource()
                    + " is ignored because its deliveries are not transacted (container-managed REQUIRED)");
        } else if (settings.offsetsDataSource() == null && invoker.transacted()) {
            LOG.info(() -> "HEARTH-0734 Activation " + name + ": transacted delivery commits offsets as an XA branch; "
                    + "for exactly-once into the bean's database set activation property offsetsDataSource");
        }
        RecordDispatcher dispatcher = new RecordDispatcher(name, settings, invoker, services, workManager, counters);
        try {
            workManager.scheduleWork(dispatcher);
        } catch (WorkException e) {
            throw new ResourceException("HEARTH-0730 Could not start delivery for " + name + ": " + e.getMessage(), e);
        }
        active.put(factory, dispatcher);
        LOG.info(() -> "HEARTH-0731 Activated " + name + " in group " + settings.groupId() + " on "
                + (settings.topicPattern() == null ? settings.topics() : "topics matching " + settings.topicPattern()));
    }

    public void deactivate(MessageEndpointFactory factory) {
        RecordDispatcher dispatcher = active.remove(factory);
        if (dispatcher != null) {
            stop(dispatcher);
        }
    }

    public void deactivateAll() {
        for (MessageEndpointFactory factory : List.copyOf(active.keySet())) {
            deactivate(factory);
        }
    }

    private static void stop(RecordDispatcher dispatcher) {
        dispatcher.release();
        try {
            if (!dispatcher.awaitStopped(STOP_TIMEOUT_MS)) {
                LOG.severe("HEARTH-0732 A message endpoint did not stop within " + STOP_TIMEOUT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivery counts per group and topic since the adapter started. */
    public DeliveryCounters counters() {
        return counters;
    }

    /** The XA offset commits to recover, or null where the backend has none. */
    public XAResource recoveryResource(BackendServices services) {
        return services.xaOffsets() == null ? null : new OffsetCommitXAResource(services.xaOffsets(), null);
    }
}
