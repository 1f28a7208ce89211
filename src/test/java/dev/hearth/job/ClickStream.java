package dev.hearth.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Input for {@link ClickCountJob} and the exact counts it must produce, computed here independently of Hearth.
 * Events go to random partitions; within a partition event time is out of order by less than 4 s (the job
 * allows 5 s), so no event is late under a watermark taken as the minimum over all partitions, whatever the
 * order in which partitions are consumed. One "flush" event per partition, 60 s after the last, closes every
 * window of the real users.
 */
final class ClickStream {

    static final long START_MS = 1_700_000_000_000L;
    static final long WINDOW_MS = 10_000;

    record Click(int partition, String value) {
    }

    final List<Click> clicks = new ArrayList<>();
    /** "user@windowStartMs" to count, for every window of the real users. */
    final Map<String, Long> expectedCounts = new HashMap<>();

    ClickStream(int events, long stepMs, int partitions, int users, long seed) {
        Random random = new Random(seed);
        long lastMs = START_MS;
        for (int i = 0; i < events; i++) {
            String user = "user-" + random.nextInt(users);
            long eventMs = START_MS + i * stepMs + random.nextInt(4000);
            lastMs = Math.max(lastMs, eventMs);
            clicks.add(new Click(random.nextInt(partitions), user + "," + eventMs));
            expectedCounts.merge(user + "@" + (eventMs - eventMs % WINDOW_MS), 1L, Long::sum);
        }
        for (int partition = 0; partition < partitions; partition++) {
            clicks.add(new Click(partition, "flush," + (lastMs + 60_000)));
        }
    }

    /** @param client {@code bootstrap.servers} and the security settings of the server ({@code HearthServer}) */
    void produce(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("acks", "all");
        props.put("linger.ms", "5");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (Click click : clicks) {
                producer.send(new ProducerRecord<>("clicks", click.partition(), null, click.value()));
            }
            producer.flush();
        }
    }

    /**
     * Reads a topic from the beginning, read_committed, until {@code done} holds for what was read so far and
     * then {@code settleMs} longer (so that duplicates written late would show), or the timeout passes.
     */
    static List<ConsumerRecord<String, String>> readCommitted(Properties client, String topic, Duration timeout,
                                                             long settleMs,
                                                             java.util.function.Predicate<List<ConsumerRecord<String, String>>> done) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("isolation.level", "read_committed");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            long settleUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, settleUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (settleUntil == Long.MAX_VALUE && done.test(records)) {
                    settleUntil = System.currentTimeMillis() + settleMs;
                }
            }
        }
        return records;
    }

    /** The window counts in {@code records} (flush user excluded), failing on a window emitted twice. */
    static Map<String, Long> counts(List<ConsumerRecord<String, String>> records) {
        Map<String, Long> counts = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            if (record.key().startsWith("flush@")) {
                continue;
            }
            Long previous = counts.put(record.key(), Long.parseLong(record.value()));
            if (previous != null) {
                throw new AssertionError("window " + record.key() + " was emitted twice: " + previous + " then "
                        + record.value());
            }
        }
        return counts;
    }

    static boolean hasAll(List<ConsumerRecord<String, String>> records, Set<String> keys) {
        return records.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet()).containsAll(keys);
    }
}
