package dev.hearth.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.hearth.platform.HearthServer;

/**
 * A consumer group member that commits its position synchronously after every poll until stopped, starting a new
 * consumer whenever a restart breaks the old one, and remembers the last offset per partition whose commit was
 * acknowledged. {@link #assertNotBehind} checks, after a restart, that no committed offset went back.
 *
 * <p>Thread-safety: {@link #run} runs on one thread; the other methods may be called from any thread.
 */
final class GroupCommitWorkload implements Runnable {

    private final HearthServer server;
    private final String topic;
    private final String group;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** The last offset per partition whose commit was acknowledged. */
    private final Map<TopicPartition, Long> lastCommitted = new ConcurrentHashMap<>();

    GroupCommitWorkload(HearthServer server, String topic, String group) {
        this.server = server;
        this.topic = topic;
        this.group = group;
    }

    @Override
    public void run() {
        KafkaConsumer<String, String> consumer = null;
        while (running.get()) {
            try {
                if (consumer == null) {
                    Properties config = new Properties();
                    config.put("bootstrap.servers", server.bootstrapServers());
                    config.put("group.id", group);
                    config.put("enable.auto.commit", "false");
                    config.put("auto.offset.reset", "earliest");
                    config.put("key.deserializer", StringDeserializer.class.getName());
                    config.put("value.deserializer", StringDeserializer.class.getName());
                    config.put("default.api.timeout.ms", "20000");
                    consumer = new KafkaConsumer<>(config);
                    consumer.subscribe(List.of(topic));
                }
                Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    positions.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                if (!positions.isEmpty()) {
                    consumer.commitSync(positions, Duration.ofSeconds(20));
                    positions.forEach((partition, offset) -> lastCommitted.merge(partition, offset.offset(), Math::max));
                }
            } catch (RuntimeException e) {
                // The server went away mid-poll or mid-commit: a fresh member rejoins once it is back.
                if (consumer != null) {
                    consumer.close(Duration.ZERO);
                    consumer = null;
                }
                KafkaClients.pause(500);
            }
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    void stop() {
        running.set(false);
    }

    /** A copy of the acknowledged commits so far, to compare with what the server holds after a restart. */
    Map<TopicPartition, Long> lastCommitted() {
        return new HashMap<>(lastCommitted);
    }

    /** Asserts that every offset in {@code before} is still committed, or a later one; {@code when} names the restart. */
    void assertNotBehind(Map<TopicPartition, Long> before, String when) throws Exception {
        if (before.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            before.forEach((partition, offset) -> {
                OffsetAndMetadata now = committed.get(partition);
                assertTrue(now != null && now.offset() >= offset, "after " + when + " the committed offset of "
                        + partition + " went back: acknowledged " + offset + ", now " + now);
            });
        }
    }
}
