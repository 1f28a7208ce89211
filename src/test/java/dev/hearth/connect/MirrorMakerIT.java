package dev.hearth.connect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.testing.KafkaCluster;

/**
 * MirrorMaker 2 (Apache Kafka 4.3.1's dedicated driver, {@link MirrorMakerProcess}) replicates topic {@value #TOPIC}
 * and consumer group {@value #GROUP}'s offsets, and a consumer group moved to the target resumes exactly where it
 * stopped on the source. One scenario, the same code, three flows in a chain that leaves every flow fresh names on
 * both sides: Kafka A → Kafka B (the anchor: what Apache Kafka does), Kafka B → Hearth, Hearth → Kafka A. Hearth's two
 * outcomes must equal the anchor's.
 *
 * <p>The scenario, per flow:
 * <ol>
 *   <li>The source gets {@value #TOPIC} (3 partitions, {@code retention.ms} {@value #RETENTION_MS}) and the first
 *       {@link #CONSUMED} records per partition (a different count on each), keyed; group {@value #GROUP} consumes
 *       them all, commits and goes away; group {@value #AUDIT_GROUP} commits positions inside them
 *       ({@link #AUDITED}).</li>
 *   <li>MirrorMaker starts. The test waits until the target has those records in {@value #REMOTE_TOPIC} and the
 *       group's offsets there are the translated ones ({@link #CONSUMED}).</li>
 *   <li>The source topic grows a fourth partition and its {@code retention.ms} becomes {@value #ALTERED_RETENTION_MS};
 *       it gets the rest of the records ({@link #LATER} per partition) while the group stays where it was. The test
 *       waits until the target has every record, the group's committed offsets there are stable and the remote topic
 *       has the new {@code retention.ms}, then stops MirrorMaker.</li>
 *   <li>A consumer of group {@value #GROUP} subscribes to {@value #REMOTE_TOPIC} on the target: it must read
 *       exactly the later records, in order per partition (the new partition from its start, as the group would on
 *       the source): no gap, no duplicate. A consumer of group {@value #AUDIT_GROUP} does the same: it resumes at
 *       {@link #AUDIT_TRANSLATED}, re-reading what it had read on the source from there on.</li>
 * </ol>
 *
 * <p>Why the group's offsets are mirrored before the rest is produced (step 2 before 3): MirrorMaker translates a
 * group's upstream offset through <em>offset syncs</em> (upstream offset → downstream offset pairs that the source
 * task writes to {@code mm2-offset-syncs.dst.internal}) and the checkpoint task's {@code OffsetSyncStore}, which keeps
 * a sparse, exponentially spaced sample of them per partition. A sync at the group's offset translates exactly; a
 * group ahead of the closest earlier sync {@code s} is translated to {@code s.downstream + 1}, never further (it
 * cannot know how many records in between reached the target), so the target group re-reads the records in between.
 * A source task emits a sync for a partition's first record, when the translation would lag by
 * {@code offset.lag.max} records or more, and for the latest record at each offset flush. With all records replicated
 * at once, which syncs exist, and so how many records Apache Kafka itself re-delivers, depends on timing. Here
 * {@code offset.lag.max} is so large that only the first record and the flushes emit syncs
 * ({@code offset.flush.interval.ms} 1 s), and the group's position is replicated while it is the end of the log: the
 * flush's sync is then the record just before the group's offset, which translates exactly, and checkpoints never move
 * back. Apache Kafka then re-delivers nothing to {@value #GROUP}, and Hearth must not either. Group
 * {@value #AUDIT_GROUP} shows the other case: its position was inside the records replicated at once (they reach the
 * source task in one poll and are acknowledged together, so in practice no flush falls between them), where the only
 * sync at or before it is the partition's first record's, so Apache Kafka moves it to offset 1 and re-delivers the
 * records from there to its source position; Hearth must re-deliver exactly those.
 *
 * <p>On the way MirrorMaker calls, on both sides, the admin APIs an operator's tools would: CreateTopics with configs
 * (the remote topic, compacted internal topics), DescribeConfigs and IncrementalAlterConfigs (topic config sync: SET
 * of the source's overrides, DELETE of every config at its default), CreatePartitions, DescribeAcls (ACL sync),
 * ListGroups, OffsetFetch, DescribeGroups, AlterConsumerGroupOffsets (OffsetCommit for an empty group), ListOffsets.
 *
 * <p>The replication policy is the default one ({@code src.orders}) and not the identity policy: in the chain, Kafka
 * A is the target of the last flow while it still has its own {@value #TOPIC} from the first; a prefixed remote topic
 * never mixes the two, and the policy's topic names let MirrorMaker tell remote topics from local ones.
 *
 * <p>Not thread-safe: one test method.
 */
@Tag("integration")
class MirrorMakerIT {

    private static final String TOPIC = "orders";
    private static final String REMOTE_TOPIC = "src.orders";
    private static final String GROUP = "billing";
    private static final String RETENTION_MS = "86400000";
    /** The source's {@code retention.ms} once the group went away, which MirrorMaker's config sync carries over. */
    private static final String ALTERED_RETENTION_MS = "172800000";
    /**
     * Records per partition that group {@value #GROUP} consumes on the source (partition = index): the topic's first
     * partitions.
     */
    private static final int[] CONSUMED = {7, 12, 4};
    /**
     * Records per partition produced after the group went away; the topic has grown a partition by then, which the
     * group never consumed.
     */
    private static final int[] LATER = {9, 5, 11, 6};
    /**
     * A second group, which stopped inside what {@value #GROUP} consumed before MirrorMaker started: the one whose
     * translation re-delivers records.
     */
    private static final String AUDIT_GROUP = "audit";
    /** The offsets group {@value #AUDIT_GROUP} commits on the source (partition = index), past each first record. */
    private static final int[] AUDITED = {3, 5, 2};
    /**
     * Where {@value #AUDIT_GROUP} resumes on the target, per partition: one past the only offset sync at or before its
     * position, the partition's first record (see the class comment).
     */
    private static final int[] AUDIT_TRANSLATED = {1, 1, 1};
    private static final Duration REPLICATION = Duration.ofMinutes(3);
    /** MirrorMaker's checkpoint and group sync interval, and so the least a stable offset must stay put. */
    private static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);

    private Path workDir;

    @Test
    void aGroupMovedToTheTargetResumesAtItsTranslatedOffsets() throws Exception {
        workDir = Files.createDirectories(HearthServer.workDir().resolve("mirror-maker-" + System.nanoTime()));
        CompletableFuture<KafkaCluster> startingA = startKafka("kafka-a");
        CompletableFuture<KafkaCluster> startingB = startKafka("kafka-b");
        try (HearthServer hearth = new HearthServer(Files.createDirectories(workDir.resolve("hearth-data")),
                "mirror-maker-hearth").start();
             KafkaCluster kafkaA = startingA.get(5, TimeUnit.MINUTES);
             KafkaCluster kafkaB = startingB.get(5, TimeUnit.MINUTES)) {
            Outcome anchor = mirror("kafka-to-kafka", kafkaA.bootstrapServers(), kafkaB.bootstrapServers());
            Outcome toHearth = mirror("kafka-to-hearth", kafkaB.bootstrapServers(), hearth.bootstrapServers());
            Outcome fromHearth = mirror("hearth-to-kafka", hearth.bootstrapServers(), kafkaA.bootstrapServers());
            assertAll(
                    () -> assertEquals(Outcome.expected(), anchor, "Apache Kafka → Apache Kafka: " + GROUP
                            + " resumes exactly after its source position, " + AUDIT_GROUP + " one past the first"
                            + " record (see mirror-maker-*/kafka-to-kafka/mm2.log)"),
                    () -> assertEquals(anchor, toHearth, "Apache Kafka → Hearth: as Kafka → Kafka"),
                    () -> assertEquals(anchor, fromHearth, "Hearth → Apache Kafka: as Kafka → Kafka"));
        }
    }

    /** What a flow ended with: each group's outcome on the target, and the remote topic's {@code retention.ms}. */
    record Outcome(GroupOutcome billing, GroupOutcome audit, String retentionMs) {

        /**
         * What Apache Kafka does (the anchor must equal it): {@value #GROUP} resumes exactly at its source position,
         * {@value #AUDIT_GROUP} at {@link #AUDIT_TRANSLATED} and so re-reads the records between that and its source
         * position.
         */
        static Outcome expected() {
            return new Outcome(GroupOutcome.resumingAt(CONSUMED), GroupOutcome.resumingAt(AUDIT_TRANSLATED),
                    ALTERED_RETENTION_MS);
        }
    }

    /**
     * One group on the target: its committed offsets by partition, and what its consumer read there (partition →
     * {@code key=value} in order).
     */
    record GroupOutcome(Map<Integer, Long> targetOffsets, Map<Integer, List<String>> resumedRecords) {

        /**
         * A group committed at {@code positions} (partition = index; none on the later partitions) that reads every
         * record from there, once.
         */
        static GroupOutcome resumingAt(int[] positions) {
            Map<Integer, List<String>> records = new TreeMap<>();
            for (int partition = 0; partition < LATER.length; partition++) {
                List<String> expected = new ArrayList<>();
                int first = partition < positions.length ? positions[partition] : 0;
                for (int i = first; i < consumed(partition) + LATER[partition]; i++) {
                    expected.add(key(partition, i) + "=" + value(partition, i));
                }
                records.put(partition, expected);
            }
            return new GroupOutcome(byPartition(positions), records);
        }

        int recordCount() {
            return resumedRecords.values().stream().mapToInt(List::size).sum();
        }
    }

    private Outcome mirror(String flow, String source, String target) throws Exception {
        Path flowDir = Files.createDirectories(workDir.resolve(flow));
        try (Admin sourceAdmin = admin(source); Admin targetAdmin = admin(target)) {
            sourceAdmin.createTopics(List.of(new NewTopic(TOPIC, CONSUMED.length, (short) 1)
                    .configs(Map.of("retention.ms", RETENTION_MS)))).all().get(1, TimeUnit.MINUTES);
            produce(source, 0, CONSUMED);
            consumeAndCommit(source);
            commitMidLog(source);
            try (MirrorMakerProcess mirrorMaker = new MirrorMakerProcess(flowDir, source, target, TOPIC,
                    GROUP + ", " + AUDIT_GROUP)
                    .set("src->dst.sync.group.offsets.enabled", "true")
                    .set("src->dst.sync.group.offsets.interval.seconds", Long.toString(SYNC_INTERVAL.toSeconds()))
                    .set("src->dst.emit.checkpoints.interval.seconds", Long.toString(SYNC_INTERVAL.toSeconds()))
                    .set("src->dst.refresh.topics.interval.seconds", "2")
                    .set("src->dst.refresh.groups.interval.seconds", "2")
                    .set("src->dst.sync.topic.configs.interval.seconds", "2")
                    // Syncs only for a partition's first record and at each flush (see the class comment).
                    .set("src->dst.offset.lag.max", Long.toString(Long.MAX_VALUE / 2))
                    // A herder's worker settings come from its target cluster's prefix: the source task commits, and so
                    // publishes its delayed offset syncs, every second.
                    .set("dst.offset.flush.interval.ms", "1000")
                    // No heartbeats topics: they take no part in the scenario.
                    .set("emit.heartbeats.enabled", "false")
                    .start()) {
                awaitReplicated(mirrorMaker, targetAdmin, CONSUMED);
                // CreateTopics with the source's overrides.
                awaitOnTarget(mirrorMaker, REMOTE_TOPIC + " created with retention.ms " + RETENTION_MS,
                        () -> retentionMs(targetAdmin), RETENTION_MS::equals);
                Map<Integer, Long> translated = byPartition(CONSUMED);
                awaitOnTarget(mirrorMaker, "group " + GROUP + "'s translated offsets " + translated,
                        () -> committedOffsets(targetAdmin, GROUP), translated::equals);
                // CreatePartitions and IncrementalAlterConfigs on the source; MirrorMaker follows on the target.
                sourceAdmin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(LATER.length))).all()
                        .get(1, TimeUnit.MINUTES);
                sourceAdmin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC),
                        List.of(new AlterConfigOp(new ConfigEntry("retention.ms", ALTERED_RETENTION_MS),
                                AlterConfigOp.OpType.SET)))).all().get(1, TimeUnit.MINUTES);
                produce(source, 1, LATER);
                int[] all = new int[LATER.length];
                for (int partition = 0; partition < all.length; partition++) {
                    all[partition] = consumed(partition) + LATER[partition];
                }
                awaitReplicated(mirrorMaker, targetAdmin, all);
                awaitStableOffsets(mirrorMaker, targetAdmin);
                awaitOnTarget(mirrorMaker, "the altered retention.ms of " + REMOTE_TOPIC, () -> retentionMs(targetAdmin),
                        ALTERED_RETENTION_MS::equals);
            }
            Outcome expected = Outcome.expected();
            return new Outcome(
                    new GroupOutcome(committedOffsets(targetAdmin, GROUP),
                            resume(target, GROUP, expected.billing().recordCount())),
                    new GroupOutcome(committedOffsets(targetAdmin, AUDIT_GROUP),
                            resume(target, AUDIT_GROUP, expected.audit().recordCount())),
                    retentionMs(targetAdmin));
        }
    }

    // --------------------------------------------------------------------------------------------- the source

    /** Produces, per partition {@code p}, records {@code key(p, i)=value(p, i)} for the next {@code counts[p]} i. */
    private static void produce(String bootstrap, int phase, int[] counts) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            for (int partition = 0; partition < counts.length; partition++) {
                int first = phase == 0 ? 0 : consumed(partition);
                for (int i = first; i < first + counts[partition]; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, partition, key(partition, i), value(partition, i)));
                }
            }
            producer.flush();
        }
    }

    /** Group {@value #GROUP} reads every record the source has now, commits, and leaves the group. */
    private static void consumeAndCommit(String bootstrap) {
        int expected = 0;
        for (int count : CONSUMED) {
            expected += count;
        }
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, GROUP)) {
            consumer.subscribe(List.of(TOPIC));
            int read = 0;
            long deadline = System.nanoTime() + REPLICATION.toNanos();
            while (read < expected) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("group " + GROUP + " read " + read + " of " + expected + " records on "
                            + bootstrap + " within " + REPLICATION);
                }
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
            consumer.commitSync();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(
                    new HashSet<>(partitions(TOPIC, CONSUMED.length)));
            for (int partition = 0; partition < CONSUMED.length; partition++) {
                assertEquals(CONSUMED[partition], committed.get(new TopicPartition(TOPIC, partition)).offset(),
                        "the source group committed every record of partition " + partition);
            }
        }
    }

    /**
     * Group {@value #AUDIT_GROUP} commits {@link #AUDITED} as a consumer that read that far would, without joining
     * (no member is left behind).
     */
    private static void commitMidLog(String bootstrap) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int partition = 0; partition < AUDITED.length; partition++) {
            offsets.put(new TopicPartition(TOPIC, partition), new OffsetAndMetadata(AUDITED[partition]));
        }
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, AUDIT_GROUP)) {
            consumer.commitSync(offsets);
        }
    }

    // --------------------------------------------------------------------------------------------- the target

    /** Waits until every partition of the target's remote topic ends at {@code endOffsets[partition]}. */
    private static void awaitReplicated(MirrorMakerProcess mirrorMaker, Admin target, int[] endOffsets) {
        Map<Integer, Long> expected = byPartition(endOffsets);
        awaitOnTarget(mirrorMaker, REMOTE_TOPIC + " ending at " + expected, () -> endOffsets(target, endOffsets.length),
                expected::equals);
    }

    /**
     * Polls {@code probe} every sync interval until {@code done} accepts its answer, while MirrorMaker runs.
     *
     * @throws AssertionError after {@link #REPLICATION}, with the last answer and the end of MirrorMaker's log
     */
    private static <T> void awaitOnTarget(MirrorMakerProcess mirrorMaker, String what, Callable<T> probe,
                                          Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            await(what + " on the target").atMost(REPLICATION).pollInterval(SYNC_INTERVAL).until(() -> {
                mirrorMaker.requireAlive();
                last.set(probe.call());
                return done.test(last.get());
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited " + REPLICATION.toSeconds() + " s for " + what + " on the target; last"
                    + " seen: " + last.get() + "; the end of " + mirrorMaker.log() + ":\n" + mirrorMaker.tail(80), e);
        }
    }

    /**
     * Waits until the group's committed offsets on the target are the same in three reads, each at least two sync
     * intervals after the one before (MirrorMaker had two chances to move them).
     */
    private static void awaitStableOffsets(MirrorMakerProcess mirrorMaker, Admin target) {
        List<List<Map<Integer, Long>>> reads = new ArrayList<>();
        await("the groups' offsets on the target to be stable").atMost(REPLICATION)
                .pollInterval(SYNC_INTERVAL.multipliedBy(2)).until(() -> {
                    mirrorMaker.requireAlive();
                    reads.add(List.of(committedOffsets(target, GROUP), committedOffsets(target, AUDIT_GROUP)));
                    int size = reads.size();
                    return size >= 3 && !reads.get(size - 1).contains(Map.of())
                            && reads.get(size - 1).equals(reads.get(size - 2))
                            && reads.get(size - 2).equals(reads.get(size - 3));
                });
    }

    /**
     * What a consumer of {@code group} reads from the remote topic on the target, until it has gone quiet after at
     * least {@code expected} records (or the time is up).
     */
    private static Map<Integer, List<String>> resume(String bootstrap, String group, int expected) {
        Map<Integer, List<String>> records = new TreeMap<>();
        for (int partition = 0; partition < LATER.length; partition++) {
            records.put(partition, new ArrayList<>());
        }
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, group)) {
            consumer.subscribe(List.of(REMOTE_TOPIC));
            int read = 0;
            int emptyPollsAfterExpected = 0;
            long deadline = System.nanoTime() + REPLICATION.toNanos();
            // Past the expected count, a few more polls show duplicates or records from before the group's position.
            while (emptyPollsAfterExpected < 4 && System.nanoTime() - deadline < 0) {
                var polled = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : polled) {
                    records.get(record.partition()).add(record.key() + "=" + record.value());
                }
                read += polled.count();
                if (read >= expected && polled.isEmpty()) {
                    emptyPollsAfterExpected++;
                }
            }
        }
        return records;
    }

    private static Map<Integer, Long> committedOffsets(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<Integer, Long> byPartition = new TreeMap<>();
        offsets.forEach((partition, offset) -> {
            if (partition.topic().equals(REMOTE_TOPIC) && offset != null) {
                byPartition.put(partition.partition(), offset.offset());
            }
        });
        return byPartition;
    }

    /**
     * The end offsets of the remote topic's partitions 0..count-1; empty while the topic or one of them does not
     * exist.
     */
    private static Map<Integer, Long> endOffsets(Admin admin, int count) throws Exception {
        if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(REMOTE_TOPIC)) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        for (TopicPartition partition : partitions(REMOTE_TOPIC, count)) {
            request.put(partition, OffsetSpec.latest());
        }
        Map<Integer, Long> byPartition = new TreeMap<>();
        try {
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((partition, info) ->
                    byPartition.put(partition.partition(), info.offset()));
        } catch (ExecutionException e) {
            return Map.of();
        }
        return byPartition;
    }

    private static String retentionMs(Admin admin) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, REMOTE_TOPIC);
        Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
        ConfigEntry entry = config.get("retention.ms");
        return entry == null ? null : entry.value();
    }

    // ----------------------------------------------------------------------------------------------- plumbing

    private CompletableFuture<KafkaCluster> startKafka(String name) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return KafkaCluster.builder(workDir.resolve(name)).brokers(1).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Partitions 0..count-1 of {@code topic}. */
    private static List<TopicPartition> partitions(String topic, int count) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition = 0; partition < count; partition++) {
            partitions.add(new TopicPartition(topic, partition));
        }
        return partitions;
    }

    /** {@code values} by partition (the index). */
    private static Map<Integer, Long> byPartition(int[] values) {
        Map<Integer, Long> map = new TreeMap<>();
        for (int partition = 0; partition < values.length; partition++) {
            map.put(partition, (long) values[partition]);
        }
        return map;
    }

    /** How many records of {@code partition} group {@value #GROUP} consumed on the source. */
    private static int consumed(int partition) {
        return partition < CONSUMED.length ? CONSUMED[partition] : 0;
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // Without a committed offset the consumer starts at the beginning: a missing sync shows as duplicates.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static String key(int partition, int index) {
        return "customer-" + partition + "-" + index;
    }

    private static String value(int partition, int index) {
        return "order " + index + " of partition " + partition;
    }
}
