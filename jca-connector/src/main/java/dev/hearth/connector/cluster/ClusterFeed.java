package dev.hearth.connector.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.client.GroupFeed;
import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.client.OffsetReset;
import dev.hearth.group.TopicPartitionKey;

/**
 * {@link GroupFeed} on a Kafka cluster: one {@link KafkaConsumer} in the group (the classic protocol with Kafka's
 * default eager assignors, so a message-driven bean shares its group with plain Kafka consumers), reading
 * {@code read_committed}, offsets committed only by this feed ({@code enable.auto.commit=false}).
 *
 * <p>A Kafka consumer belongs to one thread, so everything that touches it runs on the driving thread, inside
 * {@link #poll}: delivery threads leave their commits and seeks in concurrent maps, which {@code poll} applies first
 * (commits with {@code commitSync}, so a commit is durable before the next poll fetches more). A commit is therefore
 * acknowledged to its delivery thread before the cluster has it; if the partition moves away first, its new owner
 * delivers again from the last commit that reached the cluster (at-least-once, as with the embedded engine; a
 * transacted bean's offset table makes it exactly-once). Before the consumer gives partitions up in a rebalance, the
 * rebalance listener quiesces the deliveries and commits what they handled.
 *
 * <p>Fetched records wait in a buffer per partition until the dispatcher reads them; a partition whose buffer holds
 * {@value #PAUSE_AT_RECORDS} records or more is paused, so memory stays bounded by the partitions owned.
 *
 * <p>Thread-safety: as {@link GroupFeed}. The buffers and the consumer are the driving thread's; positions, claims,
 * pending commits and seeks are concurrent maps.
 */
public final class ClusterFeed implements GroupFeed {

    private static final Logger LOG = Logger.getLogger(ClusterFeed.class.getName());
    /** A partition whose buffer holds this many records fetches no more until the dispatcher caught up. */
    private static final int PAUSE_AT_RECORDS = 2_000;
    /** How long a poll may wait for records; the dispatcher's own idle wait paces the loop. */
    private static final Duration POLL_WAIT = Duration.ofMillis(10);
    /** How often the subscribed topics are computed again (ms): topics appear, ACLs change. */
    private static final long TOPIC_RECHECK_MS = 2_000;
    /** A pending seek back to the committed offset (see {@link #forget}). */
    private static final long TO_COMMITTED = -1;

    private final Spec spec;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConsumerRebalanceListener rebalances = new Rebalances();
    // Driving thread only.
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
    private final Set<TopicPartition> paused = new LinkedHashSet<>();
    private Set<String> subscribed;
    private long nextTopicCheck;
    private Runnable quiesce = () -> { };
    // Shared with delivery threads.
    private final Map<TopicPartitionKey, Long> positions = new ConcurrentHashMap<>();
    private final Set<TopicPartitionKey> firstDeliveryClaimed = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartitionKey, Long> pendingCommits = new ConcurrentHashMap<>();
    /** Seeks to apply on the driving thread: an offset, or {@link #TO_COMMITTED}. */
    private final Map<TopicPartitionKey, Long> pendingSeeks = new ConcurrentHashMap<>();

    /**
     * @param clientProperties the cluster's kafka-clients properties ({@link ClusterSettings#clientProperties()})
     */
    public ClusterFeed(Spec spec, Map<String, String> clientProperties) {
        this.spec = spec;
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put("group.id", spec.groupId());
        config.put("client.id", spec.clientId());
        config.put("enable.auto.commit", "false");
        config.put("isolation.level", "read_committed");
        config.put("allow.auto.create.topics", "false");
        config.put("session.timeout.ms", Integer.toString(spec.sessionTimeoutMs()));
        config.put("heartbeat.interval.ms", Integer.toString(Math.max(1_000, spec.sessionTimeoutMs() / 3)));
        config.put("auto.offset.reset", spec.reset().strategy() == OffsetReset.Strategy.EARLIEST ? "earliest" : "latest");
        try {
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw unavailable("could not create its consumer", e);
        }
    }

    @Override
    public Set<TopicPartitionKey> poll(Runnable quiesce) {
        this.quiesce = quiesce;
        try {
            subscribe();
            flushCommits();
            applySeeks();
            ConsumerRecords<byte[], byte[]> records = subscribed.isEmpty() ? ConsumerRecords.empty()
                    : consumer.poll(POLL_WAIT);
            for (TopicPartition partition : records.partitions()) {
                ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer =
                        buffers.computeIfAbsent(partition, p -> new ArrayDeque<>());
                buffer.addAll(records.records(partition));
            }
            Set<TopicPartition> assignment = consumer.assignment();
            pauseFullBuffers(assignment);
            Set<TopicPartitionKey> owned = new LinkedHashSet<>();
            for (TopicPartition partition : assignment) {
                owned.add(key(partition));
            }
            return owned;
        } catch (KafkaException e) {
            throw unavailable("lost its consumer", e);
        }
    }

    private void subscribe() {
        long now = System.currentTimeMillis();
        if (subscribed != null && now < nextTopicCheck) {
            return;
        }
        nextTopicCheck = now + TOPIC_RECHECK_MS;
        Set<String> topics = new LinkedHashSet<>(spec.topics().get());
        if (topics.equals(subscribed)) {
            return;
        }
        subscribed = topics;
        if (topics.isEmpty()) {
            consumer.unsubscribe();
        } else {
            consumer.subscribe(topics, rebalances);
        }
    }

    /** Commits what deliveries handled, for the partitions still assigned. */
    private void flushCommits() {
        if (pendingCommits.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        Set<TopicPartition> assignment = consumer.assignment();
        for (TopicPartitionKey partition : List.copyOf(pendingCommits.keySet())) {
            Long offset = pendingCommits.remove(partition);
            TopicPartition tp = topicPartition(partition);
            if (offset != null && assignment.contains(tp)) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The group is rebalancing: the partitions' next owner continues from the last commit.
            LOG.info(() -> "HEARTH-0723 Activation " + spec.name() + ": commit of " + offsets.keySet() + " refused ("
                    + e.getClass().getSimpleName() + "); the partitions' next owner redelivers from the last "
                    + "committed offset");
            for (TopicPartition tp : offsets.keySet()) {
                forget(key(tp));
            }
        }
    }

    private void applySeeks() {
        if (pendingSeeks.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = consumer.assignment();
        for (TopicPartitionKey partition : List.copyOf(pendingSeeks.keySet())) {
            Long offset = pendingSeeks.remove(partition);
            TopicPartition tp = topicPartition(partition);
            if (offset == null || !assignment.contains(tp)) {
                continue;
            }
            buffers.remove(tp);
            if (offset == TO_COMMITTED) {
                seekToStart(List.of(tp), true);
            } else {
                consumer.seek(tp, offset);
                positions.put(partition, offset);
            }
        }
    }

    /** Seeks partitions to their committed offsets, or where the reset points for those without (if asked). */
    private void seekToStart(Collection<TopicPartition> partitions, boolean alsoCommitted) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        List<TopicPartition> withoutCommit = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset != null) {
                if (alsoCommitted) {
                    consumer.seek(tp, offset.offset());
                    positions.put(key(tp), offset.offset());
                }
            } else {
                withoutCommit.add(tp);
            }
        }
        if (withoutCommit.isEmpty()) {
            return;
        }
        switch (spec.reset().strategy()) {
            case EARLIEST -> consumer.seekToBeginning(withoutCommit);
            case LATEST -> consumer.seekToEnd(withoutCommit);
            case TIMESTAMP -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                withoutCommit.forEach(tp -> query.put(tp, spec.reset().timestampMs()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                List<TopicPartition> toEnd = new ArrayList<>();
                for (TopicPartition tp : withoutCommit) {
                    OffsetAndTimestamp at = found.get(tp);
                    if (at == null) {
                        toEnd.add(tp);
                    } else {
                        consumer.seek(tp, at.offset());
                    }
                }
                if (!toEnd.isEmpty()) {
                    consumer.seekToEnd(toEnd);
                }
            }
        }
        withoutCommit.forEach(tp -> positions.remove(key(tp)));
    }

    private void pauseFullBuffers(Set<TopicPartition> assignment) {
        List<TopicPartition> toPause = new ArrayList<>();
        List<TopicPartition> toResume = new ArrayList<>();
        for (TopicPartition tp : assignment) {
            ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(tp);
            int size = buffer == null ? 0 : buffer.size();
            if (size >= PAUSE_AT_RECORDS && paused.add(tp)) {
                toPause.add(tp);
            } else if (size < PAUSE_AT_RECORDS / 2 && paused.remove(tp)) {
                toResume.add(tp);
            }
        }
        paused.retainAll(assignment);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    @Override
    public long position(TopicPartitionKey partition) {
        Long position = positions.get(partition);
        if (position != null) {
            return position;
        }
        ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(topicPartition(partition));
        return buffer == null || buffer.isEmpty() ? -1 : buffer.peekFirst().offset();
    }

    @Override
    public LogClient.ReadBatch read(TopicPartitionKey partition, int maxRecords, int maxBytes) {
        long position = position(partition);
        ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(topicPartition(partition));
        if (pendingSeeks.containsKey(partition) || buffer == null) {
            return new LogClient.ReadBatch(List.of(), position);
        }
        while (!buffer.isEmpty() && buffer.peekFirst().offset() < position) {
            buffer.pollFirst();
        }
        List<HearthRecord> records = new ArrayList<>(Math.min(maxRecords, buffer.size()));
        int bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : buffer) {
            if (records.size() == maxRecords || (!records.isEmpty() && bytes >= maxBytes)) {
                break;
            }
            records.add(toHearthRecord(record));
            bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        }
        if (records.isEmpty()) {
            return new LogClient.ReadBatch(List.of(), position);
        }
        positions.putIfAbsent(partition, records.get(0).offset());
        return new LogClient.ReadBatch(records, records.get(records.size() - 1).offset() + 1);
    }

    private static HearthRecord toHearthRecord(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value());
        }
        return new HearthRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    @Override
    public void advance(TopicPartitionKey partition, long nextOffset) {
        positions.put(partition, nextOffset);
    }

    /** Always true: the commit is made on the driving thread's next poll (see the class comment). */
    @Override
    public boolean commit(TopicPartitionKey partition, long nextOffset) {
        pendingCommits.put(partition, nextOffset);
        return true;
    }

    @Override
    public void commitHandled(TopicPartitionKey partition, long nextOffset) {
        commit(partition, nextOffset);
    }

    @Override
    public void rewind(TopicPartitionKey partition, long offset) {
        pendingCommits.put(partition, offset);
        pendingSeeks.put(partition, offset);
    }

    @Override
    public void forget(TopicPartitionKey partition) {
        pendingSeeks.put(partition, TO_COMMITTED);
        positions.remove(partition);
        firstDeliveryClaimed.remove(partition);
    }

    @Override
    public boolean claimFirstDelivery(TopicPartitionKey partition) {
        return firstDeliveryClaimed.add(partition);
    }

    @Override
    public void close() {
        try {
            flushCommits();
        } catch (KafkaException e) {
            LOG.log(Level.WARNING, "HEARTH-0738 Activation " + spec.name() + ": the last offset commit before "
                    + "leaving the group failed; the partitions' next owner redelivers from the last commit", e);
        }
        try {
            consumer.close(Duration.ofSeconds(10));
        } catch (KafkaException e) {
            LOG.log(Level.FINE, "Closing the consumer of " + spec.name() + " failed", e);
        }
    }

    private HearthConnectionException unavailable(String what, KafkaException e) {
        return new HearthConnectionException(HearthError.NOT_AVAILABLE, "Activation " + spec.name() + " " + what
                + " on the Kafka cluster: " + e, Map.of());
    }

    private static TopicPartition topicPartition(TopicPartitionKey partition) {
        return new TopicPartition(partition.topic(), partition.partition());
    }

    private static TopicPartitionKey key(TopicPartition partition) {
        return new TopicPartitionKey(partition.topic(), partition.partition());
    }

    /** Runs inside {@link KafkaConsumer#poll} on the driving thread. */
    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            quiesce.run();
            try {
                flushCommits();
            } catch (KafkaException e) {
                LOG.log(Level.WARNING, "HEARTH-0738 Activation " + spec.name() + ": the offset commit before giving "
                        + "up " + partitions + " failed; their next owner redelivers from the last commit", e);
            }
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            quiesce.run();
            partitions.forEach(tp -> pendingCommits.remove(key(tp)));
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (spec.reset().strategy() == OffsetReset.Strategy.TIMESTAMP && !partitions.isEmpty()) {
                seekToStart(partitions, false);
            }
        }

        private void drop(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                TopicPartitionKey partition = key(tp);
                buffers.remove(tp);
                paused.remove(tp);
                positions.remove(partition);
                firstDeliveryClaimed.remove(partition);
                pendingSeeks.remove(partition);
            }
        }
    }
}
