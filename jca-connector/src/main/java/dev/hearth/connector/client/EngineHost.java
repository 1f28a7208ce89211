package dev.hearth.connector.client;

import java.util.List;

import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.api.DeliveryStats;

/**
 * What the resource adapter that hosts the engine offers its outbound connections: the engine's client and services
 * while it runs, its status, and the message-driven beans' delivery counts. The outbound side sees the adapter only
 * through this interface, so that it does not depend on the adapter's root package (which depends on it).
 *
 * <p>Thread-safety: implementations are safe to call from any thread; the engine may start or stop between calls.
 */
public interface EngineHost {

    /** Operations on the running engine; fails with NOT_AVAILABLE while starting, after a failure or when stopped. */
    LogClient client();

    /** The running backend's services, or null while starting or stopped. */
    BackendServices services();

    /** The embedded engine's own services, or null while it is not running and always on a cluster. */
    default EngineServices engineServices() {
        BackendServices services = services();
        return services == null ? null : services.engine();
    }

    BrokerStatus status();

    /** Whether the backend is a Kafka cluster ({@code hearth.backend=kafka}); fixed from the adapter's start. */
    boolean onCluster();

    /**
     * kafka-clients properties with which Hearth's own clients reach its Kafka listener as the internal super user
     * ({@code bootstrap.servers}, {@code security.protocol}, SASL and TLS settings); empty without a listener.
     * NOT_AVAILABLE unless the engine runs.
     */
    java.util.Map<String, String> internalClientProperties();

    /** Message-driven-bean delivery counts since the adapter started, ordered by group, then topic. */
    List<DeliveryStats> deliveryStats();
}
