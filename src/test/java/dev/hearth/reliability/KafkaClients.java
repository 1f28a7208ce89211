package dev.hearth.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.hearth.platform.HearthServer;

/**
 * Client settings and read-back shared by the reliability tests, whose workloads must ride out a server that is
 * killed and restarted (or loses power) many times. Stateless; thread-safe.
 */
final class KafkaClients {

    /** Kept referenced: the clients' reconnection warnings during each restart would drown the tests' output. */
    private static final Logger KAFKA_CLIENT_LOGS = quiet("org.apache.kafka");

    private KafkaClients() {
    }

    /** String producer settings that survive restarts: a kill and a restart of Payara Micro take tens of seconds. */
    static Properties producerConfig(HearthServer server) {
        Properties config = new Properties();
        config.put("bootstrap.servers", server.bootstrapServers());
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        config.put("linger.ms", "5");
        config.put("delivery.timeout.ms", "600000");
        config.put("request.timeout.ms", "20000");
        config.put("max.block.ms", "600000");
        config.put("reconnect.backoff.max.ms", "1000");
        return config;
    }

    /** Every record of {@code partitions} partitions of {@code topic}, by partition, in offset order. */
    static Map<Integer, List<ConsumerRecord<String, String>>> readAll(HearthServer server, String topic, int partitions,
                                                                       String isolation) {
        Properties config = new Properties();
        config.put("bootstrap.servers", server.bootstrapServers());
        config.put("isolation.level", isolation);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        Map<Integer, List<ConsumerRecord<String, String>>> records = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int partition = 0; partition < partitions; partition++) {
                assigned.add(new TopicPartition(topic, partition));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (assigned.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(60)) < ends.get(p))) {
                assertTrue(System.nanoTime() < deadline, "reading " + topic + " back took over 3 minutes");
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    records.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
                }
            }
        }
        return records;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }
}
