package dev.hearth.connector;

import java.util.Map;

import jakarta.resource.spi.work.Work;

import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.client.BackendServices;
import dev.hearth.connector.client.LogClient;

/**
 * The running backend ({@code hearth.backend}) on a container thread it holds for its life: {@link EngineWork} opens
 * and maintains the embedded engine, {@code ClusterWork} connects to a Kafka cluster and watches it. The adapter
 * knows the backend only through this interface.
 *
 * <p>Thread-safety: every method may be called from any thread; {@link #shutdown} waits for the close.
 */
interface BackendWork extends Work {

    /** Log operations; NOT_AVAILABLE unless the backend runs. */
    LogClient client();

    /** The running backend's services, or null while starting or stopped. */
    BackendServices services();

    /** kafka-clients properties with which Hearth's own clients (stream jobs) reach the log; NOT_AVAILABLE unless running. */
    Map<String, String> internalClientProperties();

    BrokerStatus status();

    /** Where the backend keeps its local state (the embedded engine's log; security files on a cluster), for the log. */
    String describe();

    /** Ends the work and waits until it is closed. Idempotent. */
    void shutdown();
}
