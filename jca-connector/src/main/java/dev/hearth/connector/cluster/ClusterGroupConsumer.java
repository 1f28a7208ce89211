package dev.hearth.connector.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.hearth.connector.api.GroupConsumer;
import dev.hearth.connector.api.GroupSubscription;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.connector.client.LogClient;

/**
 * A {@link GroupConsumer} (an HTTP group member) on a Kafka cluster: one {@link KafkaConsumer} in the group, driven by
 * its caller's polls. Liveness as on the embedded engine: {@code max.poll.interval.ms} is the subscription's session
 * time-out, so a member not polled for that long leaves the group and its partitions go to the others. A poll
 * returns at most {@code maxRecords} and about {@code maxBytes}; the consumer seeks back to the first record not
 * returned, so nothing fetched is skipped. Records are read {@code read_committed}; offsets are committed only by
 * {@link #commit} and {@link #commitPositions}.
 *
 * <p>Thread-safety: calls are serialized per member by a lock; a poll waits in slices of at most
 * {@value #POLL_SLICE_MS} ms, so {@link #close} ends it within that time.
 */
public final class ClusterGroupConsumer implements GroupConsumer {

    private static final long POLL_SLICE_MS = 500;

    private final GroupSubscription subscription;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;

    private ClusterGroupConsumer(GroupSubscription subscription, KafkaConsumer<byte[], byte[]> consumer) {
        this.subscription = subscription;
        this.consumer = consumer;
    }

    /**
     * Validates the subscription (the topics must exist: UNKNOWN_TOPIC_OR_PARTITION) and subscribes; the join
     * completes in later polls.
     */
    public static ClusterGroupConsumer join(GroupSubscription subscription, Map<String, String> clientProperties,
                                            LogClient client) {
        LogClient.requireGroupId(subscription.groupId());
        if (subscription.topics().isEmpty()) {
            throw new HearthConnectionException(HearthError.INVALID_TOPIC, "Subscribe to at least one topic", Map.of());
        }
        List<String> existing = client.topicNames();
        for (String topic : subscription.topics()) {
            if (!existing.contains(topic)) {
                throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION,
                        "Topic '" + topic + "' does not exist", Map.of("topic", topic));
            }
        }
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put("group.id", subscription.groupId());
        config.put("client.id", subscription.clientId());
        config.put("enable.auto.commit", "false");
        config.put("isolation.level", "read_committed");
        config.put("allow.auto.create.topics", "false");
        config.put("auto.offset.reset", subscription.reset() == GroupSubscription.Reset.EARLIEST ? "earliest" : "latest");
        config.put("session.timeout.ms", Integer.toString(subscription.sessionTimeoutMs()));
        config.put("heartbeat.interval.ms", Integer.toString(Math.max(1_000, subscription.sessionTimeoutMs() / 3)));
        config.put("max.poll.interval.ms", Integer.toString(subscription.sessionTimeoutMs()));
        try {
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            consumer.subscribe(subscription.topics());
            return new ClusterGroupConsumer(subscription, consumer);
        } catch (KafkaException e) {
            throw LogClient.notAvailable("Could not join group " + subscription.groupId() + " on the Kafka cluster: " + e);
        }
    }

    @Override
    public String groupId() {
        return subscription.groupId();
    }

    @Override
    public String memberId() {
        return locked(() -> consumer.groupMetadata().memberId());
    }

    @Override
    public List<HearthRecord> poll(long maxWaitMs, int maxRecords, int maxBytes) {
        return locked(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxWaitMs));
            do {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                ConsumerRecords<byte[], byte[]> fetched = consumer.poll(Duration.ofMillis(
                        Math.max(0, Math.min(POLL_SLICE_MS, left))));
                if (!fetched.isEmpty()) {
                    return take(fetched, maxRecords, maxBytes);
                }
            } while (!closed && System.nanoTime() < deadline);
            return List.of();
        });
    }

    /** The first records within the limits; the consumer seeks back to the first one of each partition not taken. */
    private List<HearthRecord> take(ConsumerRecords<byte[], byte[]> fetched, int maxRecords, int maxBytes) {
        List<HearthRecord> taken = new ArrayList<>();
        Map<TopicPartition, Long> seekBack = new LinkedHashMap<>();
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : fetched) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (seekBack.containsKey(partition)) {
                continue;
            }
            long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
            if (taken.size() >= maxRecords || (!taken.isEmpty() && bytes + size > maxBytes)) {
                seekBack.put(partition, record.offset());
                continue;
            }
            bytes += size;
            Map<String, byte[]> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value());
            }
            taken.add(new HearthRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                    record.key(), record.value(), headers));
        }
        seekBack.forEach(consumer::seek);
        return taken;
    }

    @Override
    public Set<TopicPartitionRef> assignment() {
        return locked(() -> {
            Set<TopicPartitionRef> assigned = new LinkedHashSet<>();
            consumer.assignment().forEach(tp -> assigned.add(new TopicPartitionRef(tp.topic(), tp.partition())));
            return assigned;
        });
    }

    @Override
    public void commit(Map<TopicPartitionRef, Long> offsets) {
        locked(() -> {
            Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
            offsets.forEach((partition, offset) -> commits.put(
                    new TopicPartition(partition.topic(), partition.partition()), new OffsetAndMetadata(offset)));
            commitSync(commits);
            return null;
        });
    }

    @Override
    public Map<TopicPartitionRef, Long> commitPositions() {
        return locked(() -> {
            Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
            Map<TopicPartitionRef, Long> answered = new LinkedHashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                long position = consumer.position(partition);
                commits.put(partition, new OffsetAndMetadata(position));
                answered.put(new TopicPartitionRef(partition.topic(), partition.partition()), position);
            }
            commitSync(commits);
            return answered;
        });
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> commits) {
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition partition : commits.keySet()) {
            if (!assigned.contains(partition)) {
                throw new HearthConnectionException(HearthError.COMMIT_FAILED, partition + " is not assigned to this "
                        + "member (poll, then commit again)", Map.of("group", subscription.groupId()));
            }
        }
        try {
            consumer.commitSync(commits);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            throw new HearthConnectionException(HearthError.COMMIT_FAILED, "A rebalance ended this member's generation "
                    + "(poll, then commit again)", Map.of("group", subscription.groupId()));
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (IllegalStateException | KafkaException e) {
            // Already closed: close is idempotent.
        } finally {
            lock.unlock();
        }
    }

    private interface Call<T> {
        T run();
    }

    private <T> T locked(Call<T> call) {
        if (closed) {
            throw new HearthConnectionException(HearthError.MEMBER_NOT_FOUND, "This member of group "
                    + subscription.groupId() + " has left it", Map.of("group", subscription.groupId()));
        }
        lock.lock();
        try {
            if (closed) {
                throw new HearthConnectionException(HearthError.MEMBER_NOT_FOUND, "This member of group "
                        + subscription.groupId() + " has left it", Map.of("group", subscription.groupId()));
            }
            return call.run();
        } catch (KafkaException e) {
            throw LogClient.notAvailable("Group " + subscription.groupId() + " on the Kafka cluster: " + e);
        } finally {
            lock.unlock();
        }
    }
}
