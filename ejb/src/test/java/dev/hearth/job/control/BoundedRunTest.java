package dev.hearth.job.control;

import dev.hearth.connector.api.DeadLetters;
import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Trigger;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.Planner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A bounded run selects its records by timestamp and dead-letters a bad record as the continuous job does. */
class BoundedRunTest {
    private static final Serde<Windowed<String>> WINDOWED = Serdes.windowed(Serdes.string());

    private static RunningJob clicksPerUser() {
        JobBuilder job = new JobBuilder("hits");
        job.from("clicks", Serdes.string(), Serdes.string())
                .mapValues(page -> {
                    if (page.equals("boom")) {
                        throw new IllegalArgumentException("bad click");
                    }
                    return page;
                }, Serdes.string())
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofSeconds(10)))
                .count()
                .to("counts", WINDOWED, Serdes.longs());
        return new RunningJob("hits", "app", BoundedRunTest.class.getClassLoader(), Planner.build(job), "", 1, 100,
                Trigger.continuous(), null);
    }

    @Test
    void theRangeIsEveryRecordWithATimestampInFromTo_evenOutOfOrderAtItsEdges() {
        FakeLog log = new FakeLog();
        log.append(0, 9_000, "u", "a");   // before the range
        log.append(0, 12_000, "u", "b");  // in
        log.append(0, 21_000, "u", "c");  // after: the first at or after toMs...
        log.append(0, 15_000, "u", "d");  // ...yet this one, later in the log, is in the range
        log.append(0, 8_000, "u", "e");   // before the range, inside the offsets scanned
        log.append(0, 19_999, "u", "f");  // in
        log.append(0, 20_000, "u", "g");  // toMs is excluded
        MockProducer<byte[], byte[]> producer = producer();
        BoundedRun run = new BoundedRun("r1", clicksPerUser(), Map.of("clicks", 1), Map.of(), 10_000, 20_000, Map.of());

        run.run(log.consumer(), producer);

        assertEquals(BoundedRun.State.SUCCEEDED, run.state(), "run state; error: " + run.error());
        assertEquals(Map.of(new Windowed<>("u", 10_000L, 20_000L), 3L), counts(producer),
                "the records with timestamps in [10 000, 20 000), wherever they are in the log, and no other");
    }

    @Test
    void aRecordThatFailsEveryAttemptIsDeadLetteredAndTheRunGoesOn() {
        FakeLog log = new FakeLog();
        log.append(0, 1_000, "u", "a");
        log.append(0, 2_000, "u", "boom");
        log.append(0, 3_000, "u", "b");
        MockProducer<byte[], byte[]> producer = producer();
        BoundedRun run = new BoundedRun("r2", clicksPerUser(), Map.of("clicks", 1), Map.of(), 0, 10_000, Map.of());

        run.run(log.consumer(), producer);

        assertEquals(BoundedRun.State.SUCCEEDED, run.state(), "a bad record does not fail the run: " + run.error());
        assertEquals(Map.of(new Windowed<>("u", 0L, 10_000L), 2L), counts(producer),
                "the other records are counted exactly once, whatever the attempts");
        List<ProducerRecord<byte[], byte[]>> deadLetters = producer.history().stream()
                .filter(r -> r.topic().equals(DeadLetters.topicFor("hits"))).toList();
        assertEquals(1, deadLetters.size(), "the bad record is dead-lettered once");
        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertEquals("boom", new String(deadLetter.value(), StandardCharsets.UTF_8), "unchanged value");
        assertEquals("clicks", header(deadLetter, DeadLetters.ORIGINAL_TOPIC));
        assertEquals("1", header(deadLetter, DeadLetters.ORIGINAL_OFFSET));
        assertEquals(3, run.recordsRead(), "the attempts given up are not counted as progress");
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static Map<Windowed<String>, Long> counts(MockProducer<byte[], byte[]> producer) {
        Map<Windowed<String>, Long> counts = new HashMap<>();
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            if (record.topic().equals("counts")) {
                Long previous = counts.put(WINDOWED.deserialize(record.key()),
                        Serdes.longs().deserialize(record.value()));
                assertEquals(null, previous, "each window once");
            }
        }
        return counts;
    }

    private static MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(Cluster.empty(), true, new Partitioner() {
            @Override
            public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                                 Cluster cluster) {
                return 0;
            }

            @Override
            public void close() {
            }

            @Override
            public void configure(Map<String, ?> configs) {
            }
        }, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Partitions of topic "clicks" and a consumer over them that answers ListOffsets by timestamp as Kafka does. */
    private static final class FakeLog {
        private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> partitions = new HashMap<>();

        void append(int partition, long timestampMs, String key, String value) {
            List<ConsumerRecord<byte[], byte[]>> records = partitions.computeIfAbsent(
                    new TopicPartition("clicks", partition), tp -> new ArrayList<>());
            records.add(new ConsumerRecord<>("clicks", partition, records.size(), timestampMs,
                    TimestampType.CREATE_TIME, -1, -1, Serdes.string().serialize(key),
                    Serdes.string().serialize(value), new RecordHeaders(), Optional.empty()));
        }

        MockConsumer<byte[], byte[]> consumer() {
            MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
                @Override
                public synchronized void assign(Collection<TopicPartition> assigned) {
                    super.assign(assigned);
                    for (TopicPartition partition : assigned) {
                        partitions.getOrDefault(partition, List.of()).forEach(this::addRecord);
                    }
                }

                /** The earliest offset whose timestamp is at or after the one asked for (ListOffsets). */
                @Override
                public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
                        Map<TopicPartition, Long> query) {
                    Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
                    query.forEach((partition, timestampMs) -> found.put(partition,
                            partitions.getOrDefault(partition, List.of()).stream()
                                    .filter(r -> r.timestamp() >= timestampMs).findFirst()
                                    .map(r -> new OffsetAndTimestamp(r.offset(), r.timestamp())).orElse(null)));
                    return found;
                }
            };
            Map<TopicPartition, Long> ends = new HashMap<>();
            partitions.forEach((partition, records) -> ends.put(partition, (long) records.size()));
            consumer.updateEndOffsets(ends);
            return consumer;
        }
    }
}
