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
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;

/**
 * Apache Kafka's own CLI tools (kafka-tools 4.3.1, run as separate processes with their own class path)
 * against Hearth on Payara Micro: kafka-topics creates, lists and describes; kafka-consumer-groups
 * describes lag and resets offsets.
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
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "cli-group");
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
