package dev.hearth.bench.yahoo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a job's output topic ({@code <campaign>@<window start>} → count, as text) from the beginning,
 * read_committed, until the latest count of every expected window equals the expected count. A runtime that
 * emits updates (Kafka Streams) may write a window several times; the latest value counts. Keeps, per record, how
 * many windows are currently correct, so the check is O(1) per record. Gives up when nothing new arrived for
 * {@code quiet} after the first output record (a runtime that dropped records never gets every window right).
 */
public final class WindowCountVerifier {

    /**
     * @param doneMs         wall clock (epoch ms) when the last window became correct, or -1 on timeout
     * @param outputRecords  records read
     * @param rewrites       records for a window already written before (updates)
     * @param unexpected     windows not in the expected set
     * @param wrongAtTheEnd  expected windows whose latest count was still wrong (or missing) at the end
     * @param missingEvents  events the latest counts lack, summed over the windows (dropped as late, or lost)
     * @param lastOutputMs   wall clock when the last output record was read
     */
    public record Result(long doneMs, long outputRecords, long rewrites, long unexpected, long wrongAtTheEnd,
                         long missingEvents, long lastOutputMs) {
        public boolean exact() {
            return doneMs >= 0 && unexpected == 0 && wrongAtTheEnd == 0;
        }

        /** When the last window became correct; for a run that never got there, when its output went quiet. */
        public long endMs() {
            return doneMs >= 0 ? doneMs : lastOutputMs;
        }
    }

    private WindowCountVerifier() {
    }

    public static Result await(String bootstrapServers, String topic, Map<String, Long> expected, Duration timeout,
                               Duration settle, Duration quiet) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("isolation.level", "read_committed");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("max.poll.records", "5000");
        Map<String, Long> latest = new HashMap<>();
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
                    long count = Long.parseLong(record.value());
                    Long want = expected.get(record.key());
                    Long before = latest.put(record.key(), count);
                    if (before != null) {
                        rewrites++;
                    }
                    if (want == null) {
                        if (before == null) {
                            unexpected++;
                        }
                        continue;
                    }
                    boolean wasRight = want.equals(before);
                    boolean isRight = want == count;
                    correct += (isRight ? 1 : 0) - (wasRight ? 1 : 0);
                }
                if (doneMs < 0 && correct == expected.size()) {
                    doneMs = System.currentTimeMillis();
                    until = Math.min(deadline, doneMs + settle.toMillis());
                }
            }
        }
        long wrong = 0;
        long missing = 0;
        for (Map.Entry<String, Long> window : expected.entrySet()) {
            Long got = latest.get(window.getKey());
            if (!window.getValue().equals(got)) {
                wrong++;
                missing += Math.max(0, window.getValue() - (got == null ? 0 : got));
            }
        }
        return new Result(doneMs, records, rewrites, unexpected, wrong, missing, lastOutputMs);
    }
}
