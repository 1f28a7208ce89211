package dev.hearth.mdb;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Kill -9 of Payara Micro in the middle of transacted MDB delivery (a JPA insert per record, committed with the
 * record's offset in one JTA transaction), then a restart on the same data directory: delivery resumes from
 * the committed offsets and, once the backlog is done, the database holds exactly one row per record.
 */
class TransactedDeliveryCrashIT {

    private static final int RECORDS = 3000;
    private static final String GROUP = RestClient.CLUSTER + "/consumer-groups/mdb-ledger-writers";

    @Test
    void afterAKillTheDatabaseHasExactlyOneRowPerRecord() throws Exception {
        Path war = applicationWar();
        HearthServer first = HearthServer.onFreshDataDir("mdb-crash").deploying(war).start();
        Path dataDir = first.dataDir();
        long committedBeforeKill;
        try {
            RestClient rest = new RestClient(first.baseUri());
            Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                    .add("topic_name", "mdb-ledger").add("partitions_count", 4).build());
            assertEquals(201, created.status(), created.toString());
            Properties props = new Properties();
            props.put("bootstrap.servers", first.bootstrapServers());
            props.put("acks", "all");
            props.put("key.serializer", StringSerializer.class.getName());
            props.put("value.serializer", StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>("mdb-ledger", i % 4, null, "slow-" + i));
                }
                producer.flush();
            }
            // Each record takes the bean >= 5 ms: kill while a good part of the backlog is still to come.
            await("the bean has committed some records").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> committed(rest) >= RECORDS / 10);
            committedBeforeKill = committed(rest);
            first.kill();
        } finally {
            first.close();
        }

        HearthServer second = new HearthServer(dataDir, "mdb-crash-restarted").deploying(war).start();
        try {
            RestClient rest = new RestClient(second.baseUri());
            long resumedFrom = committed(rest);
            assertTrue(resumedFrom >= committedBeforeKill, "committed offsets survive the kill");
            assertTrue(resumedFrom < RECORDS, "the kill came before the end of the backlog: " + resumedFrom + " committed");
            await("the restarted server finishes the backlog").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> committed(rest) == RECORDS);
            assertEquals(0, rest.get(GROUP).object().getJsonNumber("total_lag").longValue());
            second.stop(); // SIGTERM: the database file is closed before the test opens it
        } finally {
            second.close();
        }

        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:"
                + dataDir.resolve("database").resolve("hearth").toAbsolutePath(), "", "");
             Statement statement = connection.createStatement()) {
            Set<String> entries = new HashSet<>();
            int rows = 0;
            try (ResultSet result = statement.executeQuery("SELECT entry FROM test_ledger_entry")) {
                while (result.next()) {
                    rows++;
                    entries.add(result.getString(1));
                }
            }
            assertEquals(RECORDS, entries.size(), "every record has its row (" + committedBeforeKill
                    + " were committed before the kill)");
            assertEquals(RECORDS, rows, "and no record has two: the deliveries cut by the kill rolled back");
        }
    }

    /** The group's committed offsets summed over the partitions; 0 before the first commit. */
    private static long committed(RestClient rest) {
        Reply group = rest.get(GROUP);
        if (group.status() == 404) {
            return 0;
        }
        assertEquals(200, group.status(), group.toString());
        return group.object().getJsonArray("offsets").stream().map(JsonValue::asJsonObject)
                .mapToLong(offset -> offset.getJsonNumber("committed_offset").longValue()).sum();
    }

    /** hearth.war with the ledger bean and its persistence unit: an application as a user would deploy it. */
    private static Path applicationWar() {
        File target = HearthServer.workDir().resolve("hearth-with-ledger.war").toFile();
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(LedgerBean.class, LedgerEntry.class, LedgerQueries.class, Deliveries.class)
                .addAsResource("mdb/ledger-persistence.xml", "META-INF/persistence.xml")
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }
}
