package dev.hearth.application;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.testing.KafkaCluster;
import dev.hearth.testing.PostgresServer;

/**
 * Two Payara Micro instances with Hearth on one Kafka cluster (3 brokers) and one PostgreSQL database (Hearth's own,
 * which the payments example's ledger and its offset table use too), both deploying the payments and click-counts
 * examples: the ledger bean's group and the counting job are shared, their partitions split between the instances.
 * Instance A is killed with kill -9 in the middle of the backlog; B owns every partition within 15 s, the ledger
 * has exactly one row per payment record, and the counts are exact.
 */
@Tag("faults")
class TwoInstancesOnAClusterIT {

    private static final int PAYMENTS = 12_000;
    private static final int CLICKS = 2_000;
    private static final List<String> PAGES = List.of("home", "cart", "search", "help");
    private static final Duration DELIVERY = Duration.ofMinutes(4);
    private static final String GROUP = RestClient.CLUSTER + "/consumer-groups/payments-ledger";

    @Test
    void theSurvivorTakesOverEveryPartitionAndNothingIsLostOrDoubled() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(Files.createDirectories(HearthServer.workDir()
                .resolve("two-instances-cluster-" + System.nanoTime())), 3);
             PostgresServer postgres = PostgresServer.start()) {
            try (Admin admin = Admin.create(cluster.clientProperties())) {
                admin.createTopics(List.of(new NewTopic("payments", 4, (short) 3),
                        new NewTopic("clicks", 4, (short) 3))).all().get();
            }
            HearthServer first = instance("two-instances-a", cluster, postgres);
            HearthServer second = instance("two-instances-b", cluster, postgres);
            try {
                first.start();
                second.start();
                RestClient viaSecond = new RestClient(second.baseUri());
                await("both instances are members of the ledger's group").atMost(DELIVERY).ignoreExceptions()
                        .until(() -> membersOwning(viaSecond).size() == 2);

                Map<String, Integer> expected = produce(cluster);
                await("the ledger is busy with the backlog").atMost(DELIVERY).pollInterval(Duration.ofMillis(200))
                        .until(() -> committed(viaSecond) > 1_000);
                first.kill();
                long killedAt = System.nanoTime();
                await("the survivor owns every partition of the group").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> membersOwning(viaSecond), owners -> owners.size() == 1
                                && owners.values().iterator().next() == 4);
                System.out.println("TwoInstancesOnAClusterIT: the survivor owned all 4 partitions "
                        + Duration.ofNanos(System.nanoTime() - killedAt).toMillis() + " ms after the kill, at "
                        + committed(viaSecond) + " committed payments");

                await("the survivor finishes the backlog").atMost(DELIVERY).pollInterval(Duration.ofMillis(500))
                        .until(() -> committed(viaSecond) == PAYMENTS);
                Map<String, String> counts = new HashMap<>();
                expected.forEach((page, count) -> counts.put(page, Integer.toString(count)));
                ClickStreams.awaitCounts(cluster.bootstrapServers(), counts, DELIVERY);
                Map<String, List<String>> histories = ClickStreams.countsHistory(cluster.bootstrapServers(), DELIVERY);
                for (String page : PAGES) {
                    List<String> history = histories.get(page);
                    assertEquals(history.size(), history.stream().distinct().count(),
                            "each count of " + page + " was written once across the instances: " + history);
                }
            } finally {
                first.close();
                second.close();
            }
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                 ResultSet ledger = statement.executeQuery(
                         "SELECT COUNT(*), COUNT(DISTINCT payment_id), SUM(amount_cents) FROM example_ledger_entry")) {
                assertTrue(ledger.next());
                assertEquals(PAYMENTS, ledger.getLong(1), "one ledger row per payment record: none lost, none twice");
                assertEquals(PAYMENTS, ledger.getLong(2), "each payment once");
                assertEquals(PAYMENTS, ledger.getLong(3), "and its amount once");
            }
        }
    }

    private static HearthServer instance(String name, KafkaCluster cluster, PostgresServer postgres) {
        return HearthServer.onFreshDataDir(name).onKafkaCluster(cluster.clientProperties())
                .with("hearth.db.url", postgres.jdbcUrl())
                .with("hearth.db.user", postgres.user())
                .alsoDeploying(Path.of(System.getProperty("example.payments.war")))
                .alsoDeploying(Path.of(System.getProperty("example.click-counts.war")));
    }

    /** The payments (each 1 cent, keyed by id) and clicks, acknowledged by the in-sync replicas; expected counts. */
    private static Map<String, Integer> produce(KafkaCluster cluster) {
        Map<String, Object> config = new HashMap<>(cluster.clientProperties());
        config.put("acks", "all");
        Map<String, Integer> expected = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < PAYMENTS; i++) {
                producer.send(new ProducerRecord<>("payments", "payment-" + i, "1"));
            }
            for (int i = 0; i < CLICKS; i++) {
                String page = PAGES.get(i % PAGES.size());
                producer.send(new ProducerRecord<>("clicks", null, page));
                expected.merge(page, 1, Integer::sum);
            }
            producer.flush();
        }
        return expected;
    }

    /** Member id to the number of partitions it is assigned. */
    private static Map<String, Integer> membersOwning(RestClient rest) {
        JsonObject group = rest.get(GROUP).object();
        Map<String, Integer> owners = new HashMap<>();
        for (JsonValue member : group.getJsonArray("members")) {
            owners.put(member.asJsonObject().getString("member_id"),
                    member.asJsonObject().getJsonArray("assignments").size());
        }
        return owners;
    }

    private static long committed(RestClient rest) {
        RestClient.Reply group = rest.get(GROUP);
        if (group.status() != 200) {
            return 0;
        }
        return group.object().getJsonArray("offsets").stream().map(JsonValue::asJsonObject)
                .mapToLong(offset -> offset.getJsonNumber("committed_offset").longValue()).sum();
    }
}
