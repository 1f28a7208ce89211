package dev.hearth.application;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import dev.hearth.platform.HearthServer;

/**
 * The example click-counts job's topics as a test sees them through kafka-clients: clicks produced to {@code clicks}
 * (each value a page), counts read from {@code clicks-per-page} ({@code page -> count}), read committed. Shared by
 * the Payara Micro and Payara Server tests of the example, with the WARs of its other versions; stateless, so safe
 * from any thread.
 */
public final class ClickStreams {

    private ClickStreams() {
    }

    /** Sends one click per page, acknowledged by all replicas, and waits until all are acknowledged. */
    public static void produceClicks(String bootstrapServers, String... pages) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            for (String page : pages) {
                producer.send(new ProducerRecord<>("clicks", null, page));
            }
            producer.flush();
        }
    }

    /** Waits up to {@code atMost} until the latest value of each given page in {@code clicks-per-page} is expected. */
    public static void awaitCounts(String bootstrapServers, Map<String, String> expected, Duration atMost) {
        try (KafkaConsumer<String, String> consumer = countsConsumer(bootstrapServers)) {
            consumer.subscribe(List.of("clicks-per-page"));
            Map<String, String> latest = new HashMap<>();
            await("counts " + expected + " in clicks-per-page").atMost(atMost).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    latest.put(record.key(), record.value());
                }
                return expected.entrySet().stream()
                        .allMatch(entry -> entry.getValue().equals(latest.get(entry.getKey())));
            });
        }
    }

    /** Every count written to {@code clicks-per-page} up to its current end, per page, in offset order. */
    public static Map<String, List<String>> countsHistory(String bootstrapServers, Duration atMost) {
        Map<String, List<String>> history = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = countsConsumer(bootstrapServers)) {
            List<TopicPartition> partitions = consumer.partitionsFor("clicks-per-page").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await("clicks-per-page read to its end").atMost(atMost).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    history.computeIfAbsent(record.key(), page -> new ArrayList<>()).add(record.value());
                }
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
            });
        }
        return history;
    }

    /**
     * A WAR named {@code name} holding one job class and a {@code beans.xml}: a version of the example's application
     * as its own build would package it, written under {@link HearthServer#workDir()}.
     */
    public static Path jobWar(String name, Class<?> job) throws IOException {
        File target = HearthServer.workDir().resolve(job.getSimpleName() + "/" + name).toFile();
        Files.createDirectories(target.toPath().getParent());
        ShrinkWrap.create(WebArchive.class, name).addClass(job)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }

    private static KafkaConsumer<String, String> countsConsumer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("group.id", "counts-reader-" + UUID.randomUUID());
        properties.put("auto.offset.reset", "earliest");
        properties.put("isolation.level", "read_committed");
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }
}
