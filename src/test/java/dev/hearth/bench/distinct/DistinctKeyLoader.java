package dev.hearth.bench.distinct;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Creates the input topic and writes {@link DistinctKeyEvents} to it with a plain Kafka producer (acks=1, batched). */
public final class DistinctKeyLoader {

    private DistinctKeyLoader() {
    }

    public static void load(String bootstrapServers, int keys) {
        Properties admin = new Properties();
        admin.put("bootstrap.servers", bootstrapServers);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(DistinctKeyEvents.INPUT_TOPIC, DistinctKeyEvents.PARTITIONS,
                    (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create " + DistinctKeyEvents.INPUT_TOPIC, e.getCause());
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("acks", "1");
        props.put("linger.ms", "10");
        props.put("batch.size", Integer.toString(256 * 1024));
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        DistinctKeyEvents generator = new DistinctKeyEvents(keys);
        long startNs = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            while (generator.hasNext()) {
                DistinctKeyEvents.Event event = generator.next();
                producer.send(new ProducerRecord<>(DistinctKeyEvents.INPUT_TOPIC, event.partition(),
                        event.timestampMs(), event.key(), event.value()));
            }
            producer.flush();
        }
        System.out.printf("Loaded %,d events (%,d distinct keys + %d closing events) into %s in %.1f s; %s%n",
                generator.total(), keys, DistinctKeyEvents.PARTITIONS, DistinctKeyEvents.INPUT_TOPIC,
                (System.nanoTime() - startNs) / 1e9, DistinctKeyEvents.StateSize.of(keys).describe());
    }
}
