package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import jakarta.json.JsonObject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;

/**
 * Apache Kafka's own CLI tools (kafka-tools 4.3.1, run as separate processes with their own class path)
 * against Hearth on Payara Micro: kafka-topics creates, lists and describes; kafka-consumer-groups
 * describes lag and resets offsets; kafka-acls adds, lists and removes ACLs; kafka-configs adds, describes and
 * deletes SCRAM users; kafka-delete-records, kafka-get-offsets --time -3, kafka-log-dirs, kafka-configs for brokers,
 * kafka-features, kafka-consumer-groups --list --state and --delete-offsets, kafka-share-groups --list and
 * kafka-transactions (list, describe, describe-producers, find-hanging, abort) work with exit code 0. The changes
 * they make reach the audit trail over REST with their principal.
 */
class KafkaCliToolsIT {

    @Test
    void kafkaTopicsAndKafkaConsumerGroupsWork() throws Exception {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("cli-data-" + System.nanoTime()));
        try (HearthServer server = new HearthServer(dataDir, "kafka-cli").start()) {
            String bootstrap = server.bootstrapServers();
            tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--create",
                    "--topic", "cli-orders", "--partitions", "3", "--replication-factor", "1");
            assertTrue(tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--list")
                    .lines().anyMatch("cli-orders"::equals), "kafka-topics --list shows the created topic");
            String described = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap,
                    "--describe", "--topic", "cli-orders");
            assertTrue(described.contains("PartitionCount: 3"), "kafka-topics --describe shows 3 partitions: " + described);

            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>("cli-orders", i % 3, "k" + i, "v" + i)).get();
                }
            }
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of("cli-orders"));
                int read = 0;
                long deadline = System.currentTimeMillis() + 60_000;
                while (read < 30 && System.currentTimeMillis() < deadline) {
                    read += consumer.poll(Duration.ofMillis(200)).count();
                }
                assertEquals(30, read, "the group read all 30 records");
                consumer.commitSync();
            }
            String lagAfterReading = tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                    "--bootstrap-server", bootstrap, "--describe", "--group", "cli-group");
            assertEquals(List.of(0L, 0L, 0L), lags(lagAfterReading), "no lag once everything is committed: " + lagAfterReading);

            tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "--bootstrap-server", bootstrap,
                    "--reset-offsets", "--group", "cli-group", "--topic", "cli-orders", "--to-earliest", "--execute");
            String lagAfterReset = tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                    "--bootstrap-server", bootstrap, "--describe", "--group", "cli-group");
            assertEquals(List.of(10L, 10L, 10L), lags(lagAfterReset),
                    "after --reset-offsets --to-earliest each partition lags by its 10 records: " + lagAfterReset);
        }
    }

    @Test
    void kafkaAclsAndKafkaConfigsManageAclsAndUsersAndTheAuditTrailShowsIt() throws Exception {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("cli-acls-" + System.nanoTime()));
        try (HearthServer server = new HearthServer(dataDir, "kafka-cli-acls").start()) {
            String bootstrap = server.bootstrapServers();
            String acls = "org.apache.kafka.tools.AclCommand";
            tool(acls, "--bootstrap-server", bootstrap, "--add", "--allow-principal", "User:alice",
                    "--operation", "Read", "--topic", "orders-", "--resource-pattern-type", "prefixed");
            tool(acls, "--bootstrap-server", bootstrap, "--add", "--deny-principal", "User:mallory",
                    "--operation", "All", "--topic", "orders-eu");
            String listed = tool(acls, "--bootstrap-server", bootstrap, "--list");
            assertTrue(listed.contains("name=orders-, patternType=PREFIXED") && listed.contains("User:alice")
                    && listed.contains("operation=READ, permissionType=ALLOW"), "the prefixed allow is listed: " + listed);
            assertTrue(listed.contains("name=orders-eu, patternType=LITERAL") && listed.contains("User:mallory")
                    && listed.contains("operation=ALL, permissionType=DENY"), "the deny is listed: " + listed);
            tool(acls, "--bootstrap-server", bootstrap, "--remove", "--force", "--allow-principal", "User:alice",
                    "--operation", "Read", "--topic", "orders-", "--resource-pattern-type", "prefixed");
            String afterRemove = tool(acls, "--bootstrap-server", bootstrap, "--list");
            assertTrue(!afterRemove.contains("User:alice") && afterRemove.contains("User:mallory"),
                    "--remove removed alice's ACL only: " + afterRemove);

            String configs = "kafka.admin.ConfigCommand";
            tool(configs, "--bootstrap-server", bootstrap, "--alter", "--add-config",
                    "SCRAM-SHA-256=[iterations=8192,password=alice-Secret-1]", "--entity-type", "users",
                    "--entity-name", "alice");
            String described = tool(configs, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "users",
                    "--entity-name", "alice");
            assertTrue(described.contains("SCRAM-SHA-256=iterations=8192"), "kafka-configs --describe shows the"
                    + " credential: " + described);
            tool(configs, "--bootstrap-server", bootstrap, "--alter", "--delete-config", "SCRAM-SHA-256",
                    "--entity-type", "users", "--entity-name", "alice");
            String afterDelete = tool(configs, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "users",
                    "--entity-name", "alice");
            assertTrue(!afterDelete.contains("SCRAM-SHA-256=iterations"), "the credential is gone: " + afterDelete);

            RestClient admin = new RestClient(server.baseUri());
            List<String> expected = List.of("DELETE_USER", "ALTER_USER", "DELETE_ACLS", "CREATE_ACLS", "CREATE_ACLS");
            List<JsonObject>[] entries = new List[1];
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                entries[0] = admin.get(RestClient.CLUSTER + "/audit-entries?limit=20").object().getJsonArray("data")
                        .getValuesAs(JsonObject.class);
                return entries[0].stream().map(entry -> entry.getString("action")).toList().equals(expected);
            });
            for (JsonObject entry : entries[0]) {
                assertEquals("ANONYMOUS", entry.getString("principal"), "the Kafka principal made it: " + entry);
                assertEquals("127.0.0.1", entry.getString("client_address"), "from the CLI's address: " + entry);
            }
            assertEquals("alice", entries[0].get(0).getString("resource_name"));
            assertEquals("TOPIC:PREFIXED:orders-", entries[0].get(2).getString("resource_name"), entries[0].toString());
            server.stop();
        }
    }

    @Test
    void kafkaAdminToolsDeleteRecordsDescribeLogDirsBrokersFeaturesGroupsAndAbortTransactions() throws Exception {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("cli-admin-" + System.nanoTime()));
        try (HearthServer server = new HearthServer(dataDir, "kafka-cli-admin").start()) {
            String bootstrap = server.bootstrapServers();
            tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--create",
                    "--topic", "cli-admin", "--partitions", "1", "--replication-factor", "1");
            long[] timestamps = {1_000, 2_000, 9_000, 3_000, 4_000};
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                for (int i = 0; i < timestamps.length; i++) {
                    producer.send(new ProducerRecord<>("cli-admin", 0, timestamps[i], "k", "v" + i)).get();
                }
            }
            String getOffsets = "org.apache.kafka.tools.GetOffsetShell";
            assertEquals(List.of("cli-admin:0:2"), offsetLines(tool(getOffsets, "--bootstrap-server", bootstrap,
                    "--topic", "cli-admin", "--time", "-3")),
                    "kafka-get-offsets --time -3 finds the record with the largest timestamp");

            Path offsets = Files.writeString(Files.createTempFile("delete-records", ".json"),
                    "{\"partitions\":[{\"topic\":\"cli-admin\",\"partition\":0,\"offset\":1}],\"version\":1}");
            String deleted = tool("org.apache.kafka.tools.DeleteRecordsCommand", "--bootstrap-server", bootstrap,
                    "--offset-json-file", offsets.toString());
            assertTrue(deleted.contains("low_watermark: 1"), "kafka-delete-records reports the new start: " + deleted);
            assertEquals(List.of("cli-admin:0:1"), offsetLines(tool(getOffsets, "--bootstrap-server", bootstrap,
                    "--topic", "cli-admin", "--time", "-2")), "the earliest offset moved");

            String logDirs = tool("org.apache.kafka.tools.LogDirsCommand", "--bootstrap-server", bootstrap,
                    "--describe", "--topic-list", "cli-admin");
            assertTrue(logDirs.contains("\"partition\":\"cli-admin-0\"") && logDirs.contains("\"error\":null"),
                    "kafka-log-dirs shows the partition in the data directory: " + logDirs);
            String brokerConfigs = tool("kafka.admin.ConfigCommand", "--bootstrap-server", bootstrap,
                    "--entity-type", "brokers", "--entity-name", "0", "--describe", "--all");
            assertTrue(brokerConfigs.contains("auto.create.topics.enable=") && brokerConfigs.contains("num.partitions=")
                    && brokerConfigs.contains("log.retention.ms="), "kafka-configs describes broker 0: " + brokerConfigs);
            String features = tool("org.apache.kafka.tools.FeatureCommand", "--bootstrap-server", bootstrap, "describe");
            assertTrue(features.lines().anyMatch(line -> line.startsWith("Feature: metadata.version")
                    && line.contains("FinalizedVersionLevel: 4.3-IV0")), "kafka-features describe: " + features);

            Properties transactional = new Properties();
            transactional.put("transactional.id", "cli-stuck");
            transactional.put("transaction.timeout.ms", "600000");
            try (KafkaProducer<String, String> stuck = producer(bootstrap, transactional);
                 KafkaConsumer<String, String> member = consumer(bootstrap, "cli-members")) {
                stuck.initTransactions();
                stuck.beginTransaction();
                stuck.send(new ProducerRecord<>("cli-admin", 0, "k", "pending")).get();
                member.subscribe(List.of("cli-admin"));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    member.poll(Duration.ofMillis(200));
                    return !member.assignment().isEmpty();
                });
                member.commitSync(java.util.Map.of(new org.apache.kafka.common.TopicPartition("cli-admin", 0),
                        new org.apache.kafka.clients.consumer.OffsetAndMetadata(2)));

                String groups = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
                assertTrue(tool(groups, "--bootstrap-server", bootstrap, "--list", "--state", "Stable").lines()
                        .anyMatch(line -> line.startsWith("cli-members")), "the stable group is listed");
                assertTrue(tool("org.apache.kafka.tools.consumer.group.ShareGroupCommand", "--bootstrap-server",
                        bootstrap, "--list").lines().noneMatch(line -> line.contains("cli-members")),
                        "kafka-share-groups does not list consumer groups");

                String transactions = "org.apache.kafka.tools.TransactionsCommand";
                String listed = tool(transactions, "--bootstrap-server", bootstrap, "list");
                assertTrue(listed.lines().anyMatch(line -> line.startsWith("cli-stuck") && line.contains("Ongoing")),
                        "kafka-transactions list: " + listed);
                String described = tool(transactions, "--bootstrap-server", bootstrap, "describe",
                        "--transactional-id", "cli-stuck");
                assertTrue(described.contains("cli-admin-0"), "kafka-transactions describe: " + described);
                String producers = tool(transactions, "--bootstrap-server", bootstrap, "describe-producers",
                        "--topic", "cli-admin", "--partition", "0");
                assertTrue(producers.lines().map(line -> line.strip().split("\\s+"))
                                .anyMatch(columns -> columns[columns.length - 1].equals("5")),
                        "describe-producers shows the transaction starting at offset 5: " + producers);
                String hanging = tool(transactions, "--bootstrap-server", bootstrap, "find-hanging", "--broker-id", "0");
                assertTrue(hanging.lines().anyMatch(line -> line.startsWith("Topic")) && hanging.lines()
                        .noneMatch(line -> line.startsWith("cli-admin")),
                        "a transaction its coordinator knows is not hanging: " + hanging);
                tool(transactions, "--bootstrap-server", bootstrap, "abort", "--topic", "cli-admin", "--partition", "0",
                        "--start-offset", "5");
                assertTrue(tool(transactions, "--bootstrap-server", bootstrap, "list").lines()
                        .anyMatch(line -> line.startsWith("cli-stuck") && line.contains("CompleteAbort")),
                        "kafka-transactions abort aborted it");
                stuck.close(Duration.ZERO);
            }
            String deletedOffsets = tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                    "--bootstrap-server", bootstrap, "--delete-offsets", "--group", "cli-members", "--topic", "cli-admin");
            assertTrue(deletedOffsets.contains("Successful"), "--delete-offsets of a group without members: "
                    + deletedOffsets);

            RestClient admin = new RestClient(server.baseUri());
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    admin.get(RestClient.CLUSTER + "/audit-entries?limit=20").object().getJsonArray("data")
                            .getValuesAs(JsonObject.class).stream().map(entry -> entry.getString("action")).toList()
                            .containsAll(List.of("DELETE_RECORDS", "ABORT_TRANSACTION", "DELETE_OFFSETS")));
            server.stop();
        }
    }

    /** kafka-get-offsets' {@code topic:partition:offset} lines, without the tool's log lines. */
    private static List<String> offsetLines(String output) {
        return output.lines().filter(line -> line.startsWith("cli-admin:")).toList();
    }

    /** The LAG column of kafka-consumer-groups --describe, per partition in partition order. */
    private static List<Long> lags(String describe) {
        List<String> lines = describe.lines().filter(line -> line.contains("cli-orders")).sorted().toList();
        List<Long> lags = new ArrayList<>();
        for (String line : lines) {
            String[] columns = line.trim().split("\\s+");
            lags.add(Long.parseLong(columns[5]));
        }
        return lags;
    }

    private static String tool(String mainClass, String... args) throws Exception {
        String lib = System.getProperty("kafka.cli.lib");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", lib + "/*", mainClass));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("kafka-cli", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), mainClass + " finished within 2 minutes");
        String text = Files.readString(output);
        assertEquals(0, process.exitValue(), mainClass + " " + String.join(" ", args) + " succeeded: " + text);
        return text;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return producer(bootstrap, new Properties());
    }

    private static KafkaProducer<String, String> producer(String bootstrap, Properties overrides) {
        Properties props = new Properties();
        props.putAll(overrides);
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return consumer(bootstrap, "cli-group");
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String groupId) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", groupId);
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
