package dev.hearth.mdb;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hearth.mdb.orders.OrderEntryBean;
import dev.hearth.mdb.orders.OrdersDatabase;
import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Kill -9 of Payara Micro, again and again, in the middle of transacted MDB delivery (a row per record, committed
 * in one JTA transaction with the record's offset, which Hearth keeps in the same database: activation property
 * {@code offsetsDataSource}), each time restarting on the same data directory. Each kill comes at a random
 * instant after the restarted server has committed more of the backlog; once the backlog is done, the database
 * holds exactly one row per record: none lost, none twice. Two databases: Hearth's own (non-XA data source, in a
 * copy of hearth.war) and a user's XA H2 data source defined in a WAR of its own deployed next to Hearth.
 * {@code -Dcrash.seed=N} repeats a run's kill instants (the seed is printed).
 *
 * <p>A kill loop of about ten minutes: it runs in the {@code faults} profile ({@code @Tag("faults")}), which
 * {@code .ci/run} runs after the normal tests.
 */
@Tag("faults")
class TransactedDeliveryCrashIT {

    private static final int KILLS = 10;
    /**
     * Enough that the backlog outlasts ten kills on a fast, idle machine too: a loaded one delivered about 5,500
     * records during the kills, an idle one more, and a kill after the last record proves nothing.
     */
    private static final int RECORDS = 12_000;
    private static final int PARTITIONS = 4;
    /** Longest wait after the progress that arms a kill; the instant is uniform in [0, this). */
    private static final int MAX_KILL_DELAY_MS = 1500;

    @Test
    void hearthDatabaseHasExactlyOneRowPerRecordAfterTenKills() throws Exception {
        Path war = applicationWar();
        Path dataDir = HearthServer.onFreshDataDir("mdb-crash").dataDir();
        killRepeatedly("mdb-ledger", "mdb-ledger-writers",
                name -> new HearthServer(dataDir, name).deploying(war));

        String url = "jdbc:h2:file:" + dataDir.resolve("database").resolve("hearth").toAbsolutePath();
        assertExactlyOneRowPerRecord(url, "", "SELECT entry FROM test_ledger_entry", "mdb-ledger-writers");
    }

    /**
     * The user's database is H2 with {@code WRITE_DELAY=0}, as {@code OffsetTable} asks of an H2 database
     * (HEARTH-0736). With H2's default write delay one run in three ended with 6,001 rows for 6,000 records (seed
     * 6741611811079): the bean's row of orders-0@186 was kept and the offset row written in the same transaction, on
     * the same session, was not: a background write of the store during that commit was the last before the kill.
     */
    @Test
    void userXaDataSourceHasExactlyOneRowPerRecordAfterTenKills() throws Exception {
        Path war = ordersWar();
        Path dataDir = HearthServer.onFreshDataDir("orders-crash").dataDir();
        String url = "jdbc:h2:file:" + Files.createDirectories(dataDir.resolve("orders-db")).resolve("orders")
                .toAbsolutePath() + ";WRITE_DELAY=0";
        killRepeatedly("orders", "order-writers",
                name -> new HearthServer(dataDir, name).alsoDeploying(war).with("orders.db.url", url));

        assertExactlyOneRowPerRecord(url, "sa", "SELECT entry FROM order_entry", "order-writers");
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet inDoubt = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.IN_DOUBT")) {
            inDoubt.next();
            assertEquals(0, inDoubt.getInt(1), "no XA branch of the orders database is left in doubt");
        }
    }

    /**
     * Produces the backlog on a first server, then kills {@value #KILLS} servers in a row, each at a random instant
     * after it committed more records than its predecessor had, and lets a last one finish the backlog.
     */
    static void killRepeatedly(String topic, String group, Function<String, HearthServer> servers) throws Exception {
        killRepeatedly(topic, group, KILLS, servers);
    }

    /** As {@link #killRepeatedly(String, String, Function)} with {@code kills} kills. */
    static void killRepeatedly(String topic, String group, int kills, Function<String, HearthServer> servers)
            throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("TransactedDeliveryCrashIT " + topic + ": crash.seed=" + seed);
        String groupPath = RestClient.CLUSTER + "/consumer-groups/" + group;
        List<String> killed = new ArrayList<>();
        for (int run = 0; run <= kills; run++) {
            HearthServer server = servers.apply(topic + "-crash-" + run);
            try { // a server that does not become ready is killed too, not left running after the test
                server.start();
                RestClient rest = new RestClient(server.baseUri());
                if (run == 0) {
                    produceBacklog(rest, server, topic);
                }
                long resumedFrom = committed(rest, groupPath);
                if (run == kills) {
                    await("the last server finishes the backlog (kills: " + killed + ")").atMost(Duration.ofMinutes(3))
                            .pollInterval(Duration.ofMillis(250))
                            .until(() -> committed(rest, groupPath) == RECORDS);
                    assertEquals(0, rest.get(groupPath).object().getJsonNumber("total_lag").longValue());
                    server.stop(); // SIGTERM: the database files are closed before the test opens them
                    break;
                }
                await("server " + run + " commits records beyond " + resumedFrom).atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> committed(rest, groupPath) > resumedFrom);
                int delayMs = random.nextInt(MAX_KILL_DELAY_MS);
                await().pollDelay(Duration.ofMillis(delayMs)).atMost(Duration.ofMillis(delayMs + 1000L)).until(() -> true);
                long beforeKill = committed(rest, groupPath);
                assertTrue(beforeKill < RECORDS, "the backlog outlasts the kills: kill " + (run + 1) + " of " + kills
                        + " came after the last record (kills so far: " + killed + ")");
                server.kill();
                killed.add(resumedFrom + "->" + beforeKill + "(+" + delayMs + "ms)");
            } finally {
                server.close();
            }
        }
        System.out.println("TransactedDeliveryCrashIT " + topic + ": " + killed.size() + " kills, committed offsets "
                + "at restart -> at kill: " + killed);
        assertEquals(kills, killed.size(), "every kill came while the backlog was being delivered");
    }

    private static void produceBacklog(RestClient rest, HearthServer server, String topic) {
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", PARTITIONS).build());
        assertEquals(201, created.status(), created.toString());
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("acks", "all");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, "slow-" + i));
            }
            producer.flush();
        }
    }

    static void assertExactlyOneRowPerRecord(String url, String user, String query, String group)
            throws SQLException {
        assertExactlyOneRowPerRecord(url, user, query, group, RECORDS);
    }

    /** One row per record of {@code records} (the backlog's size), none twice, and the offsets covering them. */
    static void assertExactlyOneRowPerRecord(String url, String user, String query, String group, int records)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, "");
             Statement statement = connection.createStatement()) {
            Set<String> entries = new HashSet<>();
            int rows = 0;
            try (ResultSet result = statement.executeQuery(query)) {
                while (result.next()) {
                    rows++;
                    entries.add(result.getString(1));
                }
            }
            assertEquals(records, entries.size(), "every record has its row: none lost to a kill");
            assertEquals(records, rows, "and no record has two: no kill made a record apply twice");
            try (ResultSet offsets = statement.executeQuery("SELECT SUM(next_offset) FROM hearth_consumer_offsets "
                    + "WHERE group_id = '" + group + "'")) {
                offsets.next();
                assertEquals(records, offsets.getLong(1), "the offsets kept with the rows cover the whole backlog");
            }
        }
    }

    /** The group's committed offsets summed over the partitions; 0 before the first commit. */
    private static long committed(RestClient rest, String groupPath) {
        Reply group = rest.get(groupPath);
        if (group.status() == 404) {
            return 0;
        }
        assertEquals(200, group.status(), group.toString());
        return group.object().getJsonArray("offsets").stream().map(JsonValue::asJsonObject)
                .mapToLong(offset -> offset.getJsonNumber("committed_offset").longValue()).sum();
    }

    /** hearth.war with the ledger bean and its persistence unit on Hearth's own (non-XA) data source. */
    private static Path applicationWar() {
        File target = HearthServer.workDir().resolve("hearth-with-ledger.war").toFile();
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(LedgerBean.class, LedgerEntry.class, LedgerQueries.class, Deliveries.class)
                .addAsResource("mdb/ledger-persistence.xml", "META-INF/persistence.xml")
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }

    /** A user's application of its own, deployed next to hearth.war: its XA data source and its bean. */
    static Path ordersWar() {
        File target = HearthServer.workDir().resolve("orders.war").toFile();
        ShrinkWrap.create(WebArchive.class, "orders.war")
                .addClasses(OrdersDatabase.class, OrderEntryBean.class)
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }
}
