package dev.hearth.topic;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.SmallFileSystem;
import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;

/**
 * Hearth on a data directory whose (real, loop-mounted) file system fills up: producers get Kafka's storage
 * error and the REST API a 507 problem, acknowledged records stay readable, {@code /health/ready} goes DOWN
 * with the reason, and once space is freed readiness and appends come back by themselves, without a restart.
 */
class DiskFullIT {

    private static final String TOPIC = "disk-full";
    private static final int VALUE_BYTES = 50_000;

    @TempDir
    Path workDir;

    @Test
    void aFullDiskRefusesAppendsCleanlyAndRecoversWhenSpaceIsFreed() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(workDir, 96);
             HearthServer server = new HearthServer(Files.createDirectories(fs.root().resolve("data")), "disk-full").start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            Path ballast = fs.root().resolve("ballast");
            fillLeaving(ballast, 3L << 20);
            List<String> acknowledged = new ArrayList<>();
            Throwable refusal = null;
            try (KafkaProducer<String, String> producer = producer(server)) {
                for (int i = 0; refusal == null && i < 1_000; i++) {
                    String value = i + " " + "x".repeat(VALUE_BYTES);
                    try {
                        producer.send(new ProducerRecord<>(TOPIC, 0, null, value)).get(60, TimeUnit.SECONDS);
                        acknowledged.add(value);
                    } catch (ExecutionException e) {
                        refusal = e.getCause();
                    }
                }
            }
            assertInstanceOf(KafkaStorageException.class, refusal, "a full disk answers Kafka's storage error");
            RestClient rest = new RestClient(server.baseUri());
            RestClient.Reply restProduce = rest.post(RestClient.CLUSTER + "/topics/" + TOPIC + "/records",
                    Json.createObjectBuilder().add("value", Json.createObjectBuilder().add("type", "STRING")
                            .add("data", "y".repeat(VALUE_BYTES * 10))).build());
            assertEquals(507, restProduce.status(), "the REST API answers 507 Insufficient Storage: " + restProduce);
            assertTrue(restProduce.contentType().startsWith("application/problem+json"), "as a problem: " + restProduce);
            await("readiness DOWN while the disk is full").atMost(Duration.ofSeconds(30)).until(() -> {
                RestClient.Reply ready = RestClient.anonymous(server.baseUri()).get("/health/ready");
                return ready.status() == 503 && ready.body().contains("DEGRADED") && ready.body().contains("no space left");
            });
            assertEquals(acknowledged, readAll(server), "every acknowledged record is readable while the disk is full");

            Files.delete(ballast);
            await("readiness UP once space is freed").atMost(Duration.ofSeconds(60)).until(() ->
                    RestClient.anonymous(server.baseUri()).get("/health/ready").status() == 200);
            try (KafkaProducer<String, String> producer = producer(server)) {
                String value = "after " + "z".repeat(100);
                producer.send(new ProducerRecord<>(TOPIC, 0, null, value)).get(60, TimeUnit.SECONDS);
                acknowledged.add(value);
            }
            assertEquals(acknowledged, readAll(server), "appends resumed without a restart, right after the others");
        }
    }

    /** Writes {@code ballast} until the file system has only about {@code leaveBytes} usable. */
    private static void fillLeaving(Path ballast, long leaveBytes) throws Exception {
        long usable = Files.getFileStore(ballast.getParent()).getUsableSpace();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(ballast, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long written = 0; written < usable - leaveBytes - chunk.capacity(); written += chunk.capacity()) {
                chunk.clear();
                channel.write(chunk);
            }
            channel.force(true);
        }
    }

    private static KafkaProducer<String, String> producer(HearthServer server) {
        Properties config = new Properties();
        config.put("bootstrap.servers", server.bootstrapServers());
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        // The refusal itself is what this test looks at, not a retry loop around it.
        config.put("enable.idempotence", "false");
        config.put("retries", "0");
        config.put("acks", "all");
        return new KafkaProducer<>(config);
    }

    private static List<String> readAll(HearthServer server) {
        Properties config = new Properties();
        config.put("bootstrap.servers", server.bootstrapServers());
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(60)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (consumer.position(partition, Duration.ofSeconds(60)) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
