package dev.hearth.connector.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.client.TransactionalSends;
import dev.hearth.connector.outbox.OutboxConfig;
import dev.hearth.connector.outbox.OutboxRelays;
import dev.hearth.connector.outbox.OutboxWriter;

/**
 * Sends inside JTA transactions on a Kafka cluster: the transactional outbox ({@link OutboxWriter},
 * {@link OutboxRelays}) in a database of the application's. On the application's thread, the data source is
 * <ol>
 *   <li>{@value #APPLICATION_OUTBOX}, if the application declares it, e.g. with
 *       {@code @Resource(name = "java:app/env/hearth/outbox", lookup = "java:app/jdbc/orders", type = DataSource.class)}
 *       on one of its classes: the outbox is then in the application's own database, written in the same local (or
 *       XA) transaction as its own rows, and no second database joins the transaction;</li>
 *   <li>else the one {@code hearth.backend.outbox.datasource} names (default Hearth's own database,
 *       {@value #DEFAULT_DATA_SOURCE}).</li>
 * </ol>
 *
 * <p>Relays: one set per outbox, started at the first send through it after a start (on the application's thread,
 * where its data source is deployed for certain) and kept until the backend stops; records an earlier run committed
 * but did not publish are published from then on. They do not start with the backend: looking the data source up
 * from another thread while the application that defines it deploys once made Payara fail that deployment.
 *
 * <p>Outbox names (in transactional ids and progress keys): {@code <cluster id>/<data source>}, with the
 * application's name for names outside {@code java:global}; {@code hearth.cluster.id} must therefore differ between
 * deployments that share a Kafka cluster but not a database.
 *
 * <p>Thread-safety: thread-safe; {@link #send} runs on the caller's thread, relays on the executor's.
 */
public final class ClusterOutbox implements TransactionalSends, AutoCloseable {

    public static final String DEFAULT_DATA_SOURCE = "java:global/hearth/jdbc/hearth";
    /** The name under which an application declares the data source of its own outbox. */
    public static final String APPLICATION_OUTBOX = "java:app/env/hearth/outbox";
    private static final String REGISTRY = "java:comp/TransactionSynchronizationRegistry";
    private static final long START_TIMEOUT_SECONDS = 60;

    private final ClusterSettings settings;
    private final String dataSourceName;
    private final Executor executor;
    private final OutboxWriter writer = new OutboxWriter(OutboxConfig.DEFAULT_SHARDS);
    /**
     * Relays per outbox name: one set per outbox in this process, however many objects the container hands out for
     * its data source (two sets would share the instance id, and so the leases, and fence each other in turns).
     */
    private final Map<String, OutboxRelays> relays = new HashMap<>();
    private volatile boolean closed;
    /** See {@link #registryOrNull}; null until first found. */
    private volatile TransactionSynchronizationRegistry registry;

    public ClusterOutbox(ClusterSettings settings, String dataSourceName, Executor executor) {
        this.settings = settings;
        this.dataSourceName = dataSourceName;
        this.executor = executor;
    }

    @Override
    public boolean inTransaction() {
        TransactionSynchronizationRegistry registry = registryOrNull();
        return registry != null && registry.getTransactionStatus() == Status.STATUS_ACTIVE;
    }

    @Override
    public List<ProduceReceipt> send(String topic, List<OutgoingRecord> records) {
        LogClient.requireApplicationTopic(topic);
        DataSource dataSource;
        String application = null;
        String name = dataSourceName;
        try {
            InitialContext context = new InitialContext();
            try {
                dataSource = (DataSource) context.lookup(APPLICATION_OUTBOX);
                name = APPLICATION_OUTBOX;
            } catch (NamingException notDeclared) {
                dataSource = (DataSource) context.lookup(dataSourceName);
            }
            if (!name.startsWith("java:global/")) {
                application = (String) context.lookup("java:app/AppName");
            }
        } catch (NamingException | ClassCastException e) {
            throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "HEARTH-0760 Sends in a JTA transaction on "
                    + "a Kafka cluster go through an outbox: the application declares none (" + APPLICATION_OUTBOX
                    + ") and " + dataSourceName + " (hearth.backend.outbox.datasource) cannot be looked up here: "
                    + e.getMessage(), Map.of());
        }
        OutboxRelays outbox = relaysFor(dataSource, outboxName(application, name));
        try (Connection connection = dataSource.getConnection()) {
            List<ProduceReceipt> receipts = writer.append(connection, topic, records);
            TransactionSynchronizationRegistry registry = registryOrNull();
            if (registry != null) {
                registry.registerInterposedSynchronization(outbox.wakeUpAfterCommit());
            }
            return receipts;
        } catch (SQLException e) {
            throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "HEARTH-0761 Could not write to the outbox "
                    + "in " + name + ": " + e.getMessage() + " (the transaction should roll back)", Map.of());
        }
    }

    private String outboxName(String application, String name) {
        return settings.clusterId() + "/" + (application == null ? "" : application + "/") + name;
    }

    /** The data source's relays, started (tables created) on an executor thread, outside the caller's transaction. */
    private OutboxRelays relaysFor(DataSource dataSource, String name) {
        synchronized (relays) {
            OutboxRelays existing = relays.get(name);
            if (existing != null) {
                return existing;
            }
            if (closed) {
                throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "The Kafka cluster backend stopped",
                        Map.of());
            }
            Map<String, Object> kafka = new HashMap<>(settings.clientProperties());
            OutboxConfig config = OutboxConfig.defaults(name, kafka)
                    .withInstanceId(settings.instanceId());
            CompletableFuture<OutboxRelays> started = new CompletableFuture<>();
            executor.execute(() -> {
                try {
                    started.complete(OutboxRelays.start(dataSource, config, executor));
                } catch (SQLException | RuntimeException e) {
                    started.completeExceptionally(e);
                }
            });
            try {
                OutboxRelays running = started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                relays.put(name, running);
                return running;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "Interrupted while starting the outbox "
                        + name, Map.of());
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "HEARTH-0762 Could not start the outbox "
                        + name + " in " + dataSourceName + ": " + cause, Map.of());
            }
        }
    }

    /**
     * The container's registry, looked up once: it is one object for the server, usable from any thread, so a send
     * outside a transaction (the common case) costs no JNDI lookup.
     */
    private TransactionSynchronizationRegistry registryOrNull() {
        TransactionSynchronizationRegistry known = registry;
        if (known == null) {
            try {
                known = (TransactionSynchronizationRegistry) new InitialContext().lookup(REGISTRY);
                registry = known;
            } catch (NamingException e) {
                return null;
            }
        }
        return known;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (relays) {
            relays.values().forEach(OutboxRelays::close);
            relays.clear();
        }
    }
}
