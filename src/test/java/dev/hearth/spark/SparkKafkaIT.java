package dev.hearth.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import jakarta.json.Json;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;

/**
 * Apache Spark 4.0's Kafka source and sink (spark-sql-kafka-0-10, with its own kafka-clients 3.9) used unmodified
 * against Hearth on Payara Micro: a batch read of every record with its partition and offset, and a Structured
 * Streaming query that reads one topic and writes another through Spark's Kafka sink.
 */
class SparkKafkaIT {

    private static HearthServer server;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        server = HearthServer.onFreshDataDir("spark").start();
        spark = SparkSession.builder().master("local[2]").appName("hearth-spark-it")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBatchReadSeesEveryRecordWithItsPartitionAndOffset() {
        createTopic("spark-orders", 3);
        produce("spark-orders", 30);
        List<Row> rows = spark.read().format("kafka")
                .option("kafka.bootstrap.servers", server.bootstrapServers())
                .option("subscribe", "spark-orders")
                .load()
                .selectExpr("CAST(key AS STRING)", "CAST(value AS STRING)", "partition", "offset")
                .collectAsList();
        assertEquals(30, rows.size());
        Set<String> values = new HashSet<>();
        Map<Integer, List<Long>> offsets = new HashMap<>();
        for (Row row : rows) {
            assertTrue(values.add(row.getString(1)), "each record once: " + row);
            assertEquals(row.getString(0).replace('k', 'v'), row.getString(1), "key and value together: " + row);
            offsets.computeIfAbsent(row.getInt(2), p -> new ArrayList<>()).add(row.getLong(3));
        }
        offsets.forEach((partition, list) -> {
            for (int i = 0; i < list.size(); i++) {
                assertEquals(i, list.get(i), "consecutive offsets in partition " + partition + ": " + list);
            }
        });
    }

    @Test
    void aStructuredStreamingQueryCopiesATopicThroughSparksKafkaSink() throws Exception {
        createTopic("spark-in", 2);
        createTopic("spark-out", 2);
        produce("spark-in", 20);
        Path checkpoint = Files.createTempDirectory(HearthServer.workDir(), "spark-checkpoint-");
        StreamingQuery query = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", server.bootstrapServers())
                .option("subscribe", "spark-in")
                .option("startingOffsets", "earliest")
                .load()
                .selectExpr("key", "upper(CAST(value AS STRING)) AS value")
                .writeStream().format("kafka")
                .option("kafka.bootstrap.servers", server.bootstrapServers())
                .option("topic", "spark-out")
                .option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.AvailableNow())
                .start();
        assertTrue(query.awaitTermination(120_000), "the query processed everything available");
        assertTrue(query.exception().isEmpty(), () -> "the query failed: " + query.exception().get());

        List<Row> copied = spark.read().format("kafka")
                .option("kafka.bootstrap.servers", server.bootstrapServers())
                .option("subscribe", "spark-out")
                .load()
                .selectExpr("CAST(value AS STRING)")
                .collectAsList();
        Set<String> values = new HashSet<>();
        copied.forEach(row -> values.add(row.getString(0)));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            expected.add("V" + i);
        }
        assertEquals(20, copied.size(), "each record written once: " + copied);
        assertEquals(expected, values);
    }

    private static void createTopic(String topic, int partitions) {
        RestClient.Reply created = new RestClient(server.baseUri()).post(RestClient.CLUSTER + "/topics",
                Json.createObjectBuilder().add("topic_name", topic).add("partitions_count", partitions).build());
        assertEquals(201, created.status(), created.toString());
    }

    /** With Spark's own kafka-clients (3.9): another client version against Hearth. */
    private static void produce(String topic, int count) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("acks", "all");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
        }
    }
}
