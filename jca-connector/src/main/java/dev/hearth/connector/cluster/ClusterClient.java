package dev.hearth.connector.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.hearth.connector.api.BrokerStats;
import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.client.TransactionalProducer;
import dev.hearth.engine.log.TopicAutoCreation;

/**
 * {@link LogClient} over a Kafka-protocol cluster ({@code hearth.backend=kafka}) with kafka-clients: one shared
 * idempotent producer, one {@link Admin}, and a small bounded pool of assign-only read-committed consumers. The one
 * place where kafka-clients exceptions become {@link HearthConnectionException}s is {@link #translate(Throwable)}.
 *
 * <p>Where a cluster differs from the embedded engine ({@code EngineClient}):
 * <ul>
 *   <li>Sends cannot join a JTA transaction: a non-null {@link TransactionalProducer} is refused with an
 *       {@link IllegalStateException} (the kafka backend writes through an outbox instead).</li>
 *   <li>Records without key or partition go where Kafka's default partitioner puts them (sticky batches), not
 *       round-robin; keyed records land where Hearth's {@code KeyPartitioner} would put them (both murmur2).</li>
 *   <li>Topic descriptions carry what a client can see: a partition's {@code logEndOffset} and
 *       {@code highWatermark} are both the high watermark, {@code online} means the partition has a leader, and
 *       {@code sizeInBytes} and {@code segmentCount} are 0 (unknown to clients; {@link #brokerStats()} asks the
 *       brokers' log directories for sizes).</li>
 *   <li>Topics are created with the cluster's {@code default.replication.factor} unless the configs carry
 *       {@code replication.factor}, which is taken out of them and used as the topic's replication factor.</li>
 *   <li>Groups: consumer groups only (classic and KIP-848 ones, and groups that only store offsets); groups of
 *       other protocols (Connect workers, …) are left out of listings and not found by
 *       {@link #describeGroup(String)}.</li>
 *   <li>{@link #brokerStats()}: no produce, fetch or flush counters exist outside the brokers: those are 0.</li>
 *   <li>A Kafka authorization or authentication failure is this client's own credentials failing, not the
 *       caller's: it is reported as {@link HearthError#NOT_AVAILABLE} with {@code cause=authorization}.</li>
 * </ul>
 *
 * <p>Timeouts: every {@link Admin} call waits at most {@link Timeouts#adminTimeout()}; a send waits at most that
 * for metadata and acknowledgements; a read waits at most {@link Timeouts#readWait()} for records it knows to
 * exist, and returns at once at the log end.
 *
 * <p>Thread-safety: safe for any number of threads. The producer and the admin client are thread-safe and shared;
 * a {@link KafkaConsumer} is not, so each read borrows one from a pool of at most {@link Timeouts#maxConsumers()}
 * and is the only thread using it until it returns it. {@link #close()} closes every client; calls after it fail.
 */
public final class ClusterClient implements LogClient, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterClient.class.getName());

    /** What Kafka's consumers put in a group's protocol type. */
    private static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    /** The topic config key that chooses a created topic's replication factor instead of the cluster default. */
    public static final String REPLICATION_FACTOR = "replication.factor";

    /**
     * How long this client waits.
     *
     * @param adminTimeout   bound of every admin call, of a send's wait for metadata and acknowledgements
     * @param readWait       longest a read polls for records known to exist past its offset
     * @param consumerWait   longest a read waits for a free pooled consumer before NOT_AVAILABLE
     * @param maxConsumers   consumers in the read pool, each one connection set to the cluster
     */
    public record Timeouts(Duration adminTimeout, Duration readWait, Duration consumerWait, int maxConsumers) {

        public Timeouts {
            Objects.requireNonNull(adminTimeout, "adminTimeout");
            Objects.requireNonNull(readWait, "readWait");
            Objects.requireNonNull(consumerWait, "consumerWait");
            if (maxConsumers < 1) {
                throw new IllegalArgumentException("maxConsumers must be at least 1, was " + maxConsumers);
            }
        }

        /** 15 s admin calls, 500 ms reads, 5 s for a pooled consumer, 4 consumers. */
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(15), Duration.ofMillis(500), Duration.ofSeconds(5), 4);
        }
    }

    /** The caller's kafka client properties (bootstrap.servers, security), given unchanged to every client. */
    private final Map<String, Object> kafkaProperties;
    /** {@code hearth.cluster.id}: the label in REST paths, not the cluster's own id. */
    private final String clusterId;
    private final TopicAutoCreation autoCreation;
    private final Timeouts timeouts;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Idle consumers; every consumer in it is assigned nothing. */
    private final BlockingQueue<KafkaConsumer<byte[], byte[]>> idleConsumers;
    /** One permit per consumer that may exist, idle or borrowed. */
    private final Semaphore consumerPermits;
    /** Topics a send has found (or made) on the cluster; spares a describe per send. Removed on delete. */
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ClusterClient(Map<String, Object> kafkaProperties, String clusterId, TopicAutoCreation autoCreation) {
        this(kafkaProperties, clusterId, autoCreation, Timeouts.defaults());
    }

    /**
     * Creates the admin client and the producer (which connect lazily); consumers are created on first reads.
     *
     * @param kafkaProperties {@code bootstrap.servers} and any security settings, passed unchanged to every client
     */
    public ClusterClient(Map<String, Object> kafkaProperties, String clusterId, TopicAutoCreation autoCreation,
                         Timeouts timeouts) {
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.autoCreation = Objects.requireNonNull(autoCreation, "autoCreation");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.idleConsumers = new ArrayBlockingQueue<>(timeouts.maxConsumers());
        this.consumerPermits = new Semaphore(timeouts.maxConsumers());
        int adminTimeoutMs = (int) timeouts.adminTimeout().toMillis();
        Map<String, Object> adminProps = new HashMap<>(this.kafkaProperties);
        adminProps.putIfAbsent("default.api.timeout.ms", adminTimeoutMs);
        adminProps.putIfAbsent("request.timeout.ms", adminTimeoutMs);
        this.admin = Admin.create(adminProps);
        try {
            Map<String, Object> producerProps = new HashMap<>(this.kafkaProperties);
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
            producerProps.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, adminTimeoutMs);
            producerProps.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(adminTimeoutMs, 2_000) + 1_000);
            producerProps.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(adminTimeoutMs, 2_000));
            producerProps.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "hearth-" + clusterId + "-producer");
            this.producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            admin.close(Duration.ZERO);
            throw e;
        }
    }

    // ---- sends -------------------------------------------------------------------------------------------

    @Override
    public List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records) {
        return sendBatch(topic, records, null);
    }

    /**
     * Sends every record, then waits for every acknowledgement ({@code acks=all}, idempotent). A failure of any
     * record fails the call; records acknowledged before it stay written (as with Kafka's producers).
     *
     * @throws IllegalStateException with a non-null {@code transaction}: a Kafka cluster cannot join a JTA
     *                               transaction as an XA resource
     */
    @Override
    public List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records, TransactionalProducer transaction) {
        if (transaction != null) {
            throw new IllegalStateException("A send inside a JTA transaction is not possible on a Kafka cluster "
                    + "(hearth.backend=kafka): a Kafka cluster cannot be an XA participant; such sends go through "
                    + "the transactional outbox");
        }
        LogClient.requireApplicationTopic(topic);
        try {
            ensureTopic(topic);
            int partitions = producer.partitionsFor(topic).size();
            for (OutgoingRecord record : records) {
                Integer partition = record.partition();
                if (partition != null && (partition < 0 || partition >= partitions)) {
                    throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION, "Partition "
                            + partition + " does not exist; the topic has " + partitions,
                            Map.of("topic", topic, "partition", partition));
                }
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (OutgoingRecord record : records) {
                acks.add(producer.send(new ProducerRecord<>(topic, record.partition(), record.timestamp(),
                        record.key(), record.value(), headers(record))));
            }
            List<ProduceReceipt> receipts = new ArrayList<>(records.size());
            long deadlineNanos = System.nanoTime() + timeouts.adminTimeout().toNanos() * 2;
            for (Future<RecordMetadata> ack : acks) {
                RecordMetadata metadata = ack.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                receipts.add(new ProduceReceipt(topic, metadata.partition(), metadata.offset(), metadata.timestamp()));
            }
            return receipts;
        } catch (org.apache.kafka.common.errors.TimeoutException | java.util.concurrent.TimeoutException e) {
            knownTopics.remove(topic); // perhaps deleted behind this client's back: look again next time
            throw translate(e);
        } catch (HearthConnectionException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e);
        }
    }

    private static List<Header> headers(OutgoingRecord record) {
        List<Header> headers = new ArrayList<>(record.headers().size());
        record.headers().forEach((key, value) -> headers.add(new RecordHeader(key, value)));
        return headers;
    }

    /** Makes sure the topic exists before a send, creating it when the auto-creation policy allows. */
    private void ensureTopic(String topic) throws Exception {
        if (topic == null || knownTopics.contains(topic)) {
            return;
        }
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
            if (!autoCreation.enabled()) {
                throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic
                        + "' does not exist and auto-creation is off (hearth.kafka.auto.create.topics)",
                        Map.of("topic", topic));
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(autoCreation.defaultPartitions()),
                        Optional.empty()))).all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
                LOG.info(() -> "HEARTH-1120 Auto-created topic '" + topic + "' on the Kafka cluster for an application's send");
            } catch (ExecutionException created) {
                if (!(created.getCause() instanceof TopicExistsException)) {
                    throw created;
                }
                // Created by another caller at the same moment: that is what was wanted.
            }
        }
        knownTopics.add(topic);
    }

    // ---- reads -------------------------------------------------------------------------------------------

    @Override
    public List<HearthRecord> read(String topic, int partition, long offset, int maxRecords, int maxBytes) {
        return readBatch(topic, partition, offset, maxRecords, maxBytes).records();
    }

    /**
     * Reads committed records from {@code offset} with a pooled read-committed consumer. Returns at once, empty,
     * at the last stable offset; otherwise polls until records arrive, the consumer's position reaches the last
     * stable offset (only markers or aborted records were there), or {@link Timeouts#readWait()} passes.
     * At least one record is returned if any is read, however large; further ones only within {@code maxBytes}
     * (keys and values counted).
     *
     * @throws HearthConnectionException OFFSET_OUT_OF_RANGE below the log start or above the high watermark
     *                                   (the high watermark itself is the end: empty, like the engine's log end)
     */
    @Override
    public ReadBatch readBatch(String topic, int partition, long offset, int maxRecords, int maxBytes) {
        TopicPartition tp = new TopicPartition(topic, partition);
        KafkaConsumer<byte[], byte[]> consumer = borrowConsumer();
        boolean reusable = false;
        try {
            ReadBatch result = readAssigned(consumer, tp, offset, maxRecords, maxBytes);
            reusable = true;
            return result;
        } catch (HearthConnectionException e) {
            reusable = e.error() != HearthError.NOT_AVAILABLE;
            throw e;
        } catch (Exception e) {
            throw translate(e);
        } finally {
            if (reusable) {
                try {
                    consumer.assign(List.of()); // drops the partition and anything fetched for it
                } catch (RuntimeException e) {
                    reusable = false;
                }
            }
            returnConsumer(consumer, reusable);
        }
    }

    /** A read with a borrowed consumer: two ListOffsets (log start, last stable offset), then fetches. */
    private ReadBatch readAssigned(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long offset,
                                   int maxRecords, int maxBytes) throws Exception {
        if (!partitionExists(consumer, tp)) {
            throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + tp
                    + " does not exist", Map.of("topic", tp.topic(), "partition", tp.partition()));
        }
        consumer.assign(List.of(tp));
        Duration wait = timeouts.adminTimeout();
        long logStartOffset = consumer.beginningOffsets(List.of(tp), wait).get(tp);
        long lastStableOffset = consumer.endOffsets(List.of(tp), wait).get(tp); // read_committed: the LSO
        if (offset < logStartOffset) {
            throw outOfRange(tp, offset, logStartOffset, highWatermark(tp));
        }
        if (offset >= lastStableOffset) {
            long highWatermark = highWatermark(tp);
            if (offset > highWatermark) {
                throw outOfRange(tp, offset, logStartOffset, highWatermark);
            }
            return new ReadBatch(List.of(), offset);
        }
        consumer.seek(tp, offset);
        try {
            return poll(consumer, tp, offset, lastStableOffset, maxRecords, maxBytes);
        } catch (org.apache.kafka.clients.consumer.OffsetOutOfRangeException e) {
            // Retention moved the log start past the offset between the check and the fetch.
            throw outOfRange(tp, offset, consumer.beginningOffsets(List.of(tp), wait).get(tp), highWatermark(tp));
        }
    }

    private ReadBatch poll(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long offset,
                           long lastStableOffset, int maxRecords, int maxBytes) {
        List<HearthRecord> records = new ArrayList<>();
        long deadlineNanos = System.nanoTime() + timeouts.readWait().toNanos();
        long bytes = 0;
        while (true) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(Math.max(0, remainingMs)))) {
                long size = length(record.key()) + length(record.value());
                if (records.size() == maxRecords || (!records.isEmpty() && bytes + size > maxBytes)) {
                    return new ReadBatch(records, record.offset());
                }
                bytes += size;
                records.add(toHearthRecord(record));
            }
            if (!records.isEmpty()) {
                return new ReadBatch(records, records.get(records.size() - 1).offset() + 1);
            }
            long position = consumer.position(tp, timeouts.adminTimeout());
            if (position >= lastStableOffset || remainingMs <= 0) {
                return new ReadBatch(records, Math.max(offset, position));
            }
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static HearthRecord toHearthRecord(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value());
        }
        return new HearthRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    /** From the consumer's metadata: a topic it does not know is fetched once, without waiting for it to appear. */
    private boolean partitionExists(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
        if (tp.partition() < 0) {
            return false;
        }
        List<org.apache.kafka.common.PartitionInfo> partitions = consumer.partitionsFor(tp.topic(), timeouts.adminTimeout());
        return partitions != null && tp.partition() < partitions.size();
    }

    /** The high watermark: the end as read-uncommitted readers see it, and the bound of valid fetch offsets. */
    private long highWatermark(TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
                .get(adminTimeoutMs(), TimeUnit.MILLISECONDS).offset();
    }

    private static HearthConnectionException outOfRange(TopicPartition tp, long offset, long logStartOffset,
                                                        long logEndOffset) {
        return new HearthConnectionException(HearthError.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is out of range for "
                + tp + (logStartOffset < 0 ? "" : ": the log holds [" + logStartOffset + ", " + logEndOffset + ")"),
                Map.of("requestedOffset", offset, "logStartOffset", logStartOffset, "logEndOffset", logEndOffset));
    }

    private KafkaConsumer<byte[], byte[]> borrowConsumer() {
        if (closed) {
            throw LogClient.notAvailable("The Kafka cluster client is closed");
        }
        try {
            if (!consumerPermits.tryAcquire(timeouts.consumerWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw LogClient.notAvailable("All " + timeouts.maxConsumers() + " read consumers stayed busy for "
                        + timeouts.consumerWait().toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LogClient.notAvailable("Interrupted while waiting for a read consumer");
        }
        KafkaConsumer<byte[], byte[]> consumer = idleConsumers.poll();
        if (consumer != null) {
            return consumer;
        }
        try {
            Map<String, Object> props = new HashMap<>(kafkaProperties);
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
            // A read never creates a topic, whatever the broker's auto.create.topics.enable.
            props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "hearth-" + clusterId + "-reader");
            props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) adminTimeoutMs());
            return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            consumerPermits.release();
            throw translate(e);
        }
    }

    /** @param reusable false after a failure that may have left the consumer in an unknown state: it is closed */
    private void returnConsumer(KafkaConsumer<byte[], byte[]> consumer, boolean reusable) {
        try {
            if (reusable && !closed) {
                idleConsumers.add(consumer);
            } else {
                closeQuietly(consumer, "a read consumer");
            }
        } finally {
            consumerPermits.release();
        }
        if (closed) {
            // close() may have drained the queue before this consumer came back.
            KafkaConsumer<byte[], byte[]> idle;
            while ((idle = idleConsumers.poll()) != null) {
                closeQuietly(idle, "a read consumer");
            }
        }
    }

    /** The first offset whose timestamp is at or after {@code timestamp}; empty when every record is older. */
    @Override
    public OptionalLong offsetForTimestamp(String topic, int partition, long timestamp) {
        return call(() -> {
            TopicPartition tp = new TopicPartition(topic, partition);
            requirePartition(tp);
            ListOffsetsResult.ListOffsetsResultInfo info = admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(timestamp)))
                    .partitionResult(tp).get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            return info.offset() < 0 ? OptionalLong.empty() : OptionalLong.of(info.offset());
        });
    }

    /** Fails fast on a partition that does not exist: ListOffsets for one retries until the admin timeout. */
    private void requirePartition(TopicPartition tp) throws Exception {
        int partitions = admin.describeTopics(List.of(tp.topic())).allTopicNames()
                .get(adminTimeoutMs(), TimeUnit.MILLISECONDS).get(tp.topic()).partitions().size();
        if (tp.partition() < 0 || tp.partition() >= partitions) {
            throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + tp
                    + " does not exist; the topic has " + partitions,
                    Map.of("topic", tp.topic(), "partition", tp.partition()));
        }
    }

    // ---- topics ------------------------------------------------------------------------------------------

    /** @param configs topic configs; {@value #REPLICATION_FACTOR} is taken out as the replication factor */
    @Override
    public TopicDescription createTopic(String topic, int partitions, Map<String, String> configs) {
        return call(() -> {
            Map<String, String> topicConfigs = new HashMap<>(configs == null ? Map.of() : configs);
            String replication = topicConfigs.remove(REPLICATION_FACTOR);
            Optional<Short> replicationFactor;
            try {
                replicationFactor = replication == null ? Optional.empty() : Optional.of(Short.parseShort(replication.trim()));
            } catch (NumberFormatException e) {
                throw new HearthConnectionException(HearthError.INVALID_CONFIG, REPLICATION_FACTOR + " must be a number, was '"
                        + replication + "'", Map.of("topic", topic));
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), replicationFactor).configs(topicConfigs)))
                    .all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            return describeCreated(topic);
        });
    }

    /** A topic just created or changed: its metadata can take a moment to reach the broker answering. */
    private TopicDescription describeCreated(String topic) throws Exception {
        long deadlineNanos = System.nanoTime() + timeouts.adminTimeout().toNanos();
        while (true) {
            try {
                return describeAll(List.of(topic)).get(0);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadlineNanos) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public TopicDescription describeTopic(String topic) {
        return call(() -> describeAll(List.of(topic)).get(0));
    }

    /** Every topic, internal ones included (as the engine lists {@code __consumer_offsets}), ordered by name. */
    @Override
    public List<TopicDescription> listTopics() {
        return call(() -> {
            Collection<TopicListing> listings = admin.listTopics(new ListTopicsOptions().listInternal(true)).listings()
                    .get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            TreeSet<String> names = new TreeSet<>();
            listings.forEach(listing -> names.add(listing.name()));
            try {
                return describeAll(names);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    // One was deleted between listing and describing: list again, once.
                    return describeAll(names.stream().filter(this::exists).toList());
                }
                throw e;
            }
        });
    }

    private boolean exists(String topic) {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Null values remove the topic's override (back to the cluster default), as on the engine. */
    @Override
    public TopicDescription alterTopicConfigs(String topic, Map<String, String> changes) {
        return call(() -> {
            List<AlterConfigOp> ops = new ArrayList<>(changes.size());
            changes.forEach((key, value) -> ops.add(value == null
                    ? new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)
                    : new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                    .all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            return describeAll(List.of(topic)).get(0);
        });
    }

    @Override
    public TopicDescription addPartitions(String topic, int totalPartitions) {
        return call(() -> {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(totalPartitions)))
                    .all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            // The new partitions reach every broker's metadata a moment after the controller accepted them.
            long deadlineNanos = System.nanoTime() + timeouts.adminTimeout().toNanos();
            TopicDescription grown = describeAll(List.of(topic)).get(0);
            while (grown.partitions().size() < totalPartitions && System.nanoTime() < deadlineNanos) {
                Thread.sleep(50);
                grown = describeAll(List.of(topic)).get(0);
            }
            return grown;
        });
    }

    @Override
    public void deleteTopic(String topic) {
        call(() -> {
            knownTopics.remove(topic);
            admin.deleteTopics(List.of(topic)).all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            return null;
        });
    }

    /**
     * Topic descriptions in the order of {@code names}: metadata, effective configs (those with a value) and
     * the partitions' start offsets and high watermarks, in four admin calls however many topics.
     */
    private List<TopicDescription> describeAll(Collection<String> names) throws Exception {
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, org.apache.kafka.clients.admin.TopicDescription> topics = admin.describeTopics(names)
                .allTopicNames().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, org.apache.kafka.clients.admin.Config> configs = admin.describeConfigs(resources)
                .all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        topics.values().forEach(topic -> topic.partitions()
                .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition()))));
        Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
        List<TopicDescription> descriptions = new ArrayList<>(names.size());
        for (String name : names) {
            org.apache.kafka.clients.admin.TopicDescription topic = topics.get(name);
            Map<String, String> topicConfigs = new TreeMap<>();
            org.apache.kafka.clients.admin.Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            if (config != null) {
                for (ConfigEntry entry : config.entries()) {
                    if (entry.value() != null) {
                        topicConfigs.put(entry.name(), entry.value());
                    }
                }
            }
            List<PartitionDescription> described = new ArrayList<>(topic.partitions().size());
            for (TopicPartitionInfo p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(name, p.partition());
                long end = ends.getOrDefault(tp, -1L);
                described.add(new PartitionDescription(p.partition(), p.leader() != null && !p.leader().isEmpty(),
                        starts.getOrDefault(tp, -1L), end, end, 0L, 0));
            }
            descriptions.add(new TopicDescription(name, topic.topicId().toString(), topicConfigs, described));
        }
        return descriptions;
    }

    /** Offsets of existing partitions; a partition without a leader right now is left out rather than waited for. */
    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(request).all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS)
                .forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    // ---- consumer groups ---------------------------------------------------------------------------------

    /** Every consumer group with its member count and total lag; a group removed while listing is left out. */
    @Override
    public List<GroupSummary> listGroups() {
        return call(() -> {
            List<String> groupIds = new ArrayList<>();
            for (GroupListing listing : admin.listGroups().all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS)) {
                if (listing.protocol().isEmpty() || CONSUMER_PROTOCOL_TYPE.equals(listing.protocol())) {
                    groupIds.add(listing.groupId());
                }
            }
            groupIds.sort(null);
            if (groupIds.isEmpty()) {
                return List.of();
            }
            Map<String, KafkaFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(groupIds)
                    .describedGroups();
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            groupIds.forEach(id -> specs.put(id, new ListConsumerGroupOffsetsSpec()));
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
            var offsetResult = admin.listConsumerGroupOffsets(specs);
            for (String id : groupIds) {
                try {
                    committed.put(id, offsetResult.partitionsToOffsetAndMetadata(id).get(adminTimeoutMs(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                }
            }
            Map<TopicPartition, Long> ends = logEndOffsets(committed.values());
            List<GroupSummary> summaries = new ArrayList<>();
            for (String id : groupIds) {
                ConsumerGroupDescription group;
                try {
                    group = described.get(id).get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GroupIdNotFoundException) {
                        continue;
                    }
                    throw e;
                }
                if (group.groupState() == GroupState.DEAD) {
                    continue;
                }
                long totalLag = lags(committed.getOrDefault(id, Map.of()), ends).stream()
                        .mapToLong(GroupDetails.PartitionLag::lag).sum();
                summaries.add(new GroupSummary(id, group.groupState().toString(), protocolType(group),
                        group.members().size(), totalLag));
            }
            return summaries;
        });
    }

    @Override
    public GroupDetails describeGroup(String groupId) {
        return call(() -> {
            ConsumerGroupDescription group = describeExisting(LogClient.requireGroupId(groupId));
            List<GroupDetails.Member> members = new ArrayList<>();
            for (MemberDescription member : group.members()) {
                List<TopicPartitionRef> assignment = new ArrayList<>();
                if (member.assignment() != null) {
                    member.assignment().topicPartitions()
                            .forEach(tp -> assignment.add(new TopicPartitionRef(tp.topic(), tp.partition())));
                }
                assignment.sort(null);
                members.add(new GroupDetails.Member(member.consumerId(), member.groupInstanceId().orElse(null),
                        member.clientId(), member.host(), assignment));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            List<GroupDetails.PartitionLag> offsets = lags(committed, logEndOffsets(List.of(committed)));
            long totalLag = offsets.stream().mapToLong(GroupDetails.PartitionLag::lag).sum();
            String protocol = group.groupState() == GroupState.STABLE && group.partitionAssignor() != null
                    ? group.partitionAssignor() : "";
            return new GroupDetails(groupId, group.groupState().toString(), protocolType(group), protocol, members,
                    offsets, totalLag);
        });
    }

    /** Null offsets delete the group's committed offset of that partition, as on the engine. */
    @Override
    public void resetGroupOffsets(String groupId, Map<TopicPartitionRef, Long> offsets) {
        call(() -> {
            LogClient.requireGroupId(groupId);
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                        .get(groupId).get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
                if (!group.members().isEmpty()) {
                    throw groupNotEmpty(groupId, "reset the offsets of");
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                // As in Kafka, offsets can be set for a group that does not exist yet.
            }
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            Set<TopicPartition> deletions = new HashSet<>();
            offsets.forEach((partition, offset) -> {
                TopicPartition tp = new TopicPartition(partition.topic(), partition.partition());
                if (offset == null) {
                    deletions.add(tp);
                } else {
                    commits.put(tp, new OffsetAndMetadata(offset));
                }
            });
            try {
                if (!commits.isEmpty()) {
                    admin.alterConsumerGroupOffsets(groupId, commits).all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
                }
                if (!deletions.isEmpty()) {
                    admin.deleteConsumerGroupOffsets(groupId, deletions).all().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
                }
            } catch (ExecutionException e) {
                throw groupFailure(groupId, e.getCause(), "reset the offsets of");
            }
            return null;
        });
    }

    @Override
    public void deleteGroup(String groupId) {
        call(() -> {
            try {
                admin.deleteConsumerGroups(List.of(LogClient.requireGroupId(groupId))).all()
                        .get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw groupFailure(groupId, e.getCause(), "delete");
            }
            return null;
        });
    }

    private ConsumerGroupDescription describeExisting(String groupId) throws Exception {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                    .get(groupId).get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            if (group.groupState() == GroupState.DEAD) {
                throw LogClient.groupNotFound(groupId);
            }
            return group;
        } catch (ExecutionException e) {
            throw groupFailure(groupId, e.getCause(), "describe");
        }
    }

    private static String protocolType(ConsumerGroupDescription group) {
        return group.isSimpleConsumerGroup() ? "" : CONSUMER_PROTOCOL_TYPE;
    }

    /** Log end offsets (high watermarks) of the committed partitions that exist; others are absent from the map. */
    private Map<TopicPartition, Long> logEndOffsets(Collection<Map<TopicPartition, OffsetAndMetadata>> committed)
            throws Exception {
        Set<String> topicNames = new TreeSet<>();
        committed.forEach(offsets -> offsets.keySet().forEach(tp -> topicNames.add(tp.topic())));
        if (topicNames.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> partitionCounts = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> entry
                : admin.describeTopics(topicNames).topicNameValues().entrySet()) {
            try {
                partitionCounts.put(entry.getKey(),
                        entry.getValue().get(adminTimeoutMs(), TimeUnit.MILLISECONDS).partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        Set<TopicPartition> existing = new HashSet<>();
        committed.forEach(offsets -> offsets.keySet().forEach(tp -> {
            if (tp.partition() < partitionCounts.getOrDefault(tp.topic(), 0)) {
                existing.add(tp);
            }
        }));
        return offsets(existing, OffsetSpec.latest());
    }

    private static List<GroupDetails.PartitionLag> lags(Map<TopicPartition, OffsetAndMetadata> committed,
                                                       Map<TopicPartition, Long> ends) {
        List<GroupDetails.PartitionLag> lags = new ArrayList<>(committed.size());
        committed.entrySet().stream()
                .filter(entry -> entry.getValue() != null)
                .sorted(Map.Entry.comparingByKey((a, b) -> a.topic().equals(b.topic())
                        ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic())))
                .forEach(entry -> {
                    TopicPartition tp = entry.getKey();
                    long offset = entry.getValue().offset();
                    long logEndOffset = ends.getOrDefault(tp, -1L);
                    long lag = logEndOffset < 0 ? 0 : Math.max(0, logEndOffset - offset);
                    lags.add(new GroupDetails.PartitionLag(tp.topic(), tp.partition(), offset, logEndOffset, lag));
                });
        return lags;
    }

    private static HearthConnectionException groupNotEmpty(String groupId, String action) {
        return new HearthConnectionException(HearthError.GROUP_NOT_EMPTY, "Cannot " + action + " group '" + groupId
                + "' while it has members; stop its consumers first", Map.of("group", groupId));
    }

    /**
     * The group-specific readings of Kafka's errors: a commit without a member to an active group is refused as
     * UNKNOWN_MEMBER_ID (or a rebalance/generation error), which means "has members" here; others as everywhere.
     */
    private static HearthConnectionException groupFailure(String groupId, Throwable cause, String action) {
        if (cause instanceof GroupNotEmptyException || cause instanceof UnknownMemberIdException
                || cause instanceof RebalanceInProgressException || cause instanceof IllegalGenerationException) {
            return groupNotEmpty(groupId, action);
        } else if (cause instanceof GroupIdNotFoundException || cause instanceof InvalidGroupIdException) {
            return LogClient.groupNotFound(groupId);
        }
        return translate(cause);
    }

    // ---- cluster -----------------------------------------------------------------------------------------

    /**
     * The cluster as Hearth's status shows it: {@code nodeId} is the active controller's id (-1 if unknown), the
     * Kafka host and port are the first of {@code bootstrap.servers} (where Kafka clients should start), and the
     * counts cover every topic, internal ones included.
     *
     * @param status the adapter's state of this backend
     */
    @Override
    public ClusterInfo clusterInfo(BrokerStatus status) {
        return call(() -> {
            DescribeClusterResult cluster = admin.describeCluster();
            Node controller = cluster.controller().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            int partitions = 0;
            if (!names.isEmpty()) {
                for (org.apache.kafka.clients.admin.TopicDescription topic : admin.describeTopics(names).allTopicNames()
                        .get(adminTimeoutMs(), TimeUnit.MILLISECONDS).values()) {
                    partitions += topic.partitions().size();
                }
            }
            Object servers = kafkaProperties.get("bootstrap.servers"); // a String or, as kafka-clients allows, a List
            String bootstrap = (servers instanceof Collection<?> list && !list.isEmpty()
                    ? String.valueOf(list.iterator().next()) : String.valueOf(servers)).split(",")[0].trim();
            int colon = bootstrap.lastIndexOf(':');
            String host = colon < 0 ? bootstrap : bootstrap.substring(0, colon);
            int port = -1;
            try {
                port = colon < 0 ? -1 : Integer.parseInt(bootstrap.substring(colon + 1));
            } catch (NumberFormatException e) {
                // Not host:port: leave the port unknown rather than fail a status call.
            }
            return new ClusterInfo(clusterId, controller == null || controller.isEmpty() ? -1 : controller.id(),
                    host, port, status, names.size(), partitions);
        });
    }

    /**
     * Partition sizes from the brokers' log directories (the largest replica of each partition, which is the
     * leader's or close to it); 0 when the cluster does not answer DescribeLogDirs. Produce, fetch and flush
     * counters are not known outside the brokers: 0.
     */
    @Override
    public BrokerStats brokerStats() {
        return call(() -> {
            Set<String> names = new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(adminTimeoutMs(), TimeUnit.MILLISECONDS));
            Map<String, org.apache.kafka.clients.admin.TopicDescription> topics = names.isEmpty() ? Map.of()
                    : admin.describeTopics(names).allTopicNames().get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> sizes = partitionSizes();
            List<BrokerStats.TopicStats> stats = new ArrayList<>(names.size());
            for (String name : names) {
                org.apache.kafka.clients.admin.TopicDescription topic = topics.get(name);
                if (topic == null) {
                    continue;
                }
                List<BrokerStats.PartitionSize> partitions = topic.partitions().stream()
                        .map(p -> new BrokerStats.PartitionSize(p.partition(),
                                sizes.getOrDefault(new TopicPartition(name, p.partition()), 0L)))
                        .toList();
                stats.add(new BrokerStats.TopicStats(name, 0, 0, 0, partitions));
            }
            return new BrokerStats(stats, 0, 0);
        });
    }

    private Map<TopicPartition, Long> partitionSizes() throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(adminTimeoutMs(), TimeUnit.MILLISECONDS).stream()
                .map(Node::id).toList();
        Map<TopicPartition, Long> sizes = new HashMap<>();
        try {
            Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(brokers).allDescriptions()
                    .get(adminTimeoutMs(), TimeUnit.MILLISECONDS);
            for (Map<String, LogDirDescription> byDir : dirs.values()) {
                for (LogDirDescription dir : byDir.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        if (!replica.getValue().isFuture()) {
                            sizes.merge(replica.getKey(), replica.getValue().size(), Math::max);
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnsupportedVersionException)) {
                throw e;
            }
            LOG.fine(() -> "The Kafka cluster does not answer DescribeLogDirs: partition sizes are reported as 0");
        }
        return sizes;
    }

    // ---- the one translation -----------------------------------------------------------------------------

    /** An admin call, its failures translated. */
    private <T> T call(AdminCall<T> call) {
        if (closed) {
            throw LogClient.notAvailable("The Kafka cluster client is closed");
        }
        try {
            return call.run();
        } catch (HearthConnectionException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e);
        }
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T run() throws Exception;
    }

    /**
     * Turns a kafka-clients failure (or the {@link ExecutionException} wrapping it) into the API's exception, once,
     * here: each Kafka error to the {@link HearthError} the engine reports for the same condition.
     */
    private static HearthConnectionException translate(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HearthConnectionException hearth) {
            return hearth;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return LogClient.notAvailable("Interrupted while waiting for the Kafka cluster");
        }
        HearthError error;
        if (e instanceof UnsupportedVersionException) {
            // Before INVALID_CONFIG: kafka-clients makes it a subclass of InvalidConfigurationException.
            return new HearthConnectionException(HearthError.NOT_AVAILABLE, "The Kafka cluster does not support "
                    + "this operation: " + e.getMessage(), Map.of("cause", "unsupported"));
        } else if (e instanceof InvalidTopicException) {
            error = HearthError.INVALID_TOPIC;
        } else if (e instanceof TopicExistsException) {
            error = HearthError.TOPIC_ALREADY_EXISTS;
        } else if (e instanceof UnknownTopicOrPartitionException) {
            error = HearthError.UNKNOWN_TOPIC_OR_PARTITION;
        } else if (e instanceof InvalidPartitionsException) {
            error = HearthError.INVALID_PARTITIONS;
        } else if (e instanceof InvalidConfigurationException || e instanceof PolicyViolationException
                || e instanceof InvalidReplicationFactorException
                || e instanceof org.apache.kafka.common.config.ConfigException) {
            error = HearthError.INVALID_CONFIG;
        } else if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
            error = HearthError.RECORD_TOO_LARGE;
        } else if (e instanceof org.apache.kafka.common.InvalidRecordException
                || e instanceof org.apache.kafka.common.errors.CorruptRecordException) {
            error = HearthError.INVALID_RECORD;
        } else if (e instanceof org.apache.kafka.common.errors.OffsetOutOfRangeException
                || e instanceof org.apache.kafka.clients.consumer.OffsetOutOfRangeException) {
            error = HearthError.OFFSET_OUT_OF_RANGE;
        } else if (e instanceof GroupNotEmptyException) {
            error = HearthError.GROUP_NOT_EMPTY;
        } else if (e instanceof GroupIdNotFoundException || e instanceof InvalidGroupIdException) {
            error = HearthError.GROUP_NOT_FOUND;
        } else if (e instanceof InvalidRequestException) {
            error = HearthError.INVALID_REQUEST;
        } else if (e instanceof AuthorizationException || e instanceof AuthenticationException) {
            return new HearthConnectionException(HearthError.NOT_AVAILABLE, "The Kafka cluster refused Hearth's "
                    + "credentials: " + e.getMessage(), Map.of("cause", "authorization"));
        } else if (e instanceof org.apache.kafka.common.errors.TimeoutException
                || e instanceof java.util.concurrent.TimeoutException
                || e instanceof CoordinatorNotAvailableException
                || e instanceof org.apache.kafka.common.errors.RetriableException) {
            return LogClient.notAvailable("The Kafka cluster did not answer in time: " + e.getMessage());
        } else if (e instanceof KafkaException || e instanceof IllegalStateException) {
            error = HearthError.NOT_AVAILABLE;
        } else {
            LOG.log(Level.WARNING, "HEARTH-1121 Unexpected failure of a Kafka cluster call; reported as NOT_AVAILABLE", e);
            error = HearthError.NOT_AVAILABLE;
        }
        return new HearthConnectionException(error, String.valueOf(e.getMessage()), Map.of());
    }

    private long adminTimeoutMs() {
        return timeouts.adminTimeout().toMillis();
    }

    // ---- life cycle --------------------------------------------------------------------------------------

    /** Closes the producer (after sending what it holds), the admin client and every idle consumer; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Duration grace = timeouts.adminTimeout();
        try {
            producer.close(grace);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "HEARTH-1122 Could not close the Kafka cluster producer cleanly", e);
        }
        try {
            admin.close(grace);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "HEARTH-1122 Could not close the Kafka cluster admin client cleanly", e);
        }
        KafkaConsumer<byte[], byte[]> consumer;
        while ((consumer = idleConsumers.poll()) != null) {
            closeQuietly(consumer, "a read consumer");
        }
    }

    private static void closeQuietly(KafkaConsumer<byte[], byte[]> consumer, String what) {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "HEARTH-1122 Could not close " + what + " of the Kafka cluster client cleanly", e);
        }
    }

    /** The cluster's topic names, internal ones included, ordered; one metadata request. */
    @Override
    public List<String> topicNames() {
        return call(() -> List.copyOf(new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(true))
                .names().get(adminTimeoutMs(), TimeUnit.MILLISECONDS))));
    }
}
