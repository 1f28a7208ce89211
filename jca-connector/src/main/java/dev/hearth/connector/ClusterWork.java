package dev.hearth.connector;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.client.AsyncSender;
import dev.hearth.connector.client.BackendServices;
import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.cluster.ClusterAclStore;
import dev.hearth.connector.cluster.ClusterClient;
import dev.hearth.connector.cluster.ClusterFeed;
import dev.hearth.connector.cluster.ClusterOutbox;
import dev.hearth.connector.cluster.ClusterSettings;
import dev.hearth.engine.log.TopicAutoCreation;
import dev.hearth.kafka.RequestLatencies;
import dev.hearth.security.HearthSecurity;
import dev.hearth.security.InternalUser;
import dev.hearth.security.SecuritySettings;

/**
 * The {@code kafka} backend's life on a container thread: connects to the cluster, serves the log operations through
 * {@link ClusterClient} and message delivery through {@link ClusterFeed}s, and watches the cluster every
 * {@value #CHECK_INTERVAL_MS} ms. The status is RUNNING while the cluster answers and DEGRADED (readiness DOWN) with
 * the reason while it does not; Hearth keeps running and recovers when the cluster is back. Users are Hearth's own
 * (the data directory); ACLs are the cluster's ({@link ClusterAclStore}, read again every {@value #ACL_RELOAD_MS}
 * ms), or, on a cluster without an authorizer, kept in the data directory.
 *
 * <p>Thread-safety: state fields are volatile; {@link #shutdown} may be called from any thread and waits for the
 * close.
 */
final class ClusterWork implements BackendWork {

    private static final Logger LOG = Logger.getLogger(ClusterWork.class.getName());
    private static final long CHECK_INTERVAL_MS = 2_000;
    private static final int CHECK_TIMEOUT_MS = 5_000;
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 60;
    /** How often the cluster's ACLs are read again (ms): changes made with the cluster's own tools apply after it. */
    private static final long ACL_RELOAD_MS = 5_000;

    private final ClusterSettings settings;
    private final TopicAutoCreation autoCreation;
    private final SecuritySettings securitySettings;
    private final InternalUser jobsUser;
    private final Executor executor;
    private final Object wakeUp = new Object();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile ClusterClient client;
    /** Sends in JTA transactions; created with the client, closed (relays stopped) before it. */
    private ClusterOutbox outbox;
    private volatile BackendServices services;
    private volatile BrokerStatus status;
    /** Whether the last ACL reload failed (its warning is logged once). Backend thread only. */
    private boolean aclReloadFailing;

    ClusterWork(ClusterSettings settings, TopicAutoCreation autoCreation, SecuritySettings securitySettings,
                InternalUser jobsUser, Executor executor) {
        this.settings = settings;
        this.autoCreation = autoCreation;
        this.securitySettings = securitySettings;
        this.jobsUser = jobsUser;
        this.executor = executor;
        this.status = new BrokerStatus(BrokerStatus.State.STARTING, "connecting to the Kafka cluster at "
                + settings.bootstrapServers(), 0);
    }

    @Override
    public void run() {
        Map<String, Object> adminConfig = new HashMap<>(settings.clientProperties());
        adminConfig.put("client.id", "hearth-" + settings.instanceId() + "-health");
        Admin admin = null;
        try {
            admin = Admin.create(adminConfig);
            while (running && !check(admin)) {
                pause();
            }
            if (!running) {
                return;
            }
            ClusterAclStore clusterAcls = new ClusterAclStore(admin);
            boolean aclsOnCluster = clusterAcls.clusterHasAcls();
            if (!aclsOnCluster) {
                LOG.warning("HEARTH-0220 The Kafka cluster at " + settings.bootstrapServers() + " has no authorizer, or "
                        + "does not let Hearth describe its ACLs: Hearth keeps the ACLs of its HTTP users, beans and "
                        + "jobs in " + settings.dataDir());
            }
            HearthSecurity security = HearthSecurity.start(settings.dataDir(), securitySettings, jobsUser,
                    aclsOnCluster ? clusterAcls : null);
            outbox = new ClusterOutbox(settings, settings.outboxDataSource(), executor);
            ClusterClient started = new ClusterClient(new HashMap<>(settings.clientProperties()), settings.clusterId(),
                    autoCreation);
            client = started;
            services = new BackendServices(started, new AsyncSender(started, executor), security,
                    new RequestLatencies(), spec -> new ClusterFeed(spec, settings.clientProperties()), null, outbox,
                    null);
            LOG.info(() -> "HEARTH-0215 Hearth runs on the Kafka cluster at " + settings.bootstrapServers()
                    + " as instance " + settings.instanceId() + ": " + status.detail());
            long nextAclReload = System.currentTimeMillis() + ACL_RELOAD_MS;
            while (running) {
                pause();
                if (running && check(admin) && aclsOnCluster && System.currentTimeMillis() >= nextAclReload) {
                    nextAclReload = System.currentTimeMillis() + ACL_RELOAD_MS;
                    reloadAcls(security);
                }
            }
        } catch (RuntimeException e) {
            status = new BrokerStatus(BrokerStatus.State.FAILED, String.valueOf(e.getMessage()), 0);
            LOG.log(Level.SEVERE, "HEARTH-0216 Hearth could not run on the Kafka cluster at "
                    + settings.bootstrapServers(), e);
        } finally {
            services = null;
            if (outbox != null) {
                outbox.close();
            }
            ClusterClient started = client;
            client = null;
            if (started != null) {
                started.close();
            }
            if (admin != null) {
                admin.close(java.time.Duration.ofSeconds(5));
            }
            if (status.state() != BrokerStatus.State.FAILED) {
                status = new BrokerStatus(BrokerStatus.State.STOPPED, "closed cleanly", 0);
            }
            finished.countDown();
        }
    }

    /** Takes the cluster's ACLs now; on failure keeps deciding on the last ones read (logged once per failure run). */
    private void reloadAcls(HearthSecurity security) {
        try {
            security.acls().reload();
            aclReloadFailing = false;
        } catch (RuntimeException e) {
            if (!aclReloadFailing) {
                aclReloadFailing = true;
                LOG.log(Level.WARNING, "HEARTH-0221 Could not read the Kafka cluster's ACLs; deciding on the ones "
                        + "read last until it answers", e);
            }
        }
    }

    /** Asks the cluster for its nodes; sets the status from the answer. */
    private boolean check(Admin admin) {
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(CHECK_TIMEOUT_MS));
            int nodes = cluster.nodes().get(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            String clusterId = cluster.clusterId().get(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            BrokerStatus previous = status;
            status = new BrokerStatus(BrokerStatus.State.RUNNING, "on Kafka cluster " + clusterId + " (" + nodes
                    + " broker(s)) at " + settings.bootstrapServers(), 0);
            if (previous.state() == BrokerStatus.State.DEGRADED) {
                LOG.info(() -> "HEARTH-0217 The Kafka cluster at " + settings.bootstrapServers() + " answers again");
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            BrokerStatus previous = status;
            String reason = "the Kafka cluster at " + settings.bootstrapServers() + " does not answer: "
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            status = new BrokerStatus(previous.state() == BrokerStatus.State.STARTING ? BrokerStatus.State.STARTING
                    : BrokerStatus.State.DEGRADED, reason, 0);
            if (previous.state() != status.state() || previous.state() == BrokerStatus.State.STARTING) {
                LOG.warning("HEARTH-0218 " + reason);
            }
            return false;
        }
    }

    private void pause() {
        synchronized (wakeUp) {
            try {
                wakeUp.wait(CHECK_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @Override
    public LogClient client() {
        LogClient current = client;
        if (current == null) {
            BrokerStatus now = status;
            throw LogClient.notAvailable("Hearth's Kafka cluster backend is " + now.state() + ": " + now.detail());
        }
        return current;
    }

    @Override
    public BackendServices services() {
        return services;
    }

    /**
     * The cluster's client properties, plus {@code hearth.instance.id} (not a Kafka property: Hearth's own clients
     * take it out and use it to make stream jobs' transactional ids distinct per instance).
     */
    @Override
    public Map<String, String> internalClientProperties() {
        client();
        Map<String, String> properties = new HashMap<>(settings.clientProperties());
        properties.put(HearthConnection.INSTANCE_ID_PROPERTY, settings.instanceId());
        return Map.copyOf(properties);
    }

    @Override
    public BrokerStatus status() {
        return status;
    }

    @Override
    public String describe() {
        return "Kafka cluster backend at " + settings.bootstrapServers() + ", instance " + settings.instanceId()
                + ", local state in " + settings.dataDir();
    }

    @Override
    public void shutdown() {
        release();
        try {
            if (!finished.await(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.severe("HEARTH-0219 The Kafka cluster backend did not close within " + SHUTDOWN_TIMEOUT_SECONDS + " s");
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
