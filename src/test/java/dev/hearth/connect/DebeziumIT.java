package dev.hearth.connect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jakarta.json.Json;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hearth.connect.replica.CustomerReplicaBean;
import dev.hearth.connect.replica.ReplicaDatabase;
import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;
import dev.hearth.testing.PostgresServer;

/**
 * Change data capture into Hearth with Debezium: Debezium's PostgreSQL connector (3.6.1.Final, logical decoding with
 * {@code pgoutput}) on Apache Kafka's own distributed Connect worker (4.3.1, a JVM of its own: {@link ConnectWorkerProcess})
 * reads {@code public.customers} of a real PostgreSQL server and produces its change events to Hearth's Kafka
 * listener (topic {@value CustomerReplicaBean#TOPIC}, JSON without schemas; the worker's internal topics are on
 * Hearth too). A user's WAR deployed next to Hearth ({@code replica.war}) consumes them with a message-driven bean
 * bound to Hearth's adapter and applies them to {@code replica.customers} on the same server, in its JTA
 * transaction through PostgreSQL's XA data source.
 *
 * <p>Debezium is at-least-once across a crash of its worker: "When all systems are running nominally or when some
 * or all of the systems have been gracefully shut down, then consumers can expect to see every event exactly one
 * time. However, when things go wrong it is always possible for consumers to see some events two or more times"
 * (Debezium FAQ, "Why must consuming applications expect duplicate events?",
 * https://debezium.io/documentation/faq/#why_must_consuming_applications_expect_duplicate_events; the connector
 * restarts from the last source offset the worker flushed, {@code offset.flush.interval.ms}, here 1 s). So the bean
 * dedupes by the event's source LSN per key (per key, LSN order is commit order: writes to one row are serialized
 * by its lock) and counts the re-emitted events it skipped. Hearth's own delivery is exactly once into the replica's
 * database (the group's offsets commit with the bean's rows: {@code offsetsDataSource}).
 *
 * <p>What the test shows: a scripted set of transactions (inserts, updates, deletes, several per transaction)
 * arrives and the tables end equal; then a writer thread changes rows continuously while the worker is killed with
 * SIGKILL {@value #KILLS} times at random instants, restarted each time; once the writer stops, the replica equals
 * the source row for row (nothing lost), every key's applied changes came in commit order without a gap (each
 * update raises the row's {@code version} by one), and exactly as many changes were applied as the writer
 * committed (none twice). Figures are printed. {@code -Ddebezium.seed=N} repeats a run's kill instants.
 *
 * <p>Not on the worker Hearth hosts: that one is Connect 4.4 (it shares the adapter's kafka-clients 4.4), and
 * Debezium 3.6.1 is built for Kafka 4.3: its task fails on any 4.4 worker with {@code NoClassDefFoundError:
 * org/apache/kafka/common/utils/Sanitizer} (Kafka 4.4 moved 32 classes of that package to {@code utils.internals}).
 */
@Tag("integration")
class DebeziumIT {

    private static final int KILLS = Integer.getInteger("debezium.kills", 6);
    /** The longest random wait between the worker's progress after a restart and the next kill. */
    private static final int MAX_KILL_DELAY_MS = 4000;
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofMinutes(6);
    private static final String CONNECTOR = "customers";
    private static final String PUBLICATION = "dbz_customers";

    @Test
    void changesReachTheReplicaInCommitOrderAndSurviveWorkerKills() throws Exception {
        long seed = Long.getLong("debezium.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("DebeziumIT: debezium.seed=" + seed);
        try (PostgresServer postgres = PostgresServer.startWithLogicalDecoding()) {
            createSourceTable(postgres);
            try (HearthServer hearth = HearthServer.onFreshDataDir("debezium").alsoDeploying(replicaWar())
                    .with("replica.db.url", postgres.jdbcUrl()).start()) {
                createChangeTopic(hearth);
                Path workDir = HearthServer.workDir().resolve("debezium-connect-" + System.nanoTime());
                try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(workDir, hearth.bootstrapServers(), pluginPath())) {
                    assertEquals(201, worker.putConnector(CONNECTOR, connectorConfig(postgres)).statusCode(),
                            "the worker accepts Debezium's connector");
                    awaitRunning(worker);

                    long scripted = scriptedTransactions(postgres);
                    awaitReplicaEqualsSource(postgres, "worker log: " + worker.log());
                    Figures afterScript = figures(postgres);
                    assertEquals(scripted, afterScript.applied(), "every scripted change applied once: " + afterScript);

                    Writer writer = new Writer(postgres, new Random(random.nextLong()));
                    Thread writing = new Thread(writer, "customers-writer");
                    writing.start();
                    List<Long> killedAfterDeliveries = new ArrayList<>();
                    try {
                        for (int kill = 0; kill < KILLS; kill++) {
                            long before = figures(postgres).deliveries();
                            await("deliveries after restart " + kill + " (worker log: " + worker.log() + ")")
                                    .atMost(CONVERGENCE_TIMEOUT).pollInterval(Duration.ofMillis(200))
                                    .until(() -> figures(postgres).deliveries() > before);
                            LockSupport.parkNanos(Duration.ofMillis(random.nextInt(MAX_KILL_DELAY_MS)).toNanos());
                            killedAfterDeliveries.add(figures(postgres).deliveries());
                            worker.kill();
                            worker.restart();
                            awaitRunning(worker);
                        }
                    } finally {
                        writer.stop();
                        writing.join(Duration.ofMinutes(1).toMillis());
                    }
                    assertNull(writer.failure(), "the writer ran without error");
                    awaitReplicaEqualsSource(postgres, "worker log: " + worker.log());

                    Figures figures = figures(postgres);
                    long committed = scripted + writer.changes();
                    System.out.printf("DebeziumIT: %d changes committed at the source (%d in %d writer transactions),"
                                    + " %d kills of the Connect worker (after %s deliveries), %d events delivered,"
                                    + " %d applied, %d re-emitted by Debezium and skipped, 0 lost%n",
                            committed, writer.changes(), writer.transactions(), KILLS, killedAfterDeliveries,
                            figures.deliveries(), figures.applied(), figures.skipped());
                    assertEquals(committed, figures.applied(),
                            "each committed change applied exactly once (lost or twice otherwise): " + figures);
                    assertCommitOrderPerKey(postgres);
                    assertEquals(figures.deliveries(), figures.applied() + figures.skipped(), figures.toString());
                }
            }
        }
    }

    /** The change topic on Hearth: one partition, one total order of the table's changes. */
    private static void createChangeTopic(HearthServer hearth) {
        Reply created = new RestClient(hearth.baseUri()).post(RestClient.CLUSTER + "/topics",
                Json.createObjectBuilder().add("topic_name", CustomerReplicaBean.TOPIC)
                        .add("partitions_count", 1).build());
        assertEquals(201, created.status(), "one partition: one total order of the table's changes " + created);
    }

    /** Waits (generously) until the connector and its task run on the current worker. */
    private static void awaitRunning(ConnectWorkerProcess worker) {
        await("Debezium's connector RUNNING (worker log: " + worker.log() + ")").atMost(CONVERGENCE_TIMEOUT)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> worker.isRunning(CONNECTOR));
    }

    private static Map<String, String> connectorConfig(PostgresServer postgres) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", "127.0.0.1");
        config.put("database.port", Integer.toString(postgres.port()));
        config.put("database.user", PostgresServer.REPLICATION_USER);
        config.put("database.dbname", "hearth");
        config.put("topic.prefix", "cdc");
        config.put("plugin.name", "pgoutput");
        config.put("publication.name", PUBLICATION);
        config.put("publication.autocreate.mode", "disabled");
        config.put("slot.name", "dbz_customers");
        config.put("table.include.list", "public.customers");
        config.put("tombstones.on.delete", "false");
        // After a kill the dead worker's walsender may still hold the slot for a moment.
        config.put("slot.max.retries", "30");
        config.put("slot.retry.delay.ms", "2000");
        return config;
    }

    /** The source table, its publication, and what the replication role may read. */
    private static void createSourceTable(PostgresServer postgres) throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public.customers (id BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                    + " email TEXT NOT NULL, version INT NOT NULL)");
            statement.execute("CREATE PUBLICATION " + PUBLICATION + " FOR TABLE public.customers");
            statement.execute("GRANT SELECT ON public.customers TO " + PostgresServer.REPLICATION_USER);
        }
    }

    /**
     * Ten transactions of several changes each: inserts, updates (one row twice in a transaction), deletes, a row
     * inserted and deleted in one transaction. Returns how many changes (rows touched by a statement) committed.
     */
    private static long scriptedTransactions(PostgresServer postgres) throws SQLException {
        long changes = 0;
        try (Connection connection = postgres.connect()) {
            connection.setAutoCommit(false);
            for (int tx = 0; tx < 10; tx++) {
                long base = 1_000_000L + tx * 10L;
                for (int i = 0; i < 4; i++) {
                    changes += update(connection, "INSERT INTO public.customers VALUES (?, 'scripted-' || ?::text,"
                            + " 'c' || ?::text || '@example.com', 1)", base + i, base + i, base + i);
                }
                changes += update(connection, "UPDATE public.customers SET version = version + 1,"
                        + " name = name || '+' WHERE id = ?", base);
                changes += update(connection, "UPDATE public.customers SET version = version + 1,"
                        + " email = 'x' || email WHERE id = ?", base);
                changes += update(connection, "DELETE FROM public.customers WHERE id = ?", base + 3);
                if (tx > 0) {
                    changes += update(connection, "UPDATE public.customers SET version = version + 1"
                            + " WHERE id = ?", base - 9);
                    changes += update(connection, "DELETE FROM public.customers WHERE id = ?", base - 8);
                }
                connection.commit();
            }
        }
        return changes;
    }

    private static int update(Connection connection, String sql, long... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setLong(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** @param where where to look when it does not happen (a log) */
    private static void awaitReplicaEqualsSource(PostgresServer postgres, String where) {
        await("replica.customers equal to public.customers (" + where + ")")
                .atMost(CONVERGENCE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> rows(postgres, "public.customers").equals(rows(postgres, "replica.customers")));
    }

    /** The table's rows by id, each as {@code name|email|version}. */
    private static Map<Long, String> rows(PostgresServer postgres, String table) throws SQLException {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT id, name, email, version FROM " + table)) {
            while (result.next()) {
                rows.put(result.getLong(1), result.getString(2) + "|" + result.getString(3) + "|" + result.getInt(4));
            }
        }
        return rows;
    }

    /** What the bean has recorded so far (committed deliveries). */
    private record Figures(long deliveries, long applied, long skipped) {
    }

    private static Figures figures(PostgresServer postgres) throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE NOT skipped),"
                     + " count(*) FILTER (WHERE skipped) FROM replica.deliveries")) {
            result.next();
            return new Figures(result.getLong(1), result.getLong(2), result.getLong(3));
        }
    }

    /**
     * Per key, the applied changes in delivery order are commit order without a gap: an insert at version 1, updates
     * raising the version by one each, at most one delete, last; and increasing source LSNs.
     */
    private static void assertCommitOrderPerKey(PostgresServer postgres) throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT id, lsn, op, version FROM replica.deliveries"
                     + " WHERE NOT skipped ORDER BY id, arrival")) {
            long id = -1;
            long lastLsn = -1;
            int lastVersion = 0;
            boolean deleted = false;
            while (result.next()) {
                if (result.getLong(1) != id) {
                    id = result.getLong(1);
                    lastLsn = -1;
                    lastVersion = 0;
                    deleted = false;
                }
                long lsn = result.getLong(2);
                String op = result.getString(3).trim();
                String where = "id " + id + ", " + op + " at lsn " + lsn;
                assertTrue(!deleted, "nothing after a key's delete: " + where);
                assertTrue(lsn > lastLsn, "source LSNs increase per key: " + where + " after " + lastLsn);
                if (op.equals("d")) {
                    deleted = true;
                } else {
                    assertEquals(lastVersion + 1, result.getInt(4), "versions follow commit order without a gap: "
                            + where);
                    assertTrue(lastVersion == 0 ? op.equals("c") || op.equals("r") : op.equals("u"), where);
                    lastVersion = result.getInt(4);
                }
                lastLsn = lsn;
            }
        }
    }

    /**
     * Changes {@code public.customers} continuously: each transaction inserts one or two new rows, updates up to
     * three live rows (version + 1) and sometimes deletes one; ids are never reused. Counts the changes committed.
     * Runs on one thread; {@link #stop} and the counters may be used from any thread.
     */
    private static final class Writer implements Runnable {
        private final PostgresServer postgres;
        private final Random random;
        private final AtomicLong changes = new AtomicLong();
        private final AtomicLong transactions = new AtomicLong();
        private volatile boolean stopped;
        private volatile Exception failure;

        Writer(PostgresServer postgres, Random random) {
            this.postgres = postgres;
            this.random = random;
        }

        @Override
        public void run() {
            List<Long> live = new ArrayList<>();
            long nextId = 1;
            try (Connection connection = postgres.connect()) {
                connection.setAutoCommit(false);
                while (!stopped) {
                    long inTransaction = 0;
                    List<Long> inserted = new ArrayList<>();
                    for (int i = 1 + random.nextInt(2); i > 0; i--) {
                        long id = nextId++;
                        inTransaction += update(connection, "INSERT INTO public.customers VALUES (?,"
                                + " 'customer-' || ?::text, 'c' || ?::text || '@example.com', 1)", id, id, id);
                        inserted.add(id);
                    }
                    for (int i = random.nextInt(4); i > 0 && !live.isEmpty(); i--) {
                        long id = live.get(random.nextInt(live.size()));
                        inTransaction += update(connection, "UPDATE public.customers SET version = version + 1,"
                                + " name = 'customer-' || ?::text || '-v' || (version + 1)::text WHERE id = ?", id, id);
                    }
                    Long deleted = null;
                    if (random.nextInt(3) == 0 && !live.isEmpty()) {
                        deleted = live.get(random.nextInt(live.size()));
                        inTransaction += update(connection, "DELETE FROM public.customers WHERE id = ?", deleted);
                    }
                    connection.commit();
                    live.addAll(inserted);
                    if (deleted != null) {
                        live.remove(deleted);
                    }
                    changes.addAndGet(inTransaction);
                    transactions.incrementAndGet();
                    LockSupport.parkNanos(Duration.ofMillis(10 + random.nextInt(40)).toNanos()); // pacing, not a wait
                }
            } catch (SQLException | RuntimeException e) {
                failure = e;
            }
        }

        void stop() {
            stopped = true;
        }

        long changes() {
            return changes.get();
        }

        long transactions() {
            return transactions.get();
        }

        Exception failure() {
            return failure;
        }
    }

    /** The plugin directory of Debezium's connector, collected by module connect-plugins. */
    private static Path pluginPath() {
        Path plugins = Path.of(System.getProperty("connect.plugins",
                Path.of(System.getProperty("user.dir"), "..", "connect-plugins", "target", "plugins").toString()));
        assertTrue(Files.isDirectory(plugins.resolve("debezium-postgres")),
                "Debezium's plugin directory in " + plugins + ": build module connect-plugins");
        return plugins;
    }

    /** The user's application: the replica's data source and tables, the bean, the PostgreSQL driver. */
    private static Path replicaWar() {
        File target = HearthServer.workDir().resolve("replica.war").toFile();
        ShrinkWrap.create(WebArchive.class, "replica.war")
                .addClasses(ReplicaDatabase.class, CustomerReplicaBean.class)
                .addAsLibraries(postgresDriver())
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }

    /** The PostgreSQL JDBC driver's jar, from this test's own class path. */
    private static File postgresDriver() {
        try {
            return new File(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
