package dev.hearth.bench.yahoo;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Creates the input topic and writes {@link AdEvents} to it with a plain Kafka producer (acks=1, batched). */
public final class AdEventLoader {

    public static final String INPUT_TOPIC = "ad-events";

    private AdEventLoader() {
    }

    /** @return the expected counts of what was written */
    public static Map<String, Long> load(String bootstrapServers, long events) {
        Properties admin = new Properties();
        admin.put("bootstrap.servers", bootstrapServers);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(INPUT_TOPIC, AdEvents.PARTITIONS, (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create " + INPUT_TOPIC, e.getCause());
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("acks", "1");
        props.put("linger.ms", "10");
        props.put("batch.size", Integer.toString(256 * 1024));
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        AdEvents generator = new AdEvents(events);
        long bytes = 0;
        long startNs = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            while (generator.hasNext()) {
                AdEvents.Event event = generator.next();
                bytes += event.value().length;
                // Event time is also the record timestamp, so both runtimes see it either way.
                producer.send(new ProducerRecord<>(INPUT_TOPIC, event.partition(), null, null, event.value()));
            }
            producer.flush();
        }
        System.out.printf("Loaded %,d events (%,d + %d closing clicks), %.0f bytes on average, into %s in %.1f s%n",
                generator.total(), events, AdEvents.PARTITIONS, (double) bytes / generator.total(), INPUT_TOPIC,
                (System.nanoTime() - startNs) / 1e9);
        return generator.expectedCounts();
    }
}
