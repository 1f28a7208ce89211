package dev.hearth.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Resource;

import org.apache.kafka.common.utils.Utils;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthConnectionFactory;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.connector.api.TopicDescription;

/**
 * Inside the deployed application on Payara Micro: the connection factory the WAR binds reaches the log
 * engine hosted by the standalone RAR, and records appended through it read back identical.
 */
@ExtendWith(ArquillianExtension.class)
class ConnectionFactoryIT {

    /** The Arquillian data directory outlives a run; unique names keep the test repeatable. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    @Resource(lookup = "java:app/hearth/ConnectionFactory")
    HearthConnectionFactory factory;

    @Deployment
    static WebArchive hearthWar() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClass(ConnectionFactoryIT.class);
    }

    @Test
    void recordsSentThroughTheFactoryReadBackIdentical() throws Exception {
        try (HearthConnection connection = factory.getConnection()) {
            connection.createTopic("cf-roundtrip-" + RUN, 4, Map.of("retention.ms", "-1"));
            List<OutgoingRecord> outgoing = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] key = ("account-" + (i % 23)).getBytes(StandardCharsets.UTF_8);
                outgoing.add(new OutgoingRecord(null, key, ("payload " + i).getBytes(StandardCharsets.UTF_8),
                        Map.of("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8)), 1_700_000_000_000L + i));
            }
            List<ProduceReceipt> receipts = connection.sendBatch("cf-roundtrip-" + RUN, outgoing);

            for (int i = 0; i < outgoing.size(); i++) {
                int kafkaPartition = Utils.toPositive(Utils.murmur2(outgoing.get(i).key())) % 4;
                assertEquals(kafkaPartition, receipts.get(i).partition(),
                        "record " + i + " should land where Kafka's default partitioner puts its key");
            }
            int verified = 0;
            for (int partition = 0; partition < 4; partition++) {
                List<HearthRecord> stored = connection.read("cf-roundtrip-" + RUN, partition, 0, 1000, 1 << 20);
                for (HearthRecord record : stored) {
                    int index = Integer.parseInt(new String(record.headers().get("seq"), StandardCharsets.UTF_8));
                    ProduceReceipt receipt = receipts.get(index);
                    assertEquals(receipt.partition(), partition, "record " + index + " is in the partition its receipt names");
                    assertEquals(receipt.offset(), record.offset(), "record " + index + " is at the offset its receipt names");
                    assertArrayEquals(outgoing.get(index).key(), record.key(), "key of record " + index);
                    assertArrayEquals(outgoing.get(index).value(), record.value(), "value of record " + index);
                    assertEquals(1_700_000_000_000L + index, record.timestamp(), "CreateTime of record " + index);
                    verified++;
                }
            }
            assertEquals(outgoing.size(), verified, "every record sent should be read back exactly once");
        }
    }

    @Test
    void nullKeyAndValueAndTimeLookup() {
        try (HearthConnection connection = factory.getConnection()) {
            connection.createTopic("cf-nulls-" + RUN, 1, Map.of());
            ProduceReceipt tombstone = connection.send("cf-nulls-" + RUN, "gone".getBytes(StandardCharsets.UTF_8), null, Map.of());
            ProduceReceipt keyless = connection.send("cf-nulls-" + RUN, null, "v".getBytes(StandardCharsets.UTF_8), Map.of());
            List<HearthRecord> stored = connection.read("cf-nulls-" + RUN, 0, 0, 10, 1 << 16);
            assertEquals(2, stored.size(), "both records should be stored");
            assertNull(stored.get(0).value(), "a null value stays null (tombstone)");
            assertNull(stored.get(1).key(), "a null key stays null");
            assertEquals(keyless.offset(), connection.offsetForTimestamp("cf-nulls-" + RUN, 0, keyless.timestamp()).orElseThrow(),
                    "time lookup finds the first record at or after the timestamp");
            assertTrue(tombstone.offset() < keyless.offset(), "offsets increase in send order");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void errorsNameWhatIsWrong() throws Exception {
        try (HearthConnection connection = factory.getConnection()) {
            ProduceReceipt created = connection.send("cf-auto-created-" + RUN, null, new byte[1], Map.of());
            assertEquals(0L, created.offset(), "a send to a missing topic creates it, as Kafka's producers see it");
            HearthConnectionException unknown = assertThrows(HearthConnectionException.class,
                    () -> connection.sendBatch("cf-auto-created-" + RUN,
                            List.of(new OutgoingRecord(7, null, new byte[1], Map.of(), null))));
            assertEquals(HearthError.UNKNOWN_TOPIC_OR_PARTITION, unknown.error(), unknown.getMessage());

            connection.createTopic("cf-small-" + RUN, 1, Map.of("max.message.bytes", "1024"));
            HearthConnectionException tooLarge = assertThrows(HearthConnectionException.class,
                    () -> connection.send("cf-small-" + RUN, null, new byte[4096], Map.of()));
            assertEquals(HearthError.RECORD_TOO_LARGE, tooLarge.error(), tooLarge.getMessage());
            TopicDescription small = connection.describeTopic("cf-small-" + RUN);
            assertEquals(0, small.partitions().get(0).logEndOffset(), "a rejected record leaves the log unchanged");

            HearthConnectionException exists = assertThrows(HearthConnectionException.class,
                    () -> connection.createTopic("cf-small-" + RUN, 1, Map.of()));
            assertEquals(HearthError.TOPIC_ALREADY_EXISTS, exists.error(), exists.getMessage());

            HearthConnectionException badConfig = assertThrows(HearthConnectionException.class,
                    () -> connection.createTopic("cf-bad-config-" + RUN, 1, Map.of("retention.parsecs", "12")));
            assertEquals(HearthError.INVALID_CONFIG, badConfig.error(), badConfig.getMessage());
            assertTrue(connection.listTopics().stream().noneMatch(t -> t.name().equals("cf-bad-config-" + RUN)),
                    "a topic with an invalid config must not be created");
        }
    }

    @Test
    void recordsSentAsynchronouslyAreAllAcknowledgedAndReadable() throws Exception {
        String topic = "cf-async-" + RUN;
        int count = 500;
        try (HearthConnection connection = factory.getConnection()) {
            connection.createTopic(topic, 3, Map.of());
            List<CompletableFuture<ProduceReceipt>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                CompletionStage<ProduceReceipt> sent = connection.sendAsync(topic,
                        ("k" + i).getBytes(StandardCharsets.UTF_8), ("async " + i).getBytes(StandardCharsets.UTF_8),
                        Map.of("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
                sends.add(sent.toCompletableFuture());
            }
            List<OutgoingRecord> batch = new ArrayList<>();
            for (int i = count; i < count + 50; i++) {
                batch.add(new OutgoingRecord(0, null, ("async " + i).getBytes(StandardCharsets.UTF_8),
                        Map.of("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8)), null));
            }
            List<ProduceReceipt> batchReceipts = connection.sendBatchAsync(topic, batch).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            Set<String> acknowledged = new HashSet<>();
            for (CompletableFuture<ProduceReceipt> send : sends) {
                ProduceReceipt receipt = send.join();
                assertTrue(acknowledged.add(receipt.partition() + "@" + receipt.offset()),
                        "every asynchronous send gets its own offset: " + receipt);
            }
            assertEquals(50, batchReceipts.size(), "a batch sent asynchronously has a receipt per record");
            for (int i = 1; i < batchReceipts.size(); i++) {
                assertEquals(batchReceipts.get(i - 1).offset() + 1, batchReceipts.get(i).offset(),
                        "a batch's records are consecutive in their partition");
            }
            Set<Integer> read = new HashSet<>();
            for (int partition = 0; partition < 3; partition++) {
                for (HearthRecord record : connection.read(topic, partition, 0, 10_000, 1 << 22)) {
                    int seq = Integer.parseInt(new String(record.headers().get("seq"), StandardCharsets.UTF_8));
                    assertEquals("async " + seq, new String(record.value(), StandardCharsets.UTF_8), "value of record " + seq);
                    assertTrue(read.add(seq), "record " + seq + " is stored once");
                }
            }
            assertEquals(count + 50, read.size(), "every acknowledged record is readable");

            HearthConnectionException unknown = assertThrows(HearthConnectionException.class, () -> {
                try {
                    connection.sendBatchAsync("cf-small-async-" + RUN,
                                    List.of(new OutgoingRecord(7, null, new byte[1], Map.of(), null)))
                            .toCompletableFuture().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause();
                }
            });
            assertEquals(HearthError.UNKNOWN_TOPIC_OR_PARTITION, unknown.error(),
                    "a failed asynchronous send completes exceptionally with the error: " + unknown.getMessage());
        }
    }
}
