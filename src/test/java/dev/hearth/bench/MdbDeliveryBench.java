package dev.hearth.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.json.Json;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.testing.KafkaCluster;
import dev.hearth.testing.PostgresServer;

/**
 * MDB delivery throughput on one Payara Micro (not a test: run by {@code bench/mdb-delivery.sh}, never by
 * {@code mvn verify}), on each backend of {@code bench.backends} ({@code embedded,kafka} by default): the embedded
 * engine, and {@code hearth.backend=kafka} on a local 3-broker Apache Kafka cluster (topic replication factor 3,
 * {@code min.insync.replicas} 2). Per backend, a backlog of 100-byte records is written once; then, one server start
 * per scenario, a single bean consumes it from the earliest offset and the server logs how long the expected number
 * of deliveries took from the first one. Scenarios: per-record and batch listeners without a transaction, and
 * per-record transacted delivery with one JPA insert each and the offsets in the same database
 * ({@code offsetsDataSource}), on H2 and (when installed) PostgreSQL. The table states what each bean's configuration
 * guarantees after a kill -9; this benchmark does not kill anything.
 *
 * <p>Thread safety: a JUnit test class, run on one thread.
 */
class MdbDeliveryBench {

    private static final String TOPIC = "bench-in";
    private static final int PARTITIONS = 6;
    private static final int BACKLOG = Integer.getInteger("bench.backlog", 3_000_000);
    private static final int TRANSACTED = Integer.getInteger("bench.transacted.records", 100_000);
    private static final String CONCURRENCY = System.getProperty("bench.concurrency", "2");
    private static final int CLUSTER_BROKERS = 3;
    private static final short REPLICATION_FACTOR = 3;
    private static final Pattern DONE = Pattern.compile("BENCH delivered (\\d+) records in (\\d+) ns");
    private static final boolean POSTGRES_INSTALLED = new File("/usr/lib/postgresql").isDirectory();

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("per-record listener", BenchRecordBean.class, "bench.record.topic", BACKLOG, Database.H2),
            new Scenario("batch listener (max 2000)", BenchBatchBean.class, "bench.batch.topic", BACKLOG, Database.H2),
            new Scenario("transacted, JPA insert, H2", BenchJpaBean.class, "bench.jpa.topic", TRANSACTED, Database.H2),
            new Scenario("transacted, JPA insert, PostgreSQL", BenchJpaBean.class, "bench.jpa.topic", TRANSACTED,
                    Database.POSTGRESQL));

    /** Records per second by scenario and backend, as measured; absent where not run. */
    private final Map<Scenario, Map<Backend, Double>> recordsPerSecond = new LinkedHashMap<>();

    @Test
    void deliveryThroughput() throws Exception {
        Path war = benchWar();
        List<Backend> backends = Backend.selected();
        for (Backend backend : backends) {
            try (Backlog backlog = backend.writeBacklog()) {
                for (Scenario scenario : SCENARIOS) {
                    if (scenario.database == Database.POSTGRESQL && !POSTGRES_INSTALLED) {
                        continue;
                    }
                    double figure = run(backlog, war, scenario);
                    recordsPerSecond.computeIfAbsent(scenario, s -> new EnumMap<>(Backend.class)).put(backend, figure);
                }
            }
        }
        printTable(backends);
    }

    /** One server start on {@code backlog}'s backend with only {@code scenario}'s bean consuming; its records/s. */
    private static double run(Backlog backlog, Path war, Scenario scenario) throws IOException {
        // One log per scenario and backend: the delivery figure is parsed from it.
        HearthServer server = backlog.server("bench-mdb-" + backlog.backend.label + "-" + scenario.slug()).deploying(war)
                .with("bench.record.topic", "bench-idle").with("bench.batch.topic", "bench-idle")
                .with("bench.jpa.topic", "bench-idle").with(scenario.topicProperty, TOPIC)
                .with("bench.records", Integer.toString(scenario.records)).with("bench.concurrency", CONCURRENCY);
        // A server of its own per scenario, so that no run finds another's offset table or rows.
        try (PostgresServer postgres = scenario.database == Database.POSTGRESQL ? PostgresServer.start() : null) {
            if (postgres != null) {
                server.with("hearth.db.url", postgres.jdbcUrl()).with("hearth.db.user", postgres.user());
            }
            try {
                Files.deleteIfExists(server.logFile()); // a previous run's figure must not be read as this one's
                server.start();
                Matcher[] done = new Matcher[1];
                await(scenario.name + " on " + backlog.backend.label + ": " + scenario.records + " deliveries")
                        .atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            Matcher matcher = DONE.matcher(server.log());
                            done[0] = matcher.find() ? matcher : null;
                            return done[0] != null;
                        });
                long delivered = Long.parseLong(done[0].group(1));
                double seconds = Long.parseLong(done[0].group(2)) / 1e9;
                double figure = delivered / seconds;
                System.out.printf(Locale.ROOT, "Measured %s, %s: %,d records, %,.0f records/s%n", backlog.backend.label,
                        scenario.name, delivered, figure);
                server.stop();
                return figure;
            } finally {
                server.close();
            }
        }
    }

    private void printTable(List<Backend> backends) {
        String row = "| %-36s | %-48s | %11s | %14s | %14s | %14s |%n";
        System.out.println();
        System.out.println("MDB delivery, 100-byte records, " + PARTITIONS + " partitions, maxConcurrency " + CONCURRENCY
                + "; kafka: " + CLUSTER_BROKERS + " local brokers, replication factor " + REPLICATION_FACTOR
                + ", min.insync.replicas 2, backlog written with acks=all");
        System.out.printf(Locale.ROOT, row, "scenario", "after kill -9 (bean configuration, not measured)", "records",
                "embedded rec/s", "kafka rec/s", "kafka/embedded");
        System.out.printf(Locale.ROOT, row, "-".repeat(36), "-".repeat(48), "-".repeat(11), "-".repeat(14),
                "-".repeat(14), "-".repeat(14));
        for (Scenario scenario : SCENARIOS) {
            Map<Backend, Double> figures = recordsPerSecond.getOrDefault(scenario, Map.of());
            Double embedded = figures.get(Backend.EMBEDDED);
            Double kafka = figures.get(Backend.KAFKA);
            String note = scenario.database == Database.POSTGRESQL && !POSTGRES_INSTALLED ? "not installed" : "-";
            System.out.printf(Locale.ROOT, row, scenario.name, scenario.guarantee(backends),
                    String.format(Locale.ROOT, "%,d", scenario.records),
                    embedded == null ? note : String.format(Locale.ROOT, "%,.0f", embedded),
                    kafka == null ? note : String.format(Locale.ROOT, "%,.0f", kafka),
                    embedded == null || kafka == null ? "-" : String.format(Locale.ROOT, "%.2f", kafka / embedded));
        }
    }

    private static Path benchWar() {
        File target = HearthServer.workDir().resolve("hearth-with-bench-beans.war").toFile();
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(DeliveryClock.class, BenchRecordBean.class, BenchBatchBean.class, BenchJpaBean.class,
                        BenchRow.class, BenchRowId.class)
                .addAsResource("bench/bench-persistence.xml", "META-INF/persistence.xml")
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }

    /** Writes {@link #BACKLOG} 100-byte records round-robin over the partitions of {@link #TOPIC}. */
    private static void produceBacklog(Properties clientProperties, String acks) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put("acks", acks);
        props.put("linger.ms", "5");
        props.put("batch.size", Integer.toString(256 * 1024));
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        byte[] value = new byte[100];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < BACKLOG; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value));
            }
            producer.flush();
        }
    }

    /** The database a scenario's bean writes to: Hearth's data source, on H2 in the data directory or PostgreSQL. */
    private enum Database { H2, POSTGRESQL }

    /**
     * What a bean's configuration promises for its deliveries when the server is killed with kill -9 (README,
     * "Exactly-once into a database"); stated from the configuration, not measured by this benchmark.
     */
    private enum Guarantee {
        AT_LEAST_ONCE("at-least-once"),
        /** Offsets committed to the cluster after the bean's transaction: a kill in between redelivers. */
        AT_LEAST_ONCE_AFTER_COMMIT("at-least-once (offsets after the transaction)"),
        /** Embedded engine without an offset table: an XA branch that Payara Micro's recovery cannot complete. */
        XA_BRANCH("XA offset branch: in doubt after a crash"),
        EXACTLY_ONCE("exactly-once (offsetsDataSource)");

        final String text;

        Guarantee(String text) {
            this.text = text;
        }
    }

    /** Where the log lives; each scenario runs on each selected backend against the same kind of backlog. */
    private enum Backend {
        EMBEDDED("embedded", Guarantee.XA_BRANCH) {
            @Override
            Backlog writeBacklog() {
                HearthServer loader = HearthServer.onFreshDataDir("bench-mdb-embedded-load").start();
                try {
                    RestClient rest = new RestClient(loader.baseUri());
                    assertEquals(201, rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                            .add("topic_name", TOPIC).add("partitions_count", PARTITIONS).build()).status(),
                            "the benchmark's topic is created");
                    produceBacklog(loader.kafkaClientProperties(), "1");
                    loader.stop();
                } finally {
                    loader.close();
                }
                System.out.println("Backlog written: " + BACKLOG + " records in " + TOPIC + " (embedded, acks=1)");
                return new Backlog(this, loader.dataDir(), null);
            }
        },
        KAFKA("kafka", Guarantee.AT_LEAST_ONCE_AFTER_COMMIT) {
            @Override
            Backlog writeBacklog() throws IOException, InterruptedException, ExecutionException {
                Path dataDir = HearthServer.onFreshDataDir("bench-mdb-kafka").dataDir();
                KafkaCluster cluster = KafkaCluster.start(dataDir.resolveSibling(dataDir.getFileName() + "-cluster"),
                        CLUSTER_BROKERS);
                try {
                    try (Admin admin = Admin.create(cluster.clientProperties())) {
                        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, REPLICATION_FACTOR)
                                .configs(Map.of("min.insync.replicas", "2")))).all().get();
                    }
                    Properties clientProperties = new Properties();
                    clientProperties.putAll(cluster.clientProperties());
                    produceBacklog(clientProperties, "all");
                } catch (InterruptedException | ExecutionException | RuntimeException e) {
                    cluster.close();
                    throw e;
                }
                System.out.println("Backlog written: " + BACKLOG + " records in " + TOPIC + " (kafka cluster, acks=all)");
                return new Backlog(this, dataDir, cluster);
            }
        };

        final String label;
        /** What a transacted bean without {@code offsetsDataSource} gets on this backend. */
        final Guarantee transactedWithoutOffsetTable;

        Backend(String label, Guarantee transactedWithoutOffsetTable) {
            this.label = label;
            this.transactedWithoutOffsetTable = transactedWithoutOffsetTable;
        }

        /** Writes the benchmark's backlog on this backend; the caller closes what is returned. */
        abstract Backlog writeBacklog() throws Exception;

        /** The backends named by {@code bench.backends} (comma-separated, default {@code embedded,kafka}), in order. */
        static List<Backend> selected() {
            return Arrays.stream(System.getProperty("bench.backends", "embedded,kafka").split(","))
                    .map(String::trim).filter(name -> !name.isEmpty())
                    .map(name -> Arrays.stream(values()).filter(backend -> backend.label.equals(name)).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("bench.backends: unknown backend '" + name
                                    + "', expected embedded or kafka")))
                    .distinct().toList();
        }
    }

    /**
     * A written backlog: the data directory the scenarios' servers share (the embedded log, or only Hearth's H2
     * database on a cluster) and, on the kafka backend, the running cluster, stopped by {@link #close()}.
     */
    private record Backlog(Backend backend, Path dataDir, KafkaCluster cluster) implements AutoCloseable {

        HearthServer server(String name) {
            HearthServer server = new HearthServer(dataDir, name);
            return cluster == null ? server : server.onKafkaCluster(cluster.clientProperties());
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /**
     * One measured configuration: which bean consumes the backlog (selected by pointing {@code topicProperty} at the
     * topic), how many deliveries are timed, and the database of Hearth's data source.
     */
    private record Scenario(String name, Class<?> bean, String topicProperty, int records, Database database) {

        String slug() {
            return name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "").toLowerCase(Locale.ROOT);
        }

        /** The bean's guarantee on each of {@code backends}, one text when they agree. */
        String guarantee(List<Backend> backends) {
            List<String> texts = backends.stream().map(this::guarantee).map(g -> g.text).distinct().toList();
            if (texts.size() == 1) {
                return texts.get(0);
            }
            return String.join("; ", backends.stream().map(b -> b.label + ": " + guarantee(b).text).toList());
        }

        /** From the bean's annotations: its transaction management and its {@code offsetsDataSource}. */
        Guarantee guarantee(Backend backend) {
            TransactionManagement management = bean.getAnnotation(TransactionManagement.class);
            if (management != null && management.value() == TransactionManagementType.BEAN) {
                return Guarantee.AT_LEAST_ONCE;
            }
            boolean offsetTable = Arrays.stream(bean.getAnnotation(MessageDriven.class).activationConfig())
                    .map(ActivationConfigProperty::propertyName).anyMatch("offsetsDataSource"::equals);
            return offsetTable ? Guarantee.EXACTLY_ONCE : backend.transactedWithoutOffsetTable;
        }
    }
}
