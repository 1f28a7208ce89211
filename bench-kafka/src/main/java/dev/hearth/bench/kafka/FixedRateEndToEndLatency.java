package dev.hearth.bench.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency at a fixed offered rate: one producer sends {@code --rate} records per second for
 * {@code --seconds}, one consumer in the same JVM (assigned every partition, no group) receives them, and
 * each record's latency is the consumer's receive time minus the record's <em>intended</em> send time.
 *
 * <p>Why not Kafka's {@code EndToEndLatency}: in 4.3.1 it takes only positional arguments (bootstrap,
 * topic, count, acks, size) and sends one record, waits for it to come back, then sends the next, so its
 * rate is whatever the round trip allows, not a fixed 1,000 msg/s.
 *
 * <p>Measuring from the intended send time ({@code start + i * period}) rather than from when
 * {@code send()} happened to run avoids coordinated omission: a broker stall delays every record
 * scheduled behind it, and those delays are counted. Both timestamps come from this JVM's
 * {@link System#nanoTime()}, so no clock synchronisation is involved. The first {@code --warmup-seconds}
 * of records are received but not counted.
 *
 * <p>Output: one line, {@code e2e sent=… received=… counted=… p50_ms=… p99_ms=… p999_ms=… max_ms=…
 * send_errors=…}, parsed by {@code bench/kafka-compare.sh}. Exit status 1 if any record was lost or
 * failed to send.
 *
 * <p>Thread-safety: the main thread produces; one consumer thread owns the consumer and the latency
 * array; they share only atomics and the volatile deadline.
 */
public final class FixedRateEndToEndLatency {

    private FixedRateEndToEndLatency() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String bootstrap = required(options, "bootstrap-server");
        String topic = required(options, "topic");
        String acks = options.getOrDefault("acks", "all");
        int ratePerSecond = Integer.parseInt(options.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int warmupSeconds = Integer.parseInt(options.getOrDefault("warmup-seconds", "5"));
        int recordBytes = Integer.parseInt(options.getOrDefault("record-size", "100"));
        if (recordBytes < Long.BYTES) {
            throw new IllegalArgumentException("--record-size must hold the 8-byte send time: " + recordBytes);
        }

        long periodNs = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        int total = ratePerSecond * (warmupSeconds + seconds);
        int warmupRecords = ratePerSecond * warmupSeconds;

        // --command-config: client properties (security.protocol, sasl.*, ssl.*) for both clients, as Kafka's tools take.
        Properties clientConfig = new Properties();
        if (options.containsKey("command-config")) {
            try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(
                    java.nio.file.Path.of(options.get("command-config")))) {
                clientConfig.load(reader);
            }
        }
        Properties producerConfig = producerConfig(bootstrap, acks);
        producerConfig.putAll(clientConfig);
        Properties consumerConfig = consumerConfig(bootstrap);
        consumerConfig.putAll(clientConfig);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // position() resolves the end offsets now, so no record sent later is skipped.
            partitions.forEach(consumer::position);
            // One record per partition first, so both clients have connections and metadata before timing.
            for (TopicPartition partition : partitions) {
                producer.send(new ProducerRecord<>(topic, partition.partition(), null, new byte[recordBytes])).get();
            }
            int warmedUp = 0;
            long warmupDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (warmedUp < partitions.size() && System.nanoTime() < warmupDeadlineNs) {
                warmedUp += consumer.poll(Duration.ofMillis(100)).count();
            }

            long[] latenciesNs = new long[total - warmupRecords];
            AtomicLong received = new AtomicLong();
            AtomicLong sendErrors = new AtomicLong();
            AtomicReference<Exception> firstSendError = new AtomicReference<>();
            long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long countFromNs = startNs + warmupRecords * periodNs;

            Thread receiver = new Thread(() -> {
                int counted = 0;
                // Stops when everything arrived or 30 s after the last scheduled send.
                long giveUpNs = startNs + total * periodNs + TimeUnit.SECONDS.toNanos(30);
                while (received.get() < total && System.nanoTime() < giveUpNs) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long nowNs = System.nanoTime();
                        long intendedNs = ByteBuffer.wrap(record.value()).getLong();
                        received.incrementAndGet();
                        if (intendedNs >= countFromNs && counted < latenciesNs.length) {
                            latenciesNs[counted++] = nowNs - intendedNs;
                        }
                    }
                }
            }, "e2e-consumer");
            receiver.start();

            for (int i = 0; i < total; i++) {
                long intendedNs = startNs + i * periodNs;
                long waitNs;
                while ((waitNs = intendedNs - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(waitNs);
                }
                byte[] value = new byte[recordBytes];
                ByteBuffer.wrap(value).putLong(intendedNs);
                producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                    if (error != null) {
                        sendErrors.incrementAndGet();
                        firstSendError.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
            receiver.join();

            long[] counted = Arrays.stream(latenciesNs).filter(ns -> ns > 0).sorted().toArray();
            System.out.printf("e2e sent=%d received=%d counted=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f"
                            + " send_errors=%d rate=%d acks=%s%n",
                    total, received.get(), counted.length, percentileMs(counted, 0.50), percentileMs(counted, 0.99),
                    percentileMs(counted, 0.999), counted.length == 0 ? Double.NaN : counted[counted.length - 1] / 1e6,
                    sendErrors.get(), ratePerSecond, acks);
            if (firstSendError.get() != null) {
                System.out.println("first send error: " + firstSendError.get());
            }
            if (received.get() < total || sendErrors.get() > 0) {
                System.exit(1);
            }
        }
    }

    private static Properties producerConfig(String bootstrap, String acks) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        // Latency, not throughput: each record goes out as soon as it is sent.
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    private static Properties consumerConfig(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // The defaults, stated: the broker answers a fetch as soon as one byte is there, else after 500 ms.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /** Nearest-rank percentile of sorted nanosecond values, in milliseconds. */
    private static double percentileMs(long[] sortedNs, double quantile) {
        if (sortedNs.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sortedNs.length);
        return sortedNs[Math.max(0, rank - 1)] / 1e6;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --bootstrap-server HOST:PORT --topic T [--acks all|1]"
                        + " [--rate 1000] [--seconds 30] [--warmup-seconds 5] [--record-size 100]; bad: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
