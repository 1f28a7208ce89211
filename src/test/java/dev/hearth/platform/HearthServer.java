package dev.hearth.platform;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hearth.testing.TestCertificates;

/**
 * Hearth as a user runs it: a real Payara Micro process with the built RAR and WAR, on a given data
 * directory. Start waits for {@code /health/ready}; stop sends SIGTERM (as Ctrl-C does), kill sends SIGKILL.
 * Its console output goes to a log file in the work directory, kept for post-mortems. The HTTP API has two
 * known users unless {@link #withoutTestUsers}: {@link #ADMIN_USER} (role admin: a super user; what
 * {@link RestClient} sends by default) and {@link #PRODUCER_USER} (role producer: ACLs for Write and Read on every
 * topic and Read on every group).
 */
public final class HearthServer implements AutoCloseable {

    /** How long a server may take to start; -Dit.start.timeout.minutes raises it on a loaded machine. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(Long.getLong("it.start.timeout.minutes", 3));
    public static final String ADMIN_USER = "test-admin";
    public static final String ADMIN_PASSWORD = "test-admin-Secret-1";
    public static final String PRODUCER_USER = "test-producer";
    public static final String PRODUCER_PASSWORD = "test-producer-Secret-1";

    private final Path dataDir;
    private final Path logFile;
    private final int httpPort;
    private final int kafkaPort;
    /** Set by {@link #withKafkaSaslSsl()}: the trust store clients need. */
    private Path kafkaTrustStore;
    private Process process;
    /** Set by {@link #onKafkaCluster}: the cluster's bootstrap servers. */
    private String clusterBootstrap;

    /** Extra {@code -Dkey=value} settings for this server. */
    private final List<String> settings = new ArrayList<>();
    /** The web archive deployed after the RAR: hearth.war, or a test's copy of it with application classes. */
    private Path war;
    /** The resource adapter archive: hearth-connector.rar, or a copy of it under another file name. */
    private Path rar;
    /** Applications of their own deployed after the web archive, in order (a user's WAR next to Hearth). */
    private final List<Path> applications = new ArrayList<>();
    /** Extra Payara Micro arguments (after the JVM's), e.g. {@code --sslPort}. */
    private final List<String> microOptions = new ArrayList<>();
    /** Whether the server is given the ADMIN_USER and PRODUCER_USER accounts. */
    private boolean testUsers = true;
    /** The JVM's maximum heap, as {@code -Xmx} takes it. */
    private String maxHeap = "512m";

    public HearthServer(Path dataDir, String name) {
        this.dataDir = dataDir;
        this.logFile = workDir().resolve(name + ".log");
        this.httpPort = freePort();
        this.kafkaPort = freePort();
    }

    /** A server on a new, empty data directory under the work directory, named after {@code name}. */
    public static HearthServer onFreshDataDir(String name) {
        try {
            return new HearthServer(Files.createDirectories(workDir().resolve(name + "-data-" + System.nanoTime())), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path workDir() {
        Path dir = Path.of(System.getProperty("it.workdir", "target/work"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No configured users: Hearth falls back to its generated admin password (see SecurityIT). */
    public HearthServer withoutTestUsers() {
        testUsers = false;
        return this;
    }

    /** Deploys {@code war} (hearth.war with a test's classes added) instead of hearth.war. */
    /** The JVM's maximum heap instead of 512m, as {@code -Xmx} takes it (a benchmark whose state exceeds it). */
    public HearthServer withMaxHeap(String maxHeap) {
        this.maxHeap = maxHeap;
        return this;
    }

    public HearthServer deploying(Path war) {
        this.war = war;
        return this;
    }

    /** Deploys {@code adapter} (the RAR, e.g. under another file name) instead of hearth-connector.rar. */
    public HearthServer withAdapter(Path adapter) {
        this.rar = adapter;
        return this;
    }

    /** Also deploys {@code application}, a WAR of its own, after Hearth's archives. */
    public HearthServer alsoDeploying(Path application) {
        applications.add(application);
        return this;
    }

    /**
     * Serves the Kafka protocol as {@code SASL_SSL} only (TLS with a key made for this server by
     * {@link TestCertificates}, valid two days; SCRAM and PLAIN against Hearth's user directory): every Kafka client
     * of the test must use {@link #kafkaClientProperties()}, and Hearth's own clients (stream-job workers, bounded
     * runs) must find their way in by themselves.
     */
    public HearthServer withKafkaSaslSsl() {
        TestCertificates certificates;
        try {
            certificates = TestCertificates.create(Files.createDirectories(
                    dataDir.toAbsolutePath().resolveSibling(dataDir.getFileName() + "-tls")));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test certificates", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted making the test certificates", e);
        }
        kafkaTrustStore = certificates.clientTruststore;
        return with("hearth.kafka.security.protocol", "SASL_SSL")
                .with("hearth.kafka.ssl.keystore.location", certificates.serverKeystore.toString())
                .with("hearth.kafka.ssl.keystore.type", "PKCS12")
                .with("hearth.kafka.ssl.keystore.password", TestCertificates.PASSWORD);
    }

    /**
     * What a Kafka client needs to reach this server: {@code bootstrap.servers} and, on a {@link #withKafkaSaslSsl()}
     * server, SCRAM-SHA-512 as the test admin over TLS trusting this server's key. A new object per call.
     */
    public java.util.Properties kafkaClientProperties() {
        java.util.Properties properties = new java.util.Properties();
        properties.put("bootstrap.servers", bootstrapServers());
        if (kafkaTrustStore != null) {
            properties.put("security.protocol", "SASL_SSL");
            properties.put("sasl.mechanism", "SCRAM-SHA-512");
            properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"" + ADMIN_USER + "\" password=\"" + ADMIN_PASSWORD + "\";");
            properties.put("ssl.truststore.location", kafkaTrustStore.toString());
            properties.put("ssl.truststore.type", "PKCS12");
            properties.put("ssl.truststore.password", TestCertificates.PASSWORD);
        }
        return properties;
    }

    /**
     * Runs on a Kafka cluster instead of the embedded engine ({@code hearth.backend=kafka}), as a user sets it with
     * HEARTH_BACKEND and HEARTH_BACKEND_BOOTSTRAP_SERVERS; {@link #bootstrapServers()} is then the cluster's.
     *
     * @param clientProperties the cluster's kafka-clients properties: {@code bootstrap.servers} and any security
     *                         settings, each passed as {@code hearth.backend.kafka.<property>}
     */
    public HearthServer onKafkaCluster(java.util.Map<String, ?> clientProperties) {
        clusterBootstrap = String.valueOf(clientProperties.get("bootstrap.servers"));
        with("hearth.backend", "kafka");
        with("hearth.backend.bootstrap.servers", clusterBootstrap);
        clientProperties.forEach((key, value) -> {
            if (!key.equals("bootstrap.servers")) {
                with("hearth.backend.kafka." + key, String.valueOf(value));
            }
        });
        return this;
    }

    /** Adds a MicroProfile Config setting ({@code hearth.*}) as a system property of the server. */
    public HearthServer with(String key, String value) {
        settings.add("-D" + key + "=" + value);
        return this;
    }

    /**
     * Serves HTTPS too, as {@code bin/hearth} does with HEARTH_HTTPS_*: Payara Micro's {@code --sslPort} and
     * {@code --sslCert}, the key store given as {@code javax.net.ssl.keyStore}.
     */
    public HearthServer withHttps(int port, Path keyStore, String keyStorePassword, String alias) {
        settings.add("-Djavax.net.ssl.keyStore=" + keyStore.toAbsolutePath());
        settings.add("-Djavax.net.ssl.keyStorePassword=" + keyStorePassword);
        microOptions.addAll(List.of("--sslPort", Integer.toString(port), "--sslCert", alias));
        return this;
    }

    public HearthServer start() {
        return launch().awaitReady();
    }

    /** Starts the process without waiting for it to be ready (a benchmark samples it from its first second). */
    public HearthServer launch() {
        // As bin/hearth does: umask 077, so that what Payara itself writes into the data directory (its
        // transaction log) is owner-only too; exec keeps the process id, so kill() still reaches the JVM.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dhearth.data.dir=" + dataDir.toAbsolutePath(),
                "-Dhearth.kafka.port=" + kafkaPort));
        if (!applications.isEmpty()) {
            // As bin/hearth does: readiness (hearth-deployments) waits for these applications too, by Payara's names.
            command.add("-Dhearth.applications=" + String.join(",", applications.stream()
                    .map(application -> application.getFileName().toString().replaceFirst("\\.[^.]*$", "")).toList()));
        }
        if (testUsers) {
            command.addAll(List.of(
                    "-Dhearth.security.user." + ADMIN_USER + ".password=" + ADMIN_PASSWORD,
                    "-Dhearth.security.user." + ADMIN_USER + ".roles=admin",
                    "-Dhearth.security.user." + PRODUCER_USER + ".password=" + PRODUCER_PASSWORD,
                    "-Dhearth.security.user." + PRODUCER_USER + ".roles=producer"));
        }
        command.addAll(settings);
        command.addAll(List.of(
                "-jar", requiredFile("payara.microJar"),
                "--nohazelcast",
                "--prebootcommandfile", prebootCommands().toString(),
                "--postdeploycommandfile", Path.of(System.getProperty("hearth.preboot", "bin/payara-preboot.txt"))
                        .resolveSibling("payara-postdeploy.txt").toString(),
                "--port", Integer.toString(httpPort),
                "--deploy", rar != null ? rar.toString() : requiredFile("hearth.rar"),
                "--deploy", war != null ? war.toString() : requiredFile("hearth.war")));
        for (Path application : applications) {
            command.addAll(List.of("--deploy", application.toString()));
        }
        command.addAll(microOptions);
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Payara Micro", e);
        }
        return this;
    }

    /** Waits until the launched server's application API answers and it is ready. */
    public HearthServer awaitReady() {
        return awaitStarted(true);
    }

    /**
     * Waits until the launched server's application API answers, ready or not (e.g. an application next to it has
     * a rejected stream job, which keeps readiness DOWN).
     */
    public HearthServer awaitStarted() {
        return awaitStarted(false);
    }

    private HearthServer awaitStarted(boolean ready) {
        HttpClient client = HttpClient.newHttpClient();
        await("Hearth " + (ready ? "ready" : "started") + " at " + baseUri() + " (log: " + logFile + ")")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("Payara Micro exited with " + process.exitValue() + "; see " + logFile);
                    }
                    HttpResponse<String> health = client.send(HttpRequest.newBuilder(baseUri().resolve("/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    // Until the WAR is deployed, /health/ready is 404, then DOWN ("No Application deployed"); and
                    // health can answer before the application's own resources are mapped (startup beans running).
                    if (ready && health.statusCode() != 200 || !health.body().contains("hearth-engine")) {
                        return false;
                    }
                    HttpResponse<Void> api = client.send(HttpRequest.newBuilder(baseUri().resolve("/api/v3/clusters/hearth"))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    return api.statusCode() == 401 || api.statusCode() == 200;
                });
        return this;
    }

    /** SIGTERM, as Ctrl-C or a service manager would; waits for the process to end. */
    public int stop() {
        process.destroy();
        return waitForExit();
    }

    /** SIGKILL: no shutdown hook, no flush, no clean-shutdown marker. */
    public int kill() {
        process.destroyForcibly();
        return waitForExit();
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("Payara Micro did not exit within 2 minutes; see " + logFile);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for Payara Micro to exit", e);
        }
    }

    /** The Payara Micro process id, once launched. */
    public long pid() {
        return process.pid();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /**
     * The pre-boot command file bin/hearth also uses ({@code bin/payara-preboot.txt}, system property
     * {@code hearth.preboot}), filled in for this server: HTTP on 127.0.0.1, Payara's transaction log under the data
     * directory (so that recovery after a kill -9 finds it) and automatic recovery.
     */
    private Path prebootCommands() {
        String template = System.getProperty("hearth.preboot");
        Path templateFile = template != null ? Path.of(template)
                : Path.of(requiredFile("hearth.rar")).toAbsolutePath().getParent().resolveSibling("../bin/payara-preboot.txt")
                .normalize();
        Path file = logFile.resolveSibling(logFile.getFileName().toString().replaceFirst("\\.log$", "") + "-preboot.txt");
        try {
            Files.writeString(file, Files.readString(templateFile)
                    .replace("@HTTP_HOST@", "127.0.0.1")
                    .replace("@HTTPS_HOST@", "127.0.0.1")
                    .replace("@DATA_DIR@", dataDir.toAbsolutePath().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@code bootstrap.servers} for Kafka clients: Hearth's Kafka listener, or the cluster it runs on. */
    public String bootstrapServers() {
        return clusterBootstrap != null ? clusterBootstrap : "127.0.0.1:" + kafkaPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** The file a build-provided system property names ({@code hearth.war}, {@code payara.microJar}…). */
    static String requiredFile(String property) {
        String path = System.getProperty(property);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("System property " + property + " must name a built file, not " + path
                    + " (run through Maven: mvn verify)");
        }
        return path;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
