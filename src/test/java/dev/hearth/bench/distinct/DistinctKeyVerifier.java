package dev.hearth.bench.distinct;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.hearth.bench.yahoo.WindowCountVerifier;

/**
 * Reads a state-heavy job's output ({@code <key>@<window start>} → count, as text) from the beginning,
 * read_committed, until the latest count of every one of the {@code keys} keys equals
 * {@link DistinctKeyEvents#expectedCount}: {@link WindowCountVerifier}'s rules, with the latest counts in an
 * {@code int[]} indexed by key (8 MB for 2 million keys) instead of a map. Stateless; each call uses its own
 * consumer.
 */
public final class DistinctKeyVerifier {

    private DistinctKeyVerifier() {
    }

    public static WindowCountVerifier.Result await(String bootstrapServers, String topic, int keys, Duration timeout,
                                                   Duration settle, Duration quiet) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("isolation.level", "read_committed");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("max.poll.records", "5000");
        String windowSuffix = "@" + DistinctKeyEvents.WINDOW_START_MS;
        int[] latest = new int[keys];   // 0: no output yet for that key
        long correct = 0;
        long records = 0;
        long rewrites = 0;
        long unexpected = 0;
        long doneMs = -1;
        long lastOutputMs = -1;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = List.of();
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (partitions.isEmpty() && System.currentTimeMillis() < deadline) {
                partitions = consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long until = deadline;
            while (System.currentTimeMillis() < until) {
                if (doneMs < 0 && lastOutputMs > 0 && System.currentTimeMillis() - lastOutputMs > quiet.toMillis()) {
                    break;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                    lastOutputMs = System.currentTimeMillis();
                    records++;
                    String windowedKey = record.key();
                    int k = windowedKey.endsWith(windowSuffix)
                            ? DistinctKeyEvents.indexOf(windowedKey.substring(0, windowedKey.length() - windowSuffix.length()))
                            : -1;
                    if (k < 0 || k >= keys) {
                        unexpected++;
                        continue;
                    }
                    int count = Integer.parseInt(record.value());
                    int before = latest[k];
                    latest[k] = count;
                    if (before != 0) {
                        rewrites++;
                    }
                    long want = DistinctKeyEvents.expectedCount(k);
                    correct += (count == want ? 1 : 0) - (before == want ? 1 : 0);
                }
                if (doneMs < 0 && correct == keys) {
                    doneMs = System.currentTimeMillis();
                    until = Math.min(deadline, doneMs + settle.toMillis());
                }
            }
        }
        long wrong = 0;
        long missing = 0;
        for (int k = 0; k < keys; k++) {
            long want = DistinctKeyEvents.expectedCount(k);
            if (latest[k] != want) {
                wrong++;
                missing += Math.max(0, want - latest[k]);
            }
        }
        return new WindowCountVerifier.Result(doneMs, records, rewrites, unexpected, wrong, missing, lastOutputMs);
    }
}
