package dev.hearth.connector;

import java.util.logging.Level;
import java.util.logging.Logger;

import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkException;

import dev.hearth.connector.client.EngineHost;
import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.inbound.Activations;
import dev.hearth.connector.client.BackendServices;
import dev.hearth.connector.inbound.HearthActivationSpec;
import dev.hearth.connector.outbound.ProduceXAResource;

/**
 * Hosts Hearth's log engine inside the application server. {@link #start} schedules an {@link EngineWork}
 * that opens and recovers the engine and then runs its background duties (flush, retention, checkpoints);
 * {@link #stop} ends that work, which closes the engine cleanly.
 *
 * <p>Config properties (ra.xml, overridable per key by MicroProfile Config {@code hearth.*}, see
 * {@link AdapterSettings}): dataDir, flushIntervalMs, segmentBytes, segmentMs, retentionMs,
 * retentionBytes, maxMessageBytes, retentionCheckIntervalMs, kafkaHost, kafkaPort.
 *
 * <p>Thread-safety: the container calls lifecycle methods serially; {@link #client()} and
 * {@link #status()} are safe from any thread.
 */
public class HearthResourceAdapter implements ResourceAdapter, EngineHost, java.io.Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(HearthResourceAdapter.class.getName());

    private String dataDir;
    private Long flushIntervalMs;
    private Integer segmentBytes;
    private Long segmentMs;
    private Long retentionMs;
    private Long retentionBytes;
    private Integer maxMessageBytes;
    private Long retentionCheckIntervalMs;
    private String kafkaHost;
    private Integer kafkaPort;

    private transient volatile BackendWork engineWork;
    private transient volatile boolean onCluster;
    private transient volatile Activations activations;

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        AdapterSettings settings = new AdapterSettings(this);
        activations = new Activations(context.getWorkManager());
        WorkManagerExecutor executor = new WorkManagerExecutor(context.getWorkManager());
        onCluster = settings.backend() == AdapterSettings.Backend.KAFKA;
        BackendWork work = onCluster
                ? new ClusterWork(settings.clusterSettings(), settings.topicAutoCreation(), settings.securitySettings(),
                        settings.jobsUser(), executor)
                : new EngineWork(settings.engineConfig(), settings.clusterId(), settings.kafkaListenerConfig(),
                        settings.topicAutoCreation(), settings.securitySettings(), settings.jobsUser(), executor);
        try {
            context.getWorkManager().scheduleWork(work);
        } catch (WorkException e) {
            throw new ResourceAdapterInternalException("HEARTH-0202 Could not schedule the engine work: " + e, e);
        }
        engineWork = work;
        LOG.info(() -> "HEARTH-0203 Hearth resource adapter started; " + work.describe());
    }

    @Override
    public void stop() {
        BackendWork work = engineWork;
        if (work == null) {
            return;
        }
        // Endpoints first: deliveries finish and commit while the engine is still open.
        activations.deactivateAll();
        try {
            work.shutdown();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "HEARTH-0204 Hearth engine did not stop cleanly; the next start recovers", e);
        }
        engineWork = null;
    }

    /** Operations on the running engine; fails with NOT_AVAILABLE while starting or after a failure. */
    @Override
    public LogClient client() {
        BackendWork work = engineWork;
        if (work == null) {
            throw LogClient.notAvailable("The Hearth resource adapter is not started");
        }
        return work.client();
    }

    /** The running engine's services, or null while starting or stopped. */
    @Override
    public BackendServices services() {
        BackendWork work = engineWork;
        return work == null ? null : work.services();
    }

    /** Message-driven-bean delivery counts since the adapter started. */
    @Override
    public java.util.List<dev.hearth.connector.api.DeliveryStats> deliveryStats() {
        Activations current = activations;
        return current == null ? java.util.List.of() : current.counters().snapshot();
    }

    @Override
    public java.util.Map<String, String> internalClientProperties() {
        BackendWork work = engineWork;
        if (work == null) {
            throw LogClient.notAvailable("The Hearth resource adapter is not started");
        }
        return work.internalClientProperties();
    }

    @Override
    public boolean onCluster() {
        return onCluster;
    }

    @Override
    public BrokerStatus status() {
        BackendWork work = engineWork;
        return work == null ? new BrokerStatus(BrokerStatus.State.STOPPED, "resource adapter stopped", 0) : work.status();
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof HearthActivationSpec hearthSpec)) {
            throw new NotSupportedException("HEARTH-0206 Not a Hearth activation spec: " + spec);
        }
        activations.activate(factory, hearthSpec, () -> {
            BackendWork work = engineWork;
            return work == null ? null : work.services();
        });
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        activations.deactivate(factory);
    }

    /** For crash recovery: prepared but undecided branches of transacted deliveries and of transactional sends. */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        BackendWork work = engineWork;
        BackendServices services = work == null ? null : work.services();
        if (services == null || services.engine() == null) {
            // On a cluster nothing is prepared in Hearth: sends in transactions go through the outbox, in the database.
            return new XAResource[0];
        }
        return new XAResource[] {activations.recoveryResource(services),
                ProduceXAResource.forRecovery(this::engineServices)};
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    public Long getFlushIntervalMs() {
        return flushIntervalMs;
    }

    public void setFlushIntervalMs(Long flushIntervalMs) {
        this.flushIntervalMs = flushIntervalMs;
    }

    public Integer getSegmentBytes() {
        return segmentBytes;
    }

    public void setSegmentBytes(Integer segmentBytes) {
        this.segmentBytes = segmentBytes;
    }

    public Long getSegmentMs() {
        return segmentMs;
    }

    public void setSegmentMs(Long segmentMs) {
        this.segmentMs = segmentMs;
    }

    public Long getRetentionMs() {
        return retentionMs;
    }

    public void setRetentionMs(Long retentionMs) {
        this.retentionMs = retentionMs;
    }

    public Long getRetentionBytes() {
        return retentionBytes;
    }

    public void setRetentionBytes(Long retentionBytes) {
        this.retentionBytes = retentionBytes;
    }

    public Integer getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public void setMaxMessageBytes(Integer maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    public Long getRetentionCheckIntervalMs() {
        return retentionCheckIntervalMs;
    }

    public void setRetentionCheckIntervalMs(Long retentionCheckIntervalMs) {
        this.retentionCheckIntervalMs = retentionCheckIntervalMs;
    }

    public String getKafkaHost() {
        return kafkaHost;
    }

    public void setKafkaHost(String kafkaHost) {
        this.kafkaHost = kafkaHost;
    }

    public Integer getKafkaPort() {
        return kafkaPort;
    }

    public void setKafkaPort(Integer kafkaPort) {
        this.kafkaPort = kafkaPort;
    }

    // The container may compare adapters; all configured alike are equivalent, identity is enough.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
