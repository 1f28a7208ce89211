package dev.hearth.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.hearth.platform.HearthServer;

/**
 * An idempotent producer ({@code acks=all}, five requests in flight) that sends a sequence number per partition
 * (record value: the number in decimal) to each partition of a topic until stopped, riding out server restarts,
 * and remembers the offset every acknowledged record was given. {@link #verify} then reads the topic back and
 * counts acknowledged records lost, records appended twice, out of order, or at another offset than acknowledged.
 *
 * <p>Thread-safety: {@link #run} runs on one thread; {@link #stop}, {@link #acknowledgedCount} and {@link #verify}
 * may be called from any other (acknowledgements arrive on the producer's I/O thread into a concurrent map).
 */
final class IdempotentProducerWorkload implements Runnable {

    /** What {@link #verify} counted. */
    record Tally(long acknowledged, long lost, long duplicated, long reordered, long misplaced) {
    }

    private final HearthServer server;
    private final String topic;
    private final int partitions;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Partition -> (sequence value -> acknowledged offset). */
    private final Map<Integer, Map<Long, Long>> acknowledged = new ConcurrentHashMap<>();

    IdempotentProducerWorkload(HearthServer server, String topic, int partitions) {
        this.server = server;
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public void run() {
        Properties config = KafkaClients.producerConfig(server);
        config.put("enable.idempotence", "true");
        config.put("acks", "all");
        config.put("max.in.flight.requests.per.connection", "5");
        long[] next = new long[partitions];
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            while (running.get()) {
                for (int partition = 0; partition < partitions; partition++) {
                    long sequence = next[partition]++;
                    int p = partition;
                    producer.send(new ProducerRecord<>(topic, partition, "p" + partition, Long.toString(sequence)),
                            (metadata, error) -> {
                                if (error == null) {
                                    acknowledged.computeIfAbsent(p, k -> new ConcurrentHashMap<>())
                                            .put(sequence, metadata.offset());
                                }
                            });
                }
                KafkaClients.pause(2);
            }
            producer.flush();
        }
    }

    /** Makes {@link #run} send what it has and return. */
    void stop() {
        running.set(false);
    }

    long acknowledgedCount() {
        return acknowledged.values().stream().mapToLong(Map::size).sum();
    }

    /** Reads the topic back, prints the tally prefixed with {@code label}, and asserts it is all zeros. */
    Tally verify(String label) {
        Map<Integer, List<ConsumerRecord<String, String>>> stored =
                KafkaClients.readAll(server, topic, partitions, "read_uncommitted");
        long lost = 0;
        long duplicates = 0;
        long reordered = 0;
        long misplaced = 0;
        for (int partition = 0; partition < partitions; partition++) {
            Map<Long, Long> offsetsBySequence = new HashMap<>();
            long previous = -1;
            for (ConsumerRecord<String, String> record : stored.getOrDefault(partition, List.of())) {
                long sequence = Long.parseLong(record.value());
                if (offsetsBySequence.putIfAbsent(sequence, record.offset()) != null) {
                    duplicates++;
                }
                if (sequence <= previous) {
                    reordered++;
                }
                previous = sequence;
            }
            for (Map.Entry<Long, Long> ack : acknowledged.getOrDefault(partition, Map.of()).entrySet()) {
                Long offset = offsetsBySequence.get(ack.getKey());
                if (offset == null) {
                    lost++;
                } else if (!offset.equals(ack.getValue())) {
                    misplaced++;
                }
            }
        }
        Tally tally = new Tally(acknowledgedCount(), lost, duplicates, reordered, misplaced);
        System.out.printf("%s: idempotent producer: %d acknowledged, %d lost, %d duplicated, %d reordered, "
                + "%d at another offset than acknowledged%n", label, tally.acknowledged(), lost, duplicates, reordered,
                misplaced);
        assertEquals(0, lost, "acknowledged records lost");
        assertEquals(0, duplicates, "records appended twice");
        assertEquals(0, reordered, "records out of order within a partition");
        assertEquals(0, misplaced, "records at another offset than acknowledged");
        return tally;
    }
}
