package dev.hearth.connector;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import java.util.concurrent.Executor;


import dev.hearth.connector.client.AppendSignal;
import dev.hearth.connector.client.AsyncSender;
import dev.hearth.connector.client.EngineClient;
import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.client.BackendServices;
import dev.hearth.connector.client.EngineServices;
import dev.hearth.security.HearthSecurity;
import dev.hearth.security.InternalUser;
import dev.hearth.security.SecuritySettings;
import dev.hearth.connector.client.XaOffsetLog;
import dev.hearth.connector.outbound.ProduceXAResource;
import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.HearthException;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.engine.log.TopicAutoCreation;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.kafka.KafkaListener;
import dev.hearth.kafka.KafkaListenerConfig;
import dev.hearth.kafka.RequestLatencies;
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;
import dev.hearth.txn.TransactionalIdExpiry;

/**
 * The engine's life on a container thread: opens (and so recovers) the engine, starts the group
 * coordinator and the Kafka-protocol listener, then loops over background duties until released, then
 * closes all three in reverse order. Holding one WorkManager thread for good is intended:
 * the adapter owns no threads of its own.
 *
 * <p>Duties per tick: group time-outs, flush when the periodic flush interval has passed, checkpoint recovery points every
 * {@value #CHECKPOINT_INTERVAL_MS} ms, retention every retentionCheckIntervalMs, compaction every compactionIntervalMs.
 *
 * <p>Thread-safety: state fields are volatile; {@link #shutdown} may be called from any thread and waits
 * for the close.
 */
final class EngineWork implements BackendWork {

    private static final Logger LOG = Logger.getLogger(EngineWork.class.getName());
    private static final long CHECKPOINT_INTERVAL_MS = 10_000;
    /** Also the granularity of group session and rebalance time-outs. */
    private static final long MAX_TICK_MS = 200;
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 60;

    private final EngineConfig config;
    /** {@code hearth.cluster.id}. */
    private final String clusterId;
    private final KafkaListenerConfig kafkaConfig;
    private final TopicAutoCreation autoCreation;
    private final SecuritySettings securitySettings;
    private final InternalUser jobsUser;
    /** kafka-clients properties for Hearth's own clients; empty without a listener, null until started. */
    private volatile Map<String, String> internalClientProperties;
    private final Executor executor;
    private final Object wakeUp = new Object();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile EngineClient client;
    private volatile BackendServices services;
    private volatile BrokerStatus status = new BrokerStatus(BrokerStatus.State.STARTING, "recovering the log", 0);

    /**
     * @param clusterId   {@code hearth.cluster.id}, reported by the connection API's cluster info
     * @param kafkaConfig the Kafka-protocol listener's settings, or null to run without it
     * @param autoCreation whether the connection API's sends create unknown topics
     * @param securitySettings users and super users declared by configuration
     * @param jobsUser    the user Hearth's own Kafka clients connect as
     * @param executor    threads for the listener's event loops and for asynchronous sends
     */
    EngineWork(EngineConfig config, String clusterId, KafkaListenerConfig kafkaConfig, TopicAutoCreation autoCreation,
               SecuritySettings securitySettings, InternalUser jobsUser, Executor executor) {
        this.securitySettings = securitySettings;
        this.jobsUser = jobsUser;
        this.config = config;
        this.clusterId = clusterId;
        this.kafkaConfig = kafkaConfig;
        this.autoCreation = autoCreation;
        this.executor = executor;
    }

    EngineConfig config() {
        return config;
    }

    @Override
    public void run() {
        LogEngine engine = null;
        GroupCoordinator coordinator = null;
        KafkaListener listener = null;
        try {
            engine = LogEngine.open(config);
            HearthSecurity security = HearthSecurity.start(config.dataDir(), withInternalCertificate(securitySettings),
                    jobsUser);
            coordinator = new GroupCoordinator(engine, System::currentTimeMillis);
            ProducerIdAllocator producerIds = new ProducerIdAllocator(engine.maxProducerId());
            TransactionCoordinator transactions = new TransactionCoordinator(engine, coordinator, producerIds,
                    System::currentTimeMillis, TransactionalIdExpiry.KAFKA_DEFAULT.withSingleUse(
                            ProduceXAResource.PREFIX, ProduceXAResource.COMPLETED_BRANCH_RETENTION_MS));
            if (kafkaConfig != null) {
                listener = KafkaListener.start(kafkaConfig, engine, coordinator, transactions, producerIds, security,
                        executor);
            }
            internalClientProperties = listener == null ? Map.of()
                    : Map.copyOf(listener.internalClientProperties(security.internalUser().name(),
                            security.internalUser().password()));
            client = listener == null
                    ? new EngineClient(engine, coordinator, clusterId, null, -1, autoCreation)
                    : new EngineClient(engine, coordinator, clusterId, kafkaConfig.advertisedHost(), listener.boundPort(),
                            autoCreation);
            AppendSignal appends = new AppendSignal();
            engine.addAppendListener((topic, partition, logEndOffset) -> appends.onAppend());
            services = BackendServices.of(new EngineServices(engine, coordinator, client,
                    new XaOffsetLog(engine, coordinator), transactions, appends, new AsyncSender(client, executor),
                    listener == null ? new RequestLatencies() : listener.requestLatencies(), security));
            status = new BrokerStatus(BrokerStatus.State.RUNNING, "serving " + engine.listTopics().size() + " topic(s)"
                    + (listener == null ? "" : ", Kafka protocol on port " + listener.boundPort()),
                    engine.offlinePartitions().size());
            maintain(engine, coordinator, transactions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = new BrokerStatus(BrokerStatus.State.FAILED, "interrupted while starting", 0);
        } catch (RuntimeException e) {
            status = new BrokerStatus(BrokerStatus.State.FAILED, e.getMessage(), 0);
            LOG.log(Level.SEVERE, "HEARTH-0210 The Hearth log engine failed in " + config.dataDir(), e);
        } finally {
            client = null;
            services = null;
            internalClientProperties = null;
            if (listener != null) {
                listener.close();
            }
            if (coordinator != null) {
                coordinator.close();
            }
            if (engine != null) {
                engine.close();
            }
            if (status.state() != BrokerStatus.State.FAILED) {
                status = new BrokerStatus(BrokerStatus.State.STOPPED, "closed cleanly", 0);
            }
            finished.countDown();
        }
    }

    /**
     * On an SSL listener that asks for client certificates Hearth's own clients present the listener's certificate:
     * its subject joins the super users.
     */
    private SecuritySettings withInternalCertificate(SecuritySettings settings) {
        if (kafkaConfig == null) {
            return settings;
        }
        return KafkaListener.internalCertificatePrincipal(kafkaConfig).map(principal -> {
            java.util.Set<org.apache.kafka.common.security.auth.KafkaPrincipal> superUsers =
                    new java.util.LinkedHashSet<>(settings.superUsers());
            superUsers.add(principal);
            return new SecuritySettings(settings.enabled(), java.util.Set.copyOf(superUsers), settings.passwords(),
                    settings.configuredAcls());
        }).orElse(settings);
    }

    private void maintain(LogEngine engine, GroupCoordinator coordinator, TransactionCoordinator transactions) {
        long flushIntervalMs = config.flushPolicy().intervalMs();
        long tickMs = flushIntervalMs > 0 ? Math.min(flushIntervalMs, MAX_TICK_MS) : MAX_TICK_MS;
        long now = System.currentTimeMillis();
        long nextFlush = now + flushIntervalMs;
        long nextCheckpoint = now + CHECKPOINT_INTERVAL_MS;
        long nextRetention = now + config.retentionCheckIntervalMs();
        long nextCompaction = now + config.compactionIntervalMs();
        while (running) {
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(tickMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            now = System.currentTimeMillis();
            try {
                coordinator.tick();
                transactions.tick();
                if (flushIntervalMs > 0 && now >= nextFlush) {
                    nextFlush = now + flushIntervalMs;
                    engine.flush();
                }
                if (now >= nextCheckpoint) {
                    nextCheckpoint = now + CHECKPOINT_INTERVAL_MS;
                    engine.checkpointRecoveryPoints();
                }
                if (now >= nextRetention) {
                    nextRetention = now + config.retentionCheckIntervalMs();
                    engine.runRetention();
                }
                if (now >= nextCompaction) {
                    nextCompaction = now + config.compactionIntervalMs();
                    engine.runCompaction();
                }
            } catch (HearthException e) {
                // A storage failure of one duty must not stop the others or the engine; it is retried next time.
                LOG.log(Level.WARNING, "HEARTH-0212 A background duty of the Hearth engine failed", e);
            }
            status = runningStatus(engine, status);
        }
    }

    /** The status of a running engine: DEGRADED while its file system refuses appends, else RUNNING. */
    private static BrokerStatus runningStatus(LogEngine engine, BrokerStatus previous) {
        int offline = engine.offlinePartitions().size();
        java.util.Optional<String> storageProblem = engine.storageProblem();
        if (storageProblem.isPresent()) {
            return new BrokerStatus(BrokerStatus.State.DEGRADED, storageProblem.get(), offline);
        }
        if (previous.state() == BrokerStatus.State.RUNNING && offline == previous.offlinePartitions()) {
            return previous;
        }
        return new BrokerStatus(BrokerStatus.State.RUNNING, offline == 0 ? "serving" : offline + " partition(s) offline",
                offline);
    }

    @Override
    public LogClient client() {
        LogClient current = client;
        if (current == null) {
            BrokerStatus now = status;
            throw LogClient.notAvailable("The Hearth log engine is " + now.state() + ": " + now.detail());
        }
        return current;
    }

    /** See {@link KafkaListener#internalClientProperties}; NOT_AVAILABLE unless running. */
    @Override
    public Map<String, String> internalClientProperties() {
        Map<String, String> properties = internalClientProperties;
        if (properties == null) {
            BrokerStatus now = status;
            throw LogClient.notAvailable("The Hearth log engine is " + now.state() + ": " + now.detail());
        }
        return properties;
    }

    @Override
    public BrokerStatus status() {
        return status;
    }

    @Override
    public BackendServices services() {
        return services;
    }

    @Override
    public String describe() {
        return "embedded engine, data directory " + config.dataDir();
    }

    @Override
    public void shutdown() {
        release();
        try {
            if (!finished.await(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.severe("HEARTH-0211 The Hearth engine did not close within " + SHUTDOWN_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void release() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }
}
