package dev.hearth.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.testing.PostgresServer;
import dev.hearth.platform.RestClient;

/**
 * MDB delivery throughput on one Payara Micro (not a test: run by {@code bench/mdb-delivery.sh}, never by
 * {@code mvn verify}). A backlog of 100-byte records is written once; then, one server start per scenario,
 * a single bean consumes it from the earliest offset and the server logs how long the expected number of
 * deliveries took from the first one. Scenarios: per-record and batch listeners without a transaction, and
 * per-record transacted delivery with one JPA insert each, on H2 and (when installed) PostgreSQL.
 */
class MdbDeliveryBench {

    private static final String TOPIC = "bench-in";
    private static final int PARTITIONS = 6;
    private static final int BACKLOG = Integer.getInteger("bench.backlog", 3_000_000);
    private static final int TRANSACTED = Integer.getInteger("bench.transacted.records", 100_000);
    private static final String CONCURRENCY = System.getProperty("bench.concurrency", "2");
    private static final Pattern DONE = Pattern.compile("BENCH delivered (\\d+) records in (\\d+) ns");

    private final List<String> results = new ArrayList<>();

    @Test
    void deliveryThroughput() throws IOException {
        Path war = benchWar();
        HearthServer loader = HearthServer.onFreshDataDir("bench-mdb-load").start();
        Path dataDir = loader.dataDir();
        try {
            preload(loader);
            loader.stop();
        } finally {
            loader.close();
        }
        run(dataDir, war, "per-record listener", "bench.record.topic", BACKLOG, null);
        run(dataDir, war, "batch listener (max 2000)", "bench.batch.topic", BACKLOG, null);
        run(dataDir, war, "transacted, JPA insert, H2", "bench.jpa.topic", TRANSACTED, null);
        if (new File("/usr/lib/postgresql").isDirectory()) {
            try (PostgresServer postgres = PostgresServer.start()) {
                run(dataDir, war, "transacted, JPA insert, PostgreSQL", "bench.jpa.topic", TRANSACTED, postgres);
            }
        } else {
            results.add(String.format("| %-36s | %11s | %12s |", "transacted, JPA insert, PostgreSQL", "-", "not installed"));
        }
        System.out.println();
        System.out.println("MDB delivery, 100-byte records, " + PARTITIONS + " partitions, maxConcurrency " + CONCURRENCY);
        System.out.println(String.format("| %-36s | %11s | %12s |", "scenario", "records", "records/s"));
        System.out.println("|--------------------------------------|-------------|--------------|");
        results.forEach(System.out::println);
    }

    private void run(Path dataDir, Path war, String scenario, String topicProperty, int records, PostgresServer postgres)
            throws IOException {
        // One log per scenario: the delivery figure is parsed from it.
        HearthServer server = new HearthServer(dataDir, "bench-mdb-" + results.size()).deploying(war)
                .with("bench.record.topic", "bench-idle").with("bench.batch.topic", "bench-idle")
                .with("bench.jpa.topic", "bench-idle").with(topicProperty, TOPIC)
                .with("bench.records", Integer.toString(records)).with("bench.concurrency", CONCURRENCY);
        if (postgres != null) {
            server.with("hearth.db.url", postgres.jdbcUrl()).with("hearth.db.user", postgres.user());
        }
        try {
            Files.deleteIfExists(server.logFile()); // a previous run's figure must not be read as this one's
            server.start();
            Matcher[] done = new Matcher[1];
            await(scenario + ": " + records + " deliveries").atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        Matcher matcher = DONE.matcher(server.log());
                        done[0] = matcher.find() ? matcher : null;
                        return done[0] != null;
                    });
            long delivered = Long.parseLong(done[0].group(1));
            double seconds = Long.parseLong(done[0].group(2)) / 1e9;
            String line = String.format("| %-36s | %,11d | %,12.0f |", scenario, delivered, delivered / seconds);
            System.out.println(line);
            results.add(line);
            server.stop();
        } finally {
            server.close();
        }
    }

    private static void preload(HearthServer server) {
        RestClient rest = new RestClient(server.baseUri());
        assertEquals(201, rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", TOPIC).add("partitions_count", PARTITIONS).build()).status());
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("acks", "1");
        props.put("linger.ms", "5");
        props.put("batch.size", Integer.toString(256 * 1024));
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        byte[] value = new byte[100];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < BACKLOG; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value));
            }
            producer.flush();
        }
        System.out.println("Backlog written: " + BACKLOG + " records in " + TOPIC);
    }

    private static Path benchWar() {
        File target = HearthServer.workDir().resolve("hearth-with-bench-beans.war").toFile();
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(DeliveryClock.class, BenchRecordBean.class, BenchBatchBean.class, BenchJpaBean.class,
                        BenchRow.class, BenchRowId.class)
                .addAsResource("bench/bench-persistence.xml", "META-INF/persistence.xml")
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }
}
