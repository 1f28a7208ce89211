package dev.hearth.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * A real Apache Kafka cluster for tests: N KRaft nodes, each broker and controller in one JVM of its own (so a test
 * can {@link #kill} one with SIGKILL), the controller quorum made of all N (static {@code controller.quorum.voters}),
 * everything on 127.0.0.1. The brokers run from the jars that module {@code kafka-cli} collects (Apache Kafka 4.3.1
 * and its kafka-clients 4.3.1), which never meet this JVM's class path: here only kafka-clients' {@link Admin} talks
 * to them, over the network.
 *
 * <p>Layout of {@code workDir} (kept after {@link #close()}, for reading the logs):
 * <pre>
 *   logging.properties         java.util.logging for every broker (the kafka-cli lib logs through slf4j-jdk14)
 *   node-&lt;id&gt;/server.properties
 *   node-&lt;id&gt;/format.log       output of kafka-storage format
 *   node-&lt;id&gt;/broker.log       the broker's standard output and error, appended over restarts
 *   node-&lt;id&gt;/data/            log.dirs (metadata log and partitions)
 * </pre>
 * Node ids are 1..N. Each node keeps its two ports (client listener {@code CLIENT}, controller listener
 * {@code CONTROLLER}) for the cluster's life, so a {@link #restart} comes back where it was.
 *
 * <p>Defaults suit a small test cluster: replication factor 3 (or N if smaller), {@code min.insync.replicas} 2 (1 for
 * a single node), internal topics with 5 partitions, 1 MiB segments, a 256 MiB heap, fast fencing of a dead broker
 * (session 6 s). {@link Builder#brokerProperty} overrides any of them.
 *
 * <p>With {@link Builder#withSaslScram}, the client listener (which also carries inter-broker traffic) speaks
 * SASL_PLAINTEXT with SCRAM-SHA-512, the admin's credential bootstrapped by {@code kafka-storage format --add-scram};
 * the controller listener uses SASL/PLAIN with a fixed internal user {@value #CONTROLLER_USER} (KRaft cannot use SCRAM
 * there); {@code StandardAuthorizer} with super users {@code User:<admin>} and {@code User:controller}.
 *
 * <p>Thread safety: every public method may be called from any thread; those that change the processes are
 * serialized on this object. A JVM shutdown hook kills every broker still running, so none outlives a test JVM that
 * exits or is terminated; only a SIGKILL of the test JVM itself leaves them running (they hold nothing but their
 * ports and {@code workDir}).
 */
public final class KafkaCluster implements AutoCloseable {

    /** The SASL/PLAIN user of the controller listener in the SCRAM mode, a super user. */
    public static final String CONTROLLER_USER = "controller";
    private static final String CONTROLLER_PASSWORD = "controller-secret";
    private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    /** Bound of each Admin call inside a polling loop; the loop retries until its own deadline. */
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final Path workDir;
    private final KafkaLib lib;
    private final String adminUser;
    private final String adminPassword;
    private final Duration startTimeout;
    /** By node id, in id order; fixed at start. */
    private final Map<Integer, Broker> brokers;
    private final String bootstrapServers;
    private final Thread shutdownHook;
    /** Created once the brokers are launched; closed by {@link #close()}. */
    private volatile Admin admin;
    private volatile boolean closed;

    private KafkaCluster(Builder builder, KafkaLib lib) throws IOException {
        this.workDir = builder.workDir.toAbsolutePath();
        this.lib = lib;
        this.adminUser = builder.adminUser;
        this.adminPassword = builder.adminPassword;
        this.startTimeout = builder.startTimeout;
        int count = builder.brokers;
        List<Integer> ports = freePorts(2 * count);
        Map<Integer, Broker> byId = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            int nodeId = i + 1;
            byId.put(nodeId, new Broker(nodeId, workDir.resolve("node-" + nodeId), ports.get(2 * i),
                    ports.get(2 * i + 1)));
        }
        String voters = byId.values().stream().map(broker -> broker.nodeId + "@127.0.0.1:" + broker.controllerPort)
                .collect(Collectors.joining(","));
        this.brokers = Collections.unmodifiableMap(byId);
        this.bootstrapServers = byId.values().stream().map(broker -> "127.0.0.1:" + broker.clientPort)
                .collect(Collectors.joining(","));
        Files.createDirectories(workDir);
        Files.writeString(workDir.resolve("logging.properties"), loggingProperties());
        for (Broker broker : byId.values()) {
            Files.createDirectories(broker.dir);
            Files.writeString(broker.dir.resolve("server.properties"),
                    serverProperties(broker, count, voters, builder.brokerProperties));
        }
        this.shutdownHook = new Thread(this::destroyAll, "kafka-cluster-shutdown");
    }

    /** Starts {@code brokers} plain (PLAINTEXT) nodes in {@code workDir} and waits until all are registered. */
    public static KafkaCluster start(Path workDir, int brokers) throws IOException, InterruptedException {
        return builder(workDir).brokers(brokers).start();
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Options of a cluster; {@link #start()} launches it. Not thread-safe (use it on one thread). */
    public static final class Builder {
        private final Path workDir;
        private int brokers = 3;
        private String adminUser;
        private String adminPassword;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** How many nodes (each broker and controller); 3 unless told. */
        public Builder brokers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs at least one broker, not " + count);
            }
            this.brokers = count;
            return this;
        }

        /**
         * Secures the client listener with SASL_PLAINTEXT/SCRAM-SHA-512 and turns on {@code StandardAuthorizer};
         * {@code adminUser} is a super user, and {@link KafkaCluster#clientProperties()} logs in as it.
         */
        public Builder withSaslScram(String adminUser, String adminPassword) {
            this.adminUser = adminUser;
            this.adminPassword = adminPassword;
            return this;
        }

        /** Sets (or overrides) one line of every node's {@code server.properties}. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        /** How long {@link #start()} waits for every broker to register; 120 s unless told. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Formats every node's storage with one cluster id, launches the nodes and waits until Admin's
         * describeCluster shows all of them. On any failure every process started is killed before it throws.
         *
         * @throws IllegalStateException when the kafka-cli lib directory is missing, a format fails, or the
         *                               cluster is not up in time (with the end of the brokers' logs)
         */
        public KafkaCluster start() throws IOException, InterruptedException {
            KafkaCluster cluster = new KafkaCluster(this, KafkaLib.locate());
            try {
                cluster.formatAndLaunch();
                return cluster;
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }
    }

    /** {@code host:port} of every node's client listener, comma-separated, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The node ids, 1..N, in order (unmodifiable). */
    public Set<Integer> nodeIds() {
        return brokers.keySet();
    }

    /**
     * What a kafka-clients client needs to reach this cluster: {@code bootstrap.servers} and, in the SCRAM mode, the
     * SASL settings of the admin user. A new, mutable map each call.
     */
    public Map<String, Object> clientProperties() {
        return adminUser == null ? clientPropertiesWithout() : clientProperties(adminUser, adminPassword);
    }

    /** Like {@link #clientProperties()}, logging in as {@code user} (SCRAM mode only). */
    public Map<String, Object> clientProperties(String user, String password) {
        requireSasl();
        Map<String, Object> properties = clientPropertiesWithout();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        properties.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaas(user, password));
        return properties;
    }

    /**
     * Adds (or replaces) a SCRAM-SHA-512 user and waits until every running broker accepts its login (credentials
     * reach the brokers asynchronously, through the metadata log). SCRAM mode only.
     */
    public void addScramUser(String user, String password) throws InterruptedException {
        requireSasl();
        get(admin().alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all(), ADMIN_CALL_TIMEOUT);
        for (Broker broker : brokers.values()) {
            if (!isRunning(broker.nodeId)) {
                continue;
            }
            Map<String, Object> properties = clientProperties(user, password);
            properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.clientPort);
            try (Admin asUser = Admin.create(properties)) {
                awaitValue("user " + user + " to log in on node " + broker.nodeId, startTimeout, () -> {
                    try {
                        asUser.describeCluster().clusterId().get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        return Boolean.TRUE;
                    } catch (ExecutionException | TimeoutException e) {
                        return null;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                });
            }
        }
    }

    /** Whether node {@code nodeId}'s process is alive. */
    public boolean isRunning(int nodeId) {
        Process process = broker(nodeId).process;
        return process != null && process.isAlive();
    }

    /** The broker's log (standard output and error, over all its runs). */
    public Path logOf(int nodeId) {
        return broker(nodeId).log();
    }

    /** Kills node {@code nodeId}'s JVM with SIGKILL and waits until it has exited. Nothing if it is not running. */
    public synchronized void kill(int nodeId) throws InterruptedException {
        Broker broker = broker(nodeId);
        if (broker.process != null) {
            broker.process.destroyForcibly();
            if (!broker.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("node " + nodeId + " (pid " + broker.process.pid()
                        + ") did not exit within 30 s of SIGKILL");
            }
        }
    }

    /**
     * Starts node {@code nodeId} again on its data and ports (killing it first if it runs) and waits until the new
     * process answers on its own client listener (a broker serves requests only once it is registered and unfenced)
     * and describeCluster lists it. Its replicas need not have caught up: see {@link #awaitIsr}.
     */
    public synchronized void restart(int nodeId) throws IOException, InterruptedException {
        checkOpen();
        kill(nodeId);
        Broker broker = broker(nodeId);
        broker.launch();
        awaitRegistered(nodeId);
    }

    /**
     * Waits until node {@code nodeId} answers on its own client listener and lists itself. Not the shared Admin: until
     * the controller fences a killed process, the cluster's metadata still lists it, so only an answer from the
     * node's own address tells that the new process is up.
     */
    private void awaitRegistered(int nodeId) throws InterruptedException {
        Broker broker = broker(nodeId);
        Map<String, Object> direct = clientProperties();
        direct.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.clientPort);
        try (Admin nodeAdmin = Admin.create(direct)) {
            awaitValue("node " + nodeId + " to register again", startTimeout, () -> {
                requireAlive(broker);
                Set<Integer> registered = registeredNodes(nodeAdmin);
                return registered != null && registered.contains(nodeId) ? Boolean.TRUE : null;
            });
        }
    }

    /**
     * Kills (if running) and starts every node at once, then waits until all are registered: a node restarted alone
     * while the others are down cannot join a controller quorum and gives up, so a whole cluster comes back together.
     */
    public synchronized void restartAll() throws IOException, InterruptedException {
        checkOpen();
        for (int nodeId : nodeIds()) {
            kill(nodeId);
        }
        for (int nodeId : nodeIds()) {
            broker(nodeId).launch();
        }
        for (int nodeId : nodeIds()) {
            awaitRegistered(nodeId);
        }
    }

    /**
     * The node id of the leader of {@code topic}'s {@code partition} as the cluster's metadata has it, waiting (up to
     * the start timeout) while the partition has none. A node killed a moment ago stays leader there until the
     * controller fences it (broker session timeout, 6 s): wait for a different answer to see the failover.
     */
    public int leaderOf(String topic, int partition) throws InterruptedException {
        return awaitValue("a leader of " + topic + "-" + partition, startTimeout, () -> {
            TopicPartitionInfo info = describe(topic, partition);
            Node leader = info == null ? null : info.leader();
            return leader == null || leader.isEmpty() ? null : leader.id();
        });
    }

    /**
     * Waits until the in-sync replica set of {@code topic}'s {@code partition} has at least {@code isrSize} members.
     *
     * @return the ISR's node ids then
     * @throws IllegalStateException when it does not happen within {@code timeout}
     */
    public List<Integer> awaitIsr(String topic, int partition, int isrSize, Duration timeout)
            throws InterruptedException {
        return awaitValue("the ISR of " + topic + "-" + partition + " to reach " + isrSize + " replicas", timeout, () -> {
            TopicPartitionInfo info = describe(topic, partition);
            if (info == null || info.isr().size() < isrSize) {
                return null;
            }
            return info.isr().stream().map(Node::id).toList();
        });
    }

    /**
     * Kills every broker (SIGKILL: the data is the test's to throw away) and closes the Admin client. Idempotent; the
     * work directory stays.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The JVM is shutting down (the hook runs anyway), or the hook was never added: nothing to undo.
        }
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + bootstrapServers + ", " + workDir + "]";
    }

    // ------------------------------------------------------------------------------------------------ start-up

    private void formatAndLaunch() throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        String clusterId = Uuid.randomUuid().toString();
        List<Process> formats = new ArrayList<>();
        for (Broker broker : brokers.values()) {
            List<String> command = javaCommand("kafka.tools.StorageTool", "format", "--config",
                    broker.dir.resolve("server.properties").toString(), "--cluster-id", clusterId);
            if (adminUser != null) {
                command.addAll(List.of("--add-scram",
                        SCRAM_MECHANISM + "=[name=" + adminUser + ",password=" + adminPassword + "]"));
            }
            formats.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(broker.dir.resolve("format.log").toFile()).start());
        }
        int i = 0;
        for (Broker broker : brokers.values()) {
            Process format = formats.get(i++);
            if (!format.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("kafka-storage format failed for node " + broker.nodeId + ":\n"
                        + tail(broker.dir.resolve("format.log")));
            }
        }
        for (Broker broker : brokers.values()) {
            broker.launch();
        }
        admin = Admin.create(new LinkedHashMap<>(clientProperties()));
        awaitValue("all " + brokers.size() + " brokers to register", startTimeout, () -> {
            brokers.values().forEach(KafkaCluster::requireAlive);
            Set<Integer> registered = registeredNodes(admin);
            return registered != null && registered.equals(brokers.keySet()) ? Boolean.TRUE : null;
        });
    }

    private String serverProperties(Broker broker, int count, String voters, Map<String, String> overrides) {
        int replication = Math.min(3, count);
        int minIsr = Math.min(2, replication);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(broker.nodeId));
        properties.put("controller.quorum.voters", voters);
        properties.put("listeners", "CLIENT://127.0.0.1:" + broker.clientPort + ",CONTROLLER://127.0.0.1:"
                + broker.controllerPort);
        properties.put("advertised.listeners", "CLIENT://127.0.0.1:" + broker.clientPort);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "CLIENT");
        properties.put("log.dirs", broker.dir.resolve("data").toString());
        properties.put("num.partitions", "1");
        properties.put("default.replication.factor", Integer.toString(replication));
        properties.put("min.insync.replicas", Integer.toString(minIsr));
        properties.put("offsets.topic.replication.factor", Integer.toString(replication));
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.replication.factor", Integer.toString(replication));
        properties.put("transaction.state.log.min.isr", Integer.toString(minIsr));
        properties.put("transaction.state.log.num.partitions", "5");
        properties.put("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
        properties.put("share.coordinator.state.topic.min.isr", Integer.toString(minIsr));
        properties.put("share.coordinator.state.topic.num.partitions", "5");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("log.segment.bytes", Integer.toString(1024 * 1024));
        // The cleaner's dedupe buffer defaults to 128 MiB: half the heap.
        properties.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "2");
        properties.put("num.recovery.threads.per.data.dir", "1");
        properties.put("background.threads", "2");
        // A killed broker is fenced (and its partitions fail over) within ~6 s instead of 9.
        properties.put("broker.heartbeat.interval.ms", "1000");
        properties.put("broker.session.timeout.ms", "6000");
        if (adminUser == null) {
            properties.put("listener.security.protocol.map", "CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            properties.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            properties.put("listener.name.client.sasl.enabled.mechanisms", SCRAM_MECHANISM);
            properties.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
            properties.put("listener.name.client.scram-sha-512.sasl.jaas.config", scramJaas(adminUser, adminPassword));
            properties.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            properties.put("sasl.mechanism.controller.protocol", "PLAIN");
            properties.put("listener.name.controller.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + CONTROLLER_USER
                            + "\" password=\"" + CONTROLLER_PASSWORD + "\" user_" + CONTROLLER_USER + "=\""
                            + CONTROLLER_PASSWORD + "\";");
            properties.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            properties.put("super.users", "User:" + adminUser + ";User:" + CONTROLLER_USER);
        }
        properties.putAll(overrides);
        StringBuilder text = new StringBuilder("# Written by dev.hearth.testing.KafkaCluster\n");
        properties.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\"))
                .append('\n'));
        return text.toString();
    }

    /**
     * The brokers log through slf4j-jdk14 (the kafka-cli lib has no log4j binding for slf4j): INFO and above, one
     * line each, to standard error (which {@link Broker#launch} sends to broker.log), without the configuration
     * dumps and per-partition state changes that make up most of a broker's output.
     */
    private static String loggingProperties() {
        return KafkaLib.loggingProperties(Map.of(
                "kafka.server.KafkaConfig", "WARNING",
                "org.apache.kafka.server.quota", "WARNING",
                "org.apache.kafka.server.purgatory", "WARNING",
                "org.apache.kafka.server.util.timer", "WARNING",
                "state.change.logger", "WARNING",
                "kafka.request.logger", "WARNING"));
    }

    // ----------------------------------------------------------------------------------------------- internals

    private List<String> javaCommand(String mainClass, String... args) {
        return lib.javaCommand("256m", workDir.resolve("logging.properties"), mainClass, args);
    }

    /** The node ids describeCluster lists now (registered and unfenced), or null when the call fails. */
    private static Set<Integer> registeredNodes(Admin admin) {
        try {
            return get(admin.describeCluster().nodes(), ADMIN_CALL_TIMEOUT).stream().map(Node::id)
                    .collect(Collectors.toSet());
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** The partition's description now, or null when the call fails (the topic unknown yet, a broker down...). */
    private TopicPartitionInfo describe(String topic, int partition) {
        try {
            TopicDescription description = get(admin().describeTopics(List.of(topic)).topicNameValues().get(topic),
                    ADMIN_CALL_TIMEOUT);
            return description.partitions().stream().filter(info -> info.partition() == partition).findFirst()
                    .orElse(null);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private Admin admin() {
        checkOpen();
        return admin;
    }

    private Map<String, Object> clientPropertiesWithout() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    private void requireSasl() {
        if (adminUser == null) {
            throw new IllegalStateException("this cluster was started without withSaslScram(...)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private Broker broker(int nodeId) {
        Broker broker = brokers.get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("no node " + nodeId + " in " + brokers.keySet());
        }
        return broker;
    }

    /** Kills every process without waiting: runs in close() and in the shutdown hook. */
    private void destroyAll() {
        for (Broker broker : brokers.values()) {
            Process process = broker.process;
            if (process != null) {
                process.destroyForcibly();
            }
        }
        for (Broker broker : brokers.values()) {
            Process process = broker.process;
            try {
                if (process != null) {
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void requireAlive(Broker broker) {
        Process process = broker.process;
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException("node " + broker.nodeId + " exited with " + process.exitValue()
                    + "; the end of " + broker.log() + ":\n" + tail(broker.log()));
        }
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static <T> T get(KafkaFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Polls {@code probe} until it answers non-null, at most {@code timeout}.
     *
     * @throws IllegalStateException naming {@code what} when time runs out, with the end of every broker's log
     */
    private <T> T awaitValue(String what, Duration timeout, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for " + what);
            }
            if (System.nanoTime() - deadline > 0) {
                StringBuilder logs = new StringBuilder();
                for (Broker broker : brokers.values()) {
                    logs.append("\n--- ").append(broker.log()).append(isRunning(broker.nodeId) ? "" : " (not running)")
                            .append(":\n").append(tail(broker.log()));
                }
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + logs);
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    /** The last 40 lines of a file, or a note that it is missing. */
    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }

    /** Ports free on 127.0.0.1 now, all distinct (held open together while choosing). */
    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** One node: its fixed ports and directory, and its current process (replaced by each launch). */
    private final class Broker {
        final int nodeId;
        final Path dir;
        final int clientPort;
        final int controllerPort;
        /** The latest JVM launched for this node; null before the first. Written under the cluster's lock. */
        volatile Process process;

        Broker(int nodeId, Path dir, int clientPort, int controllerPort) {
            this.nodeId = nodeId;
            this.dir = dir;
            this.clientPort = clientPort;
            this.controllerPort = controllerPort;
        }

        Path log() {
            return dir.resolve("broker.log");
        }

        void launch() throws IOException {
            Files.writeString(log(), "=== " + Instant.now() + " starting node " + nodeId + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(javaCommand("kafka.Kafka", dir.resolve("server.properties").toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        }
    }
}
