package dev.hearth.connect.control;

import static org.apache.kafka.clients.CommonClientConfigs.CLIENT_ID_CONFIG;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.Worker;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.RestClient;
import org.apache.kafka.connect.storage.ConfigBackingStore;
import org.apache.kafka.connect.storage.KafkaConfigBackingStore;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.storage.KafkaStatusBackingStore;
import org.apache.kafka.connect.storage.StatusBackingStore;
import org.apache.kafka.connect.util.ConnectUtils;
import org.apache.kafka.connect.util.SharedTopicAdmin;

/**
 * One Kafka Connect worker in distributed mode, assembled exactly as Connect's {@code ConnectDistributed} does
 * ({@code AbstractConnectCli.startConnect} then {@code ConnectDistributed.createHerder}: plugins, a shared admin,
 * the Kafka-backed offset, status and config stores, the {@link Worker} and the {@link DistributedHerder}) except
 * that no {@code ConnectRestServer} is created: hearth.war serves Connect's REST API and calls the herder directly.
 * The herder still gets Connect's {@link RestClient}, with which a worker that is not the group's leader forwards
 * requests to it (at the leader's {@code advertisedUrl}); one Hearth is always its own leader.
 * <p>
 * Threads: Connect creates its own. The herder, the worker's task executor and the stores' reader threads come from
 * {@code Executors} inside Connect's constructors; the constructors that accept an {@code ExecutorService}
 * ({@code Worker}'s and {@code DistributedHerder}'s) are package-private in Connect 4.4, so they cannot be given
 * container-managed threads. They inherit the class loader of the thread that calls {@link #start()}: that call
 * runs with Connect's delegating plugin class loader as context loader, as Connect's main thread does.
 * <p>
 * Lifecycle: {@link #start()} returns once the herder thread runs (it joins the group and reads the internal topics
 * in the background); {@link #stop()} stops every connector and task, leaves the group and closes the stores. Both
 * are called by one thread (the owning bean's); {@link #herder()} is thread-safe, as Connect's herder is.
 */
public final class HostedWorker {

    private final Plugins plugins;
    private final DistributedHerder herder;

    /**
     * Scans the plugins and builds the worker; connects to nothing yet except to look up the Kafka cluster id.
     *
     * @param workerProps  the worker configuration ({@link WorkerSettings})
     * @param advertisedUrl this worker's REST base URL, as other workers of the group would reach it; its
     *                      {@code host:port} is the worker id shown in statuses
     */
    public HostedWorker(Map<String, String> workerProps, URI advertisedUrl) {
        plugins = new Plugins(workerProps);
        ClassLoader previous = plugins.compareAndSwapWithDelegatingLoader();
        try {
            DistributedConfig config = new DistributedConfig(workerProps);
            String workerId = advertisedUrl.getHost() + ":" + advertisedUrl.getPort();
            ConnectorClientConfigOverridePolicy overridePolicy = plugins.newPlugin(
                    config.getString(WorkerConfig.CONNECTOR_CLIENT_POLICY_CLASS_CONFIG), config,
                    ConnectorClientConfigOverridePolicy.class);
            herder = createHerder(config, workerId, advertisedUrl.toString(), overridePolicy, new RestClient(config));
        } finally {
            Plugins.compareAndSwapLoaders(previous);
        }
    }

    /** {@code ConnectDistributed.createHerder}, with the advertised URL given rather than taken from a RestServer. */
    private DistributedHerder createHerder(DistributedConfig config, String workerId, String advertisedUrl,
                                           ConnectorClientConfigOverridePolicy overridePolicy, RestClient restClient) {
        String kafkaClusterId = config.kafkaClusterId();
        String clientIdBase = ConnectUtils.clientIdBase(config);
        Map<String, Object> adminProps = new HashMap<>(config.originals());
        ConnectUtils.addMetricsContextProperties(adminProps, config, kafkaClusterId);
        adminProps.put(CLIENT_ID_CONFIG, clientIdBase + "shared-admin");
        SharedTopicAdmin sharedAdmin = new SharedTopicAdmin(adminProps);

        KafkaOffsetBackingStore offsetStore = new KafkaOffsetBackingStore(sharedAdmin, () -> clientIdBase,
                plugins.newInternalConverter(true, JsonConverter.class.getName(),
                        Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false")));
        offsetStore.configure(config);

        Worker worker = new Worker(workerId, Time.SYSTEM, plugins, config, offsetStore, overridePolicy);
        StatusBackingStore statusStore = new KafkaStatusBackingStore(Time.SYSTEM, worker.getInternalValueConverter(),
                sharedAdmin, clientIdBase);
        statusStore.configure(config);
        ConfigBackingStore configStore = new KafkaConfigBackingStore(worker.getInternalValueConverter(), config,
                worker.configTransformer(), sharedAdmin, clientIdBase);
        // The shared admin is closed by the herder when it stops, as in ConnectDistributed.
        return new DistributedHerder(config, Time.SYSTEM, worker, kafkaClusterId, statusStore, configStore,
                advertisedUrl, restClient, overridePolicy, List.of(), sharedAdmin);
    }

    /** Starts the herder thread (with the plugin class loader as its context loader, inherited from here). */
    public void start() {
        ClassLoader previous = plugins.compareAndSwapWithDelegatingLoader();
        try {
            herder.start();
        } finally {
            Plugins.compareAndSwapLoaders(previous);
        }
    }

    /** Stops connectors and tasks, leaves the group, closes the stores and the shared admin; blocks until done. */
    public void stop() {
        herder.stop();
    }

    public DistributedHerder herder() {
        return herder;
    }
}
