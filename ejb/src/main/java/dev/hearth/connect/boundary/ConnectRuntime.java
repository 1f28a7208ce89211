package dev.hearth.connect.boundary;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.RestartRequest;
import org.apache.kafka.connect.runtime.TargetState;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.rest.entities.PluginInfo;
import org.apache.kafka.connect.runtime.rest.entities.TaskInfo;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.apache.kafka.connect.util.Callback;
import org.apache.kafka.connect.util.ConnectorTaskId;
import org.apache.kafka.connect.util.FutureCallback;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.hearth.connect.control.HostedWorker;
import dev.hearth.connect.control.WorkerSettings;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.platform.control.LogConnections;

/**
 * The Kafka Connect worker hosted by Hearth, started and stopped with hearth.war when {@code hearth.connect.enabled}
 * is true (default false), and the façade its REST API calls: the operations of Connect's own REST resources, with
 * the same semantics and Connect's own entities ({@link ConnectorInfo}, {@link ConnectorStateInfo}, …) as results.
 * Failures are Connect's exceptions, unchanged ({@code NotFoundException}, {@code AlreadyExistsException},
 * {@link ConnectRestException} with its HTTP status, {@code BadRequestException} for an invalid config), so that
 * the REST layer maps them as Connect does; {@link ConnectWorkerUnavailableException} while there is no worker.
 * <p>
 * The worker is built and started on a thread of the container's {@code java:comp/DefaultManagedThreadFactory}, so
 * that deployment does not wait for plugin scanning and the first Kafka round trips; its own threads are Connect's
 * (see {@link HostedWorker}). Start and stop are serialized by this object's lock; operations read the worker
 * through a volatile field and block on the herder's callbacks, at most {@link #REQUEST_TIMEOUT_MS}, outside the
 * lock. Thread-safe.
 */
@ApplicationScoped
public class ConnectRuntime {

    private static final Logger LOG = Logger.getLogger(ConnectRuntime.class.getName());
    /** The longest wait for the herder to answer one request, in ms: Connect's REST default (90 s). */
    static final long REQUEST_TIMEOUT_MS = 90_000;
    /** Connect's ConnectorPluginsResource leaves these test connectors out of {@code GET /connector-plugins}. */
    private static final List<String> HIDDEN_CONNECTORS = List.of(
            "org.apache.kafka.connect.tools.MockSinkConnector", "org.apache.kafka.connect.tools.MockSourceConnector",
            "org.apache.kafka.connect.tools.SchemaSourceConnector",
            "org.apache.kafka.connect.tools.VerifiableSinkConnector",
            "org.apache.kafka.connect.tools.VerifiableSourceConnector");

    @Inject
    LogConnections connections;

    @Inject
    Config config;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threadFactory;

    /** Whether Hearth runs a Connect worker at all. */
    @Inject
    @ConfigProperty(name = "hearth.connect.enabled", defaultValue = "false")
    boolean enabled;

    /**
     * This worker's REST base URL as other workers of its group reach it (Connect's {@code rest.advertised.*}); its
     * {@code host:port} is the {@code worker_id} of statuses.
     */
    @Inject
    @ConfigProperty(name = "hearth.connect.advertised.url", defaultValue = "http://127.0.0.1:8080/api/connect/")
    String advertisedUrl;

    @Inject
    @ConfigProperty(name = "hearth.data.dir", defaultValue = "hearth-data")
    String dataDir;

    /** The running worker; null while disabled, starting, failed or stopped. */
    private volatile HostedWorker worker;
    /** Why there is no worker, for {@link ConnectWorkerUnavailableException}; null once running. */
    private volatile String unavailableReason = "The Kafka Connect worker is starting";
    /** The thread building and starting the worker, joined by {@link #stop()}; guarded by this. */
    private Thread starter;
    /** Set by {@link #stop()}: a worker that finishes starting afterwards is stopped at once; guarded by this. */
    private boolean stopped;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!enabled) {
            unavailableReason = "The Kafka Connect worker is disabled: start Hearth with hearth.connect.enabled=true "
                    + "(-Dhearth.connect.enabled=true or HEARTH_CONNECT_ENABLED=true) to run connectors";
            LOG.info("HEARTH-1200 Kafka Connect worker disabled (hearth.connect.enabled=false)");
            return;
        }
        synchronized (this) {
            starter = threadFactory.newThread(this::startWorker);
            starter.setName("hearth-connect-start");
            starter.start();
        }
    }

    private void startWorker() {
        try {
            Map<String, String> clientProperties = connections.apply(HearthConnection::internalClientProperties);
            if (clientProperties.isEmpty()) {
                throw new IllegalStateException("Kafka Connect needs Hearth's Kafka listener, which is disabled");
            }
            ensurePluginDirectory();
            Map<String, String> settings = WorkerSettings.of(clientProperties, passThrough(), Path.of(dataDir));
            HostedWorker started = new HostedWorker(settings, URI.create(advertisedUrl));
            started.start();
            synchronized (this) {
                if (stopped) {
                    started.stop();
                    return;
                }
                worker = started;
                unavailableReason = null;
            }
            LOG.info(() -> "HEARTH-1201 Kafka Connect worker started: group " + settings.get("group.id")
                    + ", plugins from " + settings.get("plugin.path"));
        } catch (RuntimeException | IOException e) {
            unavailableReason = "The Kafka Connect worker failed to start: " + e.getMessage();
            LOG.log(Level.SEVERE, e, () -> "HEARTH-1202 Kafka Connect worker failed to start: " + e.getMessage());
        }
    }

    /** The default plugin path, created when missing (each subdirectory is one plugin, isolated by Connect). */
    private void ensurePluginDirectory() throws IOException {
        Files.createDirectories(Path.of(dataDir, WorkerSettings.PLUGIN_DIRECTORY).toAbsolutePath());
    }

    /** The {@code hearth.connect.worker.<key>} settings, as {@code <key>}. */
    private Map<String, String> passThrough() {
        Map<String, String> keys = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(WorkerSettings.PASS_THROUGH_PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(value ->
                        keys.put(name.substring(WorkerSettings.PASS_THROUGH_PREFIX.length()), value));
            }
        }
        return keys;
    }

    @PreDestroy
    void stop() {
        Thread startingThread;
        synchronized (this) {
            stopped = true;
            startingThread = starter;
        }
        if (startingThread != null) {
            try {
                startingThread.join(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        HostedWorker running;
        synchronized (this) {
            running = worker;
            worker = null;
            unavailableReason = "The Kafka Connect worker is stopped";
        }
        if (running != null) {
            running.stop();
            LOG.info("HEARTH-1203 Kafka Connect worker stopped");
        }
    }

    /** Whether the worker is enabled by configuration (it may still be starting, or have failed). */
    public boolean isEnabled() {
        return enabled;
    }

    public Collection<String> connectors() {
        return await(herder()::connectors);
    }

    public ConnectorInfo connectorInfo(String connector) {
        return await(callback -> herder().connectorInfo(connector, callback));
    }

    public ConnectorStateInfo connectorStatus(String connector) {
        return herder().connectorStatus(connector);
    }

    public Map<String, String> connectorConfig(String connector) {
        return await(callback -> herder().connectorConfig(connector, callback));
    }

    /**
     * Creates a connector ({@code allowReplace} false: an existing one is a 409) or replaces its config.
     *
     * @param initialState the target state of a new connector, or null for RUNNING
     */
    public Herder.Created<ConnectorInfo> putConnectorConfig(String connector, Map<String, String> connectorConfig,
                                                            TargetState initialState, boolean allowReplace) {
        return ConnectRuntime.<Herder.Created<ConnectorInfo>>await(callback -> herder().putConnectorConfig(connector, connectorConfig, initialState, allowReplace,
                callback));
    }

    public void deleteConnector(String connector) {
        ConnectRuntime.<Herder.Created<ConnectorInfo>>await(
                callback -> herder().deleteConnectorConfig(connector, callback));
    }

    public List<TaskInfo> taskConfigs(String connector) {
        return await(callback -> herder().taskConfigs(connector, callback));
    }

    public ConnectorStateInfo.TaskState taskStatus(String connector, int task) {
        return herder().taskStatus(new ConnectorTaskId(connector, task));
    }

    /**
     * Restarts a connector, as Connect's {@code POST /connectors/{c}/restart}: the connector alone (empty result)
     * when neither flag is set, otherwise what {@link RestartRequest} selects, with the status it leads to.
     */
    public Optional<ConnectorStateInfo> restart(String connector, boolean includeTasks, boolean onlyFailed) {
        if (!includeTasks && !onlyFailed) {
            await((Callback<Void> callback) -> herder().restartConnector(connector, callback));
            return Optional.empty();
        }
        RestartRequest request = new RestartRequest(connector, onlyFailed, includeTasks);
        return Optional.of(await(callback -> herder().restartConnectorAndTasks(request, callback)));
    }

    public void restartTask(String connector, int task) {
        ConnectRuntime.<Void>await(callback -> herder().restartTask(new ConnectorTaskId(connector, task), callback));
    }

    /** Asks for a pause; as in Connect, it takes effect asynchronously (the REST answer is 202). */
    public void pause(String connector) {
        herder().pauseConnector(connector);
    }

    /** Asks for a resume; as in Connect, it takes effect asynchronously (the REST answer is 202). */
    public void resume(String connector) {
        herder().resumeConnector(connector);
    }

    public void stopConnector(String connector) {
        ConnectRuntime.<Void>await(callback -> herder().stopConnector(connector, callback));
    }

    public ConnectorOffsets offsets(String connector) {
        return await(callback -> herder().connectorOffsets(connector, callback));
    }

    /** The installed connector plugins, or with {@code connectorsOnly} false every plugin (converters, …). */
    public List<PluginInfo> plugins(boolean connectorsOnly) {
        Plugins plugins = herder().plugins();
        Stream<PluginDesc<?>> descs = connectorsOnly
                ? Stream.concat(plugins.sourceConnectors().stream(), plugins.sinkConnectors().stream())
                : Stream.of(plugins.sourceConnectors(), plugins.sinkConnectors(),
                        plugins.converters(), plugins.headerConverters(), plugins.transformations(),
                        plugins.predicates()).flatMap(Collection::stream);
        return descs.filter(desc -> !HIDDEN_CONNECTORS.contains(desc.className())).distinct().map(PluginInfo::new)
                .toList();
    }

    private DistributedHerder herder() {
        HostedWorker running = worker;
        if (running == null) {
            String reason = unavailableReason;
            throw new ConnectWorkerUnavailableException(reason, !enabled);
        }
        return running.herder();
    }

    /** Runs a herder request and waits for its callback; Connect's exception, unwrapped, if it failed. */
    private static <T> T await(Consumer<Callback<T>> request) {
        FutureCallback<T> callback = new FutureCallback<>();
        request.accept(callback);
        try {
            return callback.get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectException connect) {
                throw connect;
            }
            throw new ConnectException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ConnectRestException(500, "Request timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectRestException(500, "Interrupted while waiting for the Connect worker");
        }
    }
}
