package dev.hearth.connector.outbox;

import java.util.Map;
import java.util.UUID;

/**
 * Settings of one outbox: its database tables (see {@link OutboxTables}) and the relays that publish them.
 *
 * <p>{@code name} and {@code shards} identify the outbox for good: the name appears in every relay's
 * {@code transactional.id} and progress key, so a renamed outbox starts from sequence 0 and republishes what is
 * left in its table, and a changed shard count moves keys to other shards, which breaks the order per key for the
 * records still waiting in the old shard. Change neither while rows are waiting.
 *
 * <p>Immutable (the properties are copied), so thread-safe.
 *
 * @param name            the outbox's name, unique among the outboxes that publish to one cluster
 * @param kafkaProperties kafka-clients properties of the relays' producer, consumer and admin client
 *                        ({@code bootstrap.servers}, security); the relay sets {@code transactional.id},
 *                        {@code enable.idempotence}, {@code acks}, {@code isolation.level} and the serializers
 * @param shards          number of shards: independent sequences, each published by one relay at a time
 * @param progressTopic   the compacted topic holding each shard's progress; not starting with {@code __}, which
 *                        Hearth reserves for itself
 * @param instanceId      this process's name in the lease table, unique among the processes that relay the
 *                        outbox (two with one id both take a lease and fence each other in turns: safe, but slow);
 *                        a stable one lets a restarted process take its shards back at once instead of after
 *                        {@code leaseMs}
 * @param leaseMs         how long a relay owns its shard without renewing; renewed every third of it
 * @param pollIntervalMs  how long an idle relay waits before it looks for new rows (unless woken up)
 * @param batchRecords    most rows published in one Kafka transaction
 * @param batchBytes      most key and value bytes read into one Kafka transaction (at least one row is)
 */
public record OutboxConfig(String name, Map<String, Object> kafkaProperties, int shards, String progressTopic,
                           String instanceId, long leaseMs, long pollIntervalMs, int batchRecords, int batchBytes) {

    public static final int DEFAULT_SHARDS = 8;
    public static final String DEFAULT_PROGRESS_TOPIC = "hearth-outbox-progress";

    public OutboxConfig {
        if (name == null || name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("An outbox needs a name of 1 to 200 characters, not '" + name + "'");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (shards < 1 || shards > 4096) {
            throw new IllegalArgumentException("shards must be 1 to 4096, not " + shards);
        }
        if (progressTopic == null || progressTopic.isEmpty() || progressTopic.startsWith("__")) {
            throw new IllegalArgumentException("The progress topic must be named and not start with '__': '"
                    + progressTopic + "'");
        }
        if (instanceId == null || instanceId.isEmpty() || instanceId.length() > 255) {
            throw new IllegalArgumentException("instanceId must have 1 to 255 characters");
        }
        if (leaseMs < 100 || pollIntervalMs < 1 || pollIntervalMs > leaseMs / 3) {
            throw new IllegalArgumentException("Need leaseMs >= 100 and 1 <= pollIntervalMs <= leaseMs / 3, not "
                    + leaseMs + " and " + pollIntervalMs);
        }
        if (batchRecords < 1 || batchBytes < 1) {
            throw new IllegalArgumentException("batchRecords and batchBytes must be positive");
        }
    }

    /**
     * An outbox with 8 shards, progress in {@value #DEFAULT_PROGRESS_TOPIC}, a random instance id, a 10 s lease,
     * a 50 ms poll interval and batches of at most 500 records and 1 MiB.
     */
    public static OutboxConfig defaults(String name, Map<String, Object> kafkaProperties) {
        return new OutboxConfig(name, kafkaProperties, DEFAULT_SHARDS, DEFAULT_PROGRESS_TOPIC,
                UUID.randomUUID().toString(), 10_000, 50, 500, 1 << 20);
    }

    public OutboxConfig withShards(int newShards) {
        return new OutboxConfig(name, kafkaProperties, newShards, progressTopic, instanceId, leaseMs, pollIntervalMs,
                batchRecords, batchBytes);
    }

    public OutboxConfig withInstanceId(String newInstanceId) {
        return new OutboxConfig(name, kafkaProperties, shards, progressTopic, newInstanceId, leaseMs, pollIntervalMs,
                batchRecords, batchBytes);
    }

    public OutboxConfig withLeaseMs(long newLeaseMs, long newPollIntervalMs) {
        return new OutboxConfig(name, kafkaProperties, shards, progressTopic, instanceId, newLeaseMs,
                newPollIntervalMs, batchRecords, batchBytes);
    }

    public OutboxConfig withBatchRecords(int newBatchRecords) {
        return new OutboxConfig(name, kafkaProperties, shards, progressTopic, instanceId, leaseMs, pollIntervalMs,
                newBatchRecords, batchBytes);
    }

    /** The producer's {@code transactional.id} for a shard: stable, so that a new relay fences any older one. */
    String transactionalId(int shard) {
        return "hearth-outbox-" + name + "-" + shard;
    }

    /** The key of a shard's records in the progress topic. */
    String progressKey(int shard) {
        return name + "/" + shard;
    }
}
