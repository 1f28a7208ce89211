package dev.hearth.mdb;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonValue;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hearth.application.ClickStreams;
import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.testing.KafkaCluster;

/**
 * Failures on a Kafka cluster ({@code hearth.backend=kafka}, a real 3-broker Apache Kafka cluster, topics with
 * replication factor 3 and {@code min.insync.replicas=2}), counted rather than hoped for:
 * <ul>
 *   <li>the app server killed with kill -9 again and again during transacted MDB delivery into the application's
 *       XA database (offset table in the same transaction): exactly one row per record, as on the embedded engine
 *       ({@link TransactedDeliveryCrashIT}'s loop);</li>
 *   <li>the leader broker of a busy partition killed with kill -9 while the MDB consumes into its table and the
 *       click-counts stream job counts: no acknowledged record lost, exactly one row per record, exact counts.</li>
 * </ul>
 */
@Tag("faults")
class ClusterFaultsIT {

    /** Fewer than on the embedded engine: each restart also reconnects to the cluster and rejoins its groups. */
    private static final int KILLS = 5;
    private static final int ORDERS = 3_000;
    private static final int CLICKS = 2_000;
    private static final List<String> PAGES = List.of("home", "cart", "search", "help");
    private static final Duration DELIVERY = Duration.ofMinutes(4);

    @Test
    void transactedDeliveryOnAClusterHasExactlyOneRowPerRecordAfterKills() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(clusterDir("crash"), 3)) {
            Path war = TransactedDeliveryCrashIT.ordersWar();
            Path dataDir = HearthServer.onFreshDataDir("cluster-orders-crash").dataDir();
            String url = "jdbc:h2:file:" + Files.createDirectories(dataDir.resolve("orders-db")).resolve("orders")
                    .toAbsolutePath() + ";WRITE_DELAY=0";
            TransactedDeliveryCrashIT.killRepeatedly("orders", "order-writers", KILLS,
                    name -> new HearthServer(dataDir, name).onKafkaCluster(cluster.clientProperties())
                            .alsoDeploying(war).with("orders.db.url", url));
            TransactedDeliveryCrashIT.assertExactlyOneRowPerRecord(url, "sa", "SELECT entry FROM order_entry",
                    "order-writers");
        }
    }

    @Test
    void aLeaderBrokerKilledUnderDeliveryAndAStreamJobLosesAndDuplicatesNothing() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(clusterDir("broker-kill"), 3)) {
            try (Admin admin = Admin.create(cluster.clientProperties())) {
                admin.createTopics(List.of(new NewTopic("orders", 4, (short) 3))).all().get();
            }
            HearthServer server = HearthServer.onFreshDataDir("cluster-broker-kill");
            String url = "jdbc:h2:file:" + Files.createDirectories(server.dataDir().resolve("orders-db"))
                    .resolve("orders").toAbsolutePath() + ";WRITE_DELAY=0";
            server.onKafkaCluster(cluster.clientProperties())
                    .alsoDeploying(TransactedDeliveryCrashIT.ordersWar()).with("orders.db.url", url)
                    .alsoDeploying(Path.of(System.getProperty("example.click-counts.war")));
            Map<String, Integer> expected = new HashMap<>();
            try {
                server.start();
                RestClient rest = new RestClient(server.baseUri());
                String groupPath = RestClient.CLUSTER + "/consumer-groups/order-writers";
                Map<String, Object> producerConfig = new HashMap<>(cluster.clientProperties());
                producerConfig.put("acks", "all");
                producerConfig.put("enable.idempotence", "true");
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig,
                        new StringSerializer(), new StringSerializer())) {
                    for (int i = 0; i < ORDERS; i++) {
                        producer.send(new ProducerRecord<>("orders", i % 4, null, "order-" + i));
                    }
                    producer.flush();
                    await("the bean is busy with the backlog").atMost(DELIVERY).pollInterval(Duration.ofMillis(200))
                            .until(() -> committed(rest, groupPath) > 200);

                    int leader = cluster.leaderOf("orders", 0);
                    cluster.kill(leader);
                    System.out.println("ClusterFaultsIT: killed broker " + leader + ", the leader of orders-0, at "
                            + committed(rest, groupPath) + " committed orders");
                    expected.clear();
                    for (int i = 0; i < CLICKS; i++) {
                        String page = PAGES.get(i % PAGES.size());
                        producer.send(new ProducerRecord<>("clicks", null, page));
                        expected.merge(page, 1, Integer::sum);
                    }
                    producer.flush(); // every click acknowledged by the in-sync replicas left
                    await("another broker leads orders-0").atMost(Duration.ofMinutes(1))
                            .until(() -> cluster.leaderOf("orders", 0) != leader);
                    assertNotEquals(leader, cluster.leaderOf("orders", 0));

                    Map<String, String> counts = new HashMap<>();
                    expected.forEach((page, count) -> counts.put(page, Integer.toString(count)));
                    ClickStreams.awaitCounts(cluster.bootstrapServers(), counts, DELIVERY);
                    cluster.restart(leader);
                }
                await("the bean finishes the backlog").atMost(DELIVERY).pollInterval(Duration.ofMillis(500))
                        .until(() -> committed(rest, groupPath) == ORDERS);
                Map<String, List<String>> histories = ClickStreams.countsHistory(cluster.bootstrapServers(), DELIVERY);
                for (String page : PAGES) {
                    List<String> history = histories.get(page);
                    assertEquals(Integer.toString(expected.get(page)), history.get(history.size() - 1),
                            "the last count of " + page + " is exact: every acknowledged click counted once");
                    assertEquals(history.size(), history.stream().distinct().count(),
                            "each count of " + page + " was written once: " + history);
                }
            } finally {
                server.stop();
            }
            TransactedDeliveryCrashIT.assertExactlyOneRowPerRecord(url, "sa", "SELECT entry FROM order_entry",
                    "order-writers", ORDERS);
        }
    }

    private static Path clusterDir(String name) throws java.io.IOException {
        return Files.createDirectories(HearthServer.workDir().resolve("cluster-faults-" + name + "-" + System.nanoTime()));
    }

    /** The group's committed offsets summed over the partitions; 0 before the first commit. */
    private static long committed(RestClient rest, String groupPath) {
        RestClient.Reply group = rest.get(groupPath);
        if (group.status() != 200) {
            return 0;
        }
        return group.object().getJsonArray("offsets").stream().map(JsonValue::asJsonObject)
                .mapToLong(offset -> offset.getJsonNumber("committed_offset").longValue()).sum();
    }
}
