package dev.hearth.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.connector.api.GroupSubscription;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.connector.cluster.ClusterClient;
import dev.hearth.connector.cluster.ClusterGroupConsumer;
import dev.hearth.engine.log.TopicAutoCreation;

/**
 * HTTP group members on the {@code kafka} backend ({@link ClusterGroupConsumer}) against a Kafka-protocol cluster
 * (Hearth's own listener, in-process): polls bounded by {@code maxRecords} without skipping what was fetched, commits
 * of positions, two members splitting a topic, refusals (a missing topic, a commit of a partition not assigned, a
 * closed member).
 */
class ClusterGroupConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private KafkaBroker broker;
    private ClusterClient client;
    private Map<String, String> properties;

    @BeforeEach
    void start() throws Exception {
        broker = new KafkaBroker(dataDir);
        client = new ClusterClient(Map.of("bootstrap.servers", broker.bootstrap()), "hearth-test",
                new TopicAutoCreation(false, 1));
        properties = Map.of("bootstrap.servers", broker.bootstrap());
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("members", 2, (short) 1))).all().get();
        }
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(new OutgoingRecord(i % 2, null, ("m" + i).getBytes(StandardCharsets.UTF_8), Map.of(), null));
        }
        client.sendBatch("members", records);
    }

    @AfterEach
    void stop() {
        client.close();
        broker.close();
    }

    @Test
    void aMemberPollsInBoundedBatchesCommitsAndLeaves() throws Exception {
        GroupSubscription subscription = new GroupSubscription("http-members", List.of("members"), "http-1", 10_000,
                GroupSubscription.Reset.EARLIEST);
        ClusterGroupConsumer member = ClusterGroupConsumer.join(subscription, properties, client);
        List<String> values = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            List<HearthRecord> batch = member.poll(500, 7, 1 << 20);
            assertTrue(batch.size() <= 7, "at most maxRecords: " + batch.size());
            batch.forEach(record -> values.add(new String(record.value(), StandardCharsets.UTF_8)));
            return values.size() == 100;
        });
        assertEquals(100, values.stream().distinct().count(), "nothing fetched was skipped or returned twice");
        assertEquals(2, member.assignment().size());
        Map<TopicPartitionRef, Long> committed = member.commitPositions();
        assertEquals(Map.of(new TopicPartitionRef("members", 0), 50L, new TopicPartitionRef("members", 1), 50L),
                committed);
        try (var admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("http-members")
                    .partitionsToOffsetAndMetadata().get();
            assertEquals(50L, offsets.get(new TopicPartition("members", 0)).offset());
        }
        HearthConnectionException notAssigned = assertThrows(HearthConnectionException.class,
                () -> member.commit(Map.of(new TopicPartitionRef("other", 0), 1L)));
        assertEquals(HearthError.COMMIT_FAILED, notAssigned.error());
        member.close();
        member.close();
        assertEquals(HearthError.MEMBER_NOT_FOUND, assertThrows(HearthConnectionException.class,
                () -> member.poll(0, 1, 1)).error());
    }

    @Test
    void twoMembersSplitTheTopicAndAMissingTopicIsRefused() {
        GroupSubscription subscription = new GroupSubscription("http-pair", List.of("members"), "http", 10_000,
                GroupSubscription.Reset.EARLIEST);
        ClusterGroupConsumer first = ClusterGroupConsumer.join(subscription, properties, client);
        ClusterGroupConsumer second = ClusterGroupConsumer.join(subscription, properties, client);
        try {
            await().atMost(WAIT).until(() -> {
                first.poll(200, 0, 1);
                second.poll(200, 0, 1);
                return first.assignment().size() == 1 && second.assignment().size() == 1;
            });
        } finally {
            first.close();
            second.close();
        }
        HearthConnectionException missing = assertThrows(HearthConnectionException.class, () -> ClusterGroupConsumer
                .join(new GroupSubscription("g", List.of("nope"), "c", 10_000, GroupSubscription.Reset.EARLIEST),
                        properties, client));
        assertEquals(HearthError.UNKNOWN_TOPIC_OR_PARTITION, missing.error());
    }
}
