package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;

/**
 * Unmodified kafka-clients against Hearth on Payara Micro: records acknowledged with acks=all and offsets
 * committed by a consumer group survive kill -9 of the server.
 */
class KafkaClientsIT {

    private static final String TOPIC = "payments";

    @Test
    void acknowledgedRecordsAndCommittedOffsetsSurviveKillNine() throws Exception {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("kafka-data-" + System.nanoTime()));
        List<String> acknowledged = new ArrayList<>();
        try (HearthServer server = new HearthServer(dataDir, "kafka-1").start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = producer(server)) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    String key = "card-" + (i % 40);
                    sends.add(producer.send(new ProducerRecord<>(TOPIC, key, "payment-" + i)));
                }
                for (int i = 0; i < sends.size(); i++) {
                    RecordMetadata metadata = sends.get(i).get();
                    int kafkaPartition = Utils.toPositive(Utils.murmur2(("card-" + (i % 40)).getBytes(StandardCharsets.UTF_8))) % 3;
                    assertEquals(kafkaPartition, metadata.partition(), "record " + i + " is on Kafka's partition for its key");
                    acknowledged.add("payment-" + i);
                }
            }
            try (KafkaConsumer<String, String> consumer = consumer(server, "ledger")) {
                consumer.subscribe(List.of(TOPIC));
                assertEquals(2000, pollUntil(consumer, 2000).size(), "the group reads every acknowledged record");
                consumer.commitSync();
            }
            server.kill();
        }
        try (HearthServer server = new HearthServer(dataDir, "kafka-2").start()) {
            try (KafkaConsumer<String, String> fresh = consumer(server, "auditors")) {
                fresh.subscribe(List.of(TOPIC));
                List<String> values = new ArrayList<>();
                pollUntil(fresh, 2000).forEach(record -> values.add(record.value()));
                values.sort(null);
                List<String> expected = new ArrayList<>(acknowledged);
                expected.sort(null);
                assertEquals(expected, values, "after kill -9 every record acknowledged with acks=all is there, once");
            }
            try (KafkaProducer<String, String> producer = producer(server)) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "card-x", "after-restart-" + i)).get();
                }
            }
            try (KafkaConsumer<String, String> resumed = consumer(server, "ledger")) {
                resumed.subscribe(List.of(TOPIC));
                List<ConsumerRecord<String, String>> records = pollUntil(resumed, 10);
                assertTrue(records.stream().allMatch(r -> r.value().startsWith("after-restart-")),
                        "the group resumes at its committed offsets, which survived kill -9: " + records);
            }
        }
    }

    private static KafkaProducer<String, String> producer(HearthServer server) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("acks", "all");
        props.put("linger.ms", 5);
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, String> consumer(HearthServer server, String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("group.id", group);
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (records.size() < count && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertEquals(count, records.size(), "expected number of records within 60 s");
        return records;
    }
}
