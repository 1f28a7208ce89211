package dev.hearth.record;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.record.outboxapp.AccountEvents;
import dev.hearth.record.outboxapp.AccountsDatabase;
import dev.hearth.testing.KafkaCluster;

/**
 * The outbox under kill -9 ({@code hearth.backend=kafka}, a 3-broker Apache Kafka cluster): a user's application
 * runs {@value #TRANSACTIONS} JTA transactions, each inserting a row into its own XA database and sending a record
 * (key: one of {@value #ACCOUNTS} accounts, value: the account's next sequence number) through Hearth's connection
 * factory, every third rolled back on purpose; the app server is killed twice during the run and restarted on the
 * same data. A transaction whose answer was lost to a kill may or may not have committed: the application's
 * database is the truth. At the end the topic holds exactly the committed rows' records, once each, and each
 * account's records in sequence order.
 */
@Tag("faults")
class OutboxCrashIT {

    private static final int TRANSACTIONS = 1_000;
    private static final int ACCOUNTS = 10;
    private static final Duration DELIVERY = Duration.ofMinutes(3);

    @Test
    void exactlyTheCommittedRecordsOnceEachInOrderPerKeyAfterTwoKills() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(Files.createDirectories(HearthServer.workDir()
                .resolve("outbox-crash-cluster-" + System.nanoTime())), 3)) {
            Path dataDir = HearthServer.onFreshDataDir("outbox-crash").dataDir();
            String url = "jdbc:h2:file:" + Files.createDirectories(dataDir.resolve("accounts-db")).resolve("accounts")
                    .toAbsolutePath() + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
            Path war = accountsWar();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            int[] killAt = {TRANSACTIONS / 3, 2 * TRANSACTIONS / 3};
            int run = 0;
            int next = 0;
            while (next < TRANSACTIONS) {
                HearthServer server = new HearthServer(dataDir, "outbox-crash-" + run)
                        .onKafkaCluster(cluster.clientProperties()).alsoDeploying(war).with("accounts.db.url", url);
                try {
                    server.start();
                    int stopAt = run < killAt.length ? killAt[run] : TRANSACTIONS;
                    for (; next < stopAt; next++) {
                        send(http, server.baseUri(), next);
                    }
                    if (run < killAt.length) {
                        // The kill lands while the relays publish what was just committed.
                        server.kill();
                    } else {
                        awaitPublishingDone(cluster);
                        server.stop(); // the database file is closed before the test opens it
                    }
                } finally {
                    server.close();
                }
                run++;
            }
            Map<String, List<Integer>> committed = committedRows(url);
            Map<String, List<Integer>> published = published(cluster);
            long committedCount = committed.values().stream().mapToLong(List::size).sum();
            assertTrue(committedCount > TRANSACTIONS / 2 && committedCount < TRANSACTIONS,
                    "about two thirds committed: " + committedCount);
            for (Map.Entry<String, List<Integer>> account : committed.entrySet()) {
                List<Integer> records = published.getOrDefault(account.getKey(), List.of());
                assertEquals(account.getValue(), records, "account " + account.getKey() + ": exactly its committed "
                        + "events, once each, in sequence order");
            }
            assertEquals(committed.keySet(), published.keySet(), "no record of a rolled-back transaction");
        }
    }

    /** Event {@code i}: account {@code i % ACCOUNTS}, its sequence number {@code i / ACCOUNTS}; every third fails. */
    private static void send(HttpClient http, URI base, int i) {
        String account = "account-" + (i % ACCOUNTS);
        URI uri = base.resolve("/accounts/api/events/" + account + "/" + (i / ACCOUNTS) + "?fail=" + (i % 3 == 2));
        HttpResponse<String> response = await("event " + i + " answered").atMost(Duration.ofMinutes(1))
                .ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()),
                        reply -> reply.statusCode() == 200 || reply.statusCode() == 400);
        assertEquals(i % 3 == 2 ? 400 : 200, response.statusCode(), "event " + i + ": " + response.body());
    }

    /**
     * Waits until the topic has at least the events acknowledged in the last run's share and stops growing: the
     * relays caught up (the database, locked by the running server, is compared after it stopped).
     */
    private static void awaitPublishingDone(KafkaCluster cluster) {
        long[] last = {-1};
        await("the relays publish everything committed").atMost(DELIVERY).pollInterval(Duration.ofSeconds(3))
                .until(() -> {
                    long now = published(cluster).values().stream().mapToLong(List::size).sum();
                    boolean stable = now == last[0] && now >= TRANSACTIONS / 2;
                    last[0] = now;
                    return stable;
                });
    }

    /** The application's rows: sequence numbers per account, ascending. */
    private static Map<String, List<Integer>> committedRows(String url) throws Exception {
        Map<String, List<Integer>> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT account, seq FROM account_event ORDER BY account, seq")) {
            while (result.next()) {
                rows.computeIfAbsent(result.getString(1), a -> new ArrayList<>()).add(result.getInt(2));
            }
        }
        return rows;
    }

    /** The topic's records, read committed: sequence numbers per account, in offset order. */
    private static Map<String, List<Integer>> published(KafkaCluster cluster) {
        Map<String, Object> properties = new HashMap<>(cluster.clientProperties());
        properties.put("isolation.level", "read_committed");
        Map<String, List<Integer>> records = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            if (!consumer.listTopics().containsKey("account-events")) {
                return records;
            }
            List<TopicPartition> partitions = consumer.partitionsFor("account-events").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await("account-events read to its end").atMost(DELIVERY).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.computeIfAbsent(record.key(), a -> new ArrayList<>()).add(Integer.parseInt(record.value()));
                }
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
            });
        }
        return records;
    }

    private static Path accountsWar() {
        File target = HearthServer.workDir().resolve("accounts.war").toFile();
        ShrinkWrap.create(WebArchive.class, "accounts.war")
                .addClasses(AccountsDatabase.class, AccountEvents.class, AccountEvents.Api.class)
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }
}
