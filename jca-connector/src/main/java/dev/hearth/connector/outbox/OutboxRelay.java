package dev.hearth.connector.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Publishes one shard of an outbox ({@link OutboxTables}) to the cluster with a transactional producer: each batch
 * of rows, in seq order, together with the shard's new progress, in one Kafka transaction.
 *
 * <p>Progress: the seq of the first row not yet published, kept in Kafka in the same transaction as the records it
 * covers: record key {@code "<outbox name>/<shard>"} (UTF-8), value the decimal seq (UTF-8), in the compacted
 * {@link OutboxConfig#progressTopic()} (created on first use, 1 partition; with more partitions the key's
 * murmur2 partition, as the default partitioner). The progress and the records it covers are thus committed or
 * aborted together, and a read_committed consumer never sees one without the other. A shard without a progress
 * record starts at seq 0.
 *
 * <p>Life of a relay: {@link #start} takes the shard's lease, initialises the producer with the shard's stable
 * {@code transactional.id} (which aborts an open transaction of an earlier relay and fences that relay's producer,
 * so nothing more of it can commit), and only then reads the progress to the end of the partition with a
 * read_committed consumer: to the high watermark as it was after fencing, so that no transaction still open then
 * can hide a committed progress record behind the last stable offset. A counter in the database below that progress
 * (a database that lost commits, or a new database for an old outbox name) is raised to it (HEARTH-0752), so that
 * new rows are not taken for published ones; a gap in the seqs read is reported (HEARTH-0753).
 * {@link #publishNextBatch} then publishes rows
 * with {@code seq >= progress} and deletes those below it. Deletion is idempotent and may lag or fail: rows below the
 * progress are never read again.
 *
 * <p>Crash at any instant: before the Kafka commit, the transaction is aborted (by the next relay's
 * {@code initTransactions}, or the transaction timeout) and the rows are still in the table, so they are published
 * again, once; after it, the progress says they are published, and they are deleted. Per key order holds because a
 * shard's rows become visible in seq order (see {@link OutboxWriter}) and a single producer sends them in seq order
 * with idempotence (ordered retries).
 *
 * <p>A record that the cluster refuses for good (too large, unknown topic, not authorised) stops its shard: every
 * attempt aborts, and the relay is restarted, until an operator resolves it; skipping it would break the promise.
 *
 * <p>Thread-safety: one thread drives a relay ({@link #start}, {@link #publishNextBatch}, {@link #close}); any thread
 * may call {@link #closeAbruptly} to make blocking calls of that thread fail promptly. After any exception the relay
 * is unusable: close it and start a new one.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    /** Longest wait for the progress partition to become stable (open transactions to end) at start. */
    private static final long PROGRESS_READ_TIMEOUT_MS = 120_000;
    /** Transaction timeout unless the properties set one: short, so a crashed relay blocks readers briefly. */
    private static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 15_000;

    private static final String TAKE_LEASE = "UPDATE " + OutboxTables.LEASES
            + " SET owner_id = ?, expires_at_ms = ? WHERE shard = ? AND (owner_id = ? OR expires_at_ms < ?)";
    private static final String RENEW_LEASE = "UPDATE " + OutboxTables.LEASES
            + " SET expires_at_ms = ? WHERE shard = ? AND owner_id = ?";
    private static final String RELEASE_LEASE = "UPDATE " + OutboxTables.LEASES
            + " SET expires_at_ms = 0 WHERE shard = ? AND owner_id = ?";
    private static final String READ_ROWS = "SELECT seq, topic_name, partition_id, record_key, record_value, headers, "
            + "timestamp_ms FROM " + OutboxTables.RECORDS + " WHERE shard = ? AND seq >= ? ORDER BY seq";
    private static final String DELETE_ROWS = "DELETE FROM " + OutboxTables.RECORDS + " WHERE shard = ? AND seq < ?";
    private static final String RAISE_COUNTER = "UPDATE " + OutboxTables.SHARDS
            + " SET next_seq = ? WHERE shard = ? AND next_seq < ?";

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final int shard;
    private final LongSupplier clock;
    // The clients in use, volatile for closeAbruptly on another thread; null when none.
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile KafkaConsumer<byte[], byte[]> progressConsumer;
    private volatile Admin admin;
    private volatile boolean abruptlyClosed;
    private TopicPartition progressPartition;
    /** Seq of the first row not yet published; -1 until started. */
    private long nextSeq = -1;
    /** Seq below which rows are deleted. */
    private long deletedBelow;
    /** Epoch millis of the last successful lease renewal. */
    private long leaseRenewedMs;

    public OutboxRelay(DataSource dataSource, OutboxConfig config, int shard) {
        this(dataSource, config, shard, System::currentTimeMillis);
    }

    OutboxRelay(DataSource dataSource, OutboxConfig config, int shard, LongSupplier clock) {
        if (shard < 0 || shard >= config.shards()) {
            throw new IllegalArgumentException("Shard " + shard + " is not one of the " + config.shards());
        }
        this.dataSource = dataSource;
        this.config = config;
        this.shard = shard;
        this.clock = clock;
    }

    public int shard() {
        return shard;
    }

    /** The seq of the first row not yet published, as committed in Kafka; -1 before {@link #start}. */
    public long nextSeq() {
        return nextSeq;
    }

    /**
     * Takes the lease, fences earlier relays of the shard and reads the progress. The tables must exist.
     *
     * @throws OutboxLeaseException if another instance holds an unexpired lease
     */
    public void start() throws SQLException {
        if (!takeLease()) {
            throw new OutboxLeaseException(shard, "Shard " + shard + " of outbox " + config.name()
                    + " is leased by another instance");
        }
        long targetOffset;
        try (Admin created = Admin.create(new HashMap<>(config.kafkaProperties()))) {
            admin = created;
            failIfClosedAbruptly();
            progressPartition = progressPartition(created);
            KafkaProducer<byte[], byte[]> producerCreated = new KafkaProducer<>(producerProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            producer = producerCreated;
            failIfClosedAbruptly();
            producerCreated.initTransactions();
            targetOffset = highWatermark(created);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while starting the relay of shard " + shard, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException kafka ? kafka : new KafkaException(e.getCause());
        } finally {
            admin = null;
        }
        nextSeq = readProgress(targetOffset);
        deletedBelow = 0;
        raiseCounterTo(nextSeq);
    }

    /**
     * Renews the lease when a third of it has passed, publishes the next batch of rows in one Kafka transaction and
     * deletes the published rows.
     *
     * @return the number of records published; 0 when the shard had no row at or above the progress
     * @throws OutboxLeaseException if another instance took the lease over
     * @throws org.apache.kafka.common.errors.ProducerFencedException if a newer relay of the shard fenced this one
     */
    public int publishNextBatch() throws SQLException {
        maybeRenewLease();
        Batch batch = sendBatch();
        if (batch.records() == 0) {
            maybeDeleteRelayed();
            return 0;
        }
        commit(batch);
        maybeDeleteRelayed();
        return batch.records();
    }

    /** A transaction in flight: {@code records} rows sent, and the progress {@code nextSeq} after them. */
    record Batch(int records, long nextSeq) {
    }

    /**
     * Begins a transaction and sends the next rows and the new progress in it, without committing (the first half
     * of {@link #publishNextBatch}; tests stop here to crash between the two). Nothing is begun when there is no row.
     */
    Batch sendBatch() throws SQLException {
        requireStarted();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long lastSeq = -1;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(READ_ROWS)) {
            select.setMaxRows(config.batchRecords());
            select.setFetchSize(Math.min(config.batchRecords(), 100));
            select.setInt(1, shard);
            select.setLong(2, nextSeq);
            long bytes = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (bytes < config.batchBytes() && records.size() < config.batchRecords() && rows.next()) {
                    long seq = rows.getLong(1);
                    if (lastSeq >= 0 && seq != lastSeq + 1 || lastSeq < 0 && seq != nextSeq) {
                        LOG.warning(() -> "HEARTH-0753 Outbox " + config.name() + " shard " + shard + " has a gap "
                                + "in its seqs before " + seq + ": rows were lost from the database (a database that "
                                + "lost its last commits, or rows deleted by hand)");
                    }
                    lastSeq = seq;
                    int partitionId = rows.getInt(3);
                    Integer partition = rows.wasNull() ? null : partitionId;
                    byte[] key = rows.getBytes(4);
                    byte[] value = rows.getBytes(5);
                    List<Header> headers = new ArrayList<>();
                    OutboxTables.decodeHeaders(rows.getBytes(6))
                            .forEach((name, headerValue) -> headers.add(new RecordHeader(name, headerValue)));
                    records.add(new ProducerRecord<>(rows.getString(2), partition, rows.getLong(7), key, value,
                            headers));
                    bytes += (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
                }
            }
            OutboxTables.commitIfManual(connection);
        }
        if (records.isEmpty()) {
            return new Batch(0, nextSeq);
        }
        long newNextSeq = lastSeq + 1;
        producer.beginTransaction();
        for (ProducerRecord<byte[], byte[]> record : records) {
            producer.send(record);
        }
        producer.send(new ProducerRecord<>(progressPartition.topic(), progressPartition.partition(),
                progressKey(), Long.toString(newNextSeq).getBytes(StandardCharsets.UTF_8)));
        return new Batch(records.size(), newNextSeq);
    }

    /** Commits the transaction of {@link #sendBatch}; a failed send makes this throw. */
    void commit(Batch batch) {
        producer.commitTransaction();
        nextSeq = batch.nextSeq();
    }

    /** Deletes the rows below the progress, if any were published since the last deletion. */
    void maybeDeleteRelayed() throws SQLException {
        if (deletedBelow >= nextSeq) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(DELETE_ROWS)) {
            delete.setInt(1, shard);
            delete.setLong(2, nextSeq);
            delete.executeUpdate();
            OutboxTables.commitIfManual(connection);
        }
        deletedBelow = nextSeq;
    }

    /**
     * Closes the producer without waiting and without releasing the lease, as a crash would (from any thread):
     * an open transaction stays open until the next relay of the shard aborts it.
     */
    public void closeAbruptly() {
        abruptlyClosed = true;
        Admin currentAdmin = admin;
        if (currentAdmin != null) {
            currentAdmin.close(Duration.ZERO);
        }
        KafkaConsumer<byte[], byte[]> consumer = progressConsumer;
        if (consumer != null) {
            consumer.wakeup();
        }
        KafkaProducer<byte[], byte[]> current = producer;
        if (current != null) {
            current.close(Duration.ZERO);
        }
    }

    /**
     * Closes the producer (an open transaction is left to the next relay to abort) and releases the lease, so that
     * another instance can take the shard at once. Idempotent.
     */
    @Override
    public void close() {
        KafkaProducer<byte[], byte[]> current = producer;
        if (current != null) {
            current.close(abruptlyClosed ? Duration.ZERO : Duration.ofSeconds(5));
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement release = connection.prepareStatement(RELEASE_LEASE)) {
            release.setInt(1, shard);
            release.setString(2, config.instanceId());
            release.executeUpdate();
            OutboxTables.commitIfManual(connection);
        } catch (SQLException e) {
            LOG.fine(() -> "The lease of shard " + shard + " of outbox " + config.name()
                    + " was not released (it expires by itself): " + e);
        }
    }

    private boolean takeLease() throws SQLException {
        long now = clock.getAsLong();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement take = connection.prepareStatement(TAKE_LEASE)) {
            take.setString(1, config.instanceId());
            take.setLong(2, now + config.leaseMs());
            take.setInt(3, shard);
            take.setString(4, config.instanceId());
            take.setLong(5, now);
            boolean taken = take.executeUpdate() == 1;
            OutboxTables.commitIfManual(connection);
            if (taken) {
                leaseRenewedMs = now;
            }
            return taken;
        }
    }

    private void maybeRenewLease() throws SQLException {
        requireStarted();
        renewLeaseIfDue();
    }

    /** Renews the lease if a third of it passed since the last renewal; also while the progress is read. */
    private void renewLeaseIfDue() throws SQLException {
        long now = clock.getAsLong();
        if (now - leaseRenewedMs < config.leaseMs() / 3) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement renew = connection.prepareStatement(RENEW_LEASE)) {
            renew.setLong(1, now + config.leaseMs());
            renew.setInt(2, shard);
            renew.setString(3, config.instanceId());
            boolean renewed = renew.executeUpdate() == 1;
            OutboxTables.commitIfManual(connection);
            if (!renewed) {
                throw new OutboxLeaseException(shard, "Shard " + shard + " of outbox " + config.name()
                        + " was taken over by another instance");
            }
        }
        leaseRenewedMs = now;
    }

    /** The progress topic's partition for this shard's key; creates the topic (compacted) if missing. */
    private TopicPartition progressPartition(Admin admin) throws InterruptedException, ExecutionException {
        String topic = config.progressTopic();
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        int partitions = description.partitions().size();
        return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(progressKey())) % partitions);
    }

    private long highWatermark(Admin admin) throws InterruptedException, ExecutionException {
        return admin.listOffsets(Map.of(progressPartition, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                .partitionResult(progressPartition).get().offset();
    }

    /**
     * The last committed progress of this shard below {@code targetOffset}, or 0 without one. Renews the lease as it
     * goes: reading a long partition must not let another instance take the shard and fence this relay each time.
     */
    private long readProgress(long targetOffset) throws SQLException {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        byte[] key = progressKey();
        long progress = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            progressConsumer = consumer;
            failIfClosedAbruptly();
            consumer.assign(List.of(progressPartition));
            consumer.seekToBeginning(List.of(progressPartition));
            long deadline = clock.getAsLong() + PROGRESS_READ_TIMEOUT_MS;
            while (consumer.position(progressPartition) < targetOffset) {
                failIfClosedAbruptly();
                renewLeaseIfDue();
                if (clock.getAsLong() > deadline) {
                    throw new TimeoutException("The progress of shard " + shard
                            + " was not readable to offset " + targetOffset + " of " + progressPartition
                            + " within " + PROGRESS_READ_TIMEOUT_MS + " ms (a transaction stays open there)");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < targetOffset && Arrays.equals(key, record.key())
                            && record.value() != null) {
                        progress = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        } finally {
            progressConsumer = null;
        }
        return progress;
    }

    /**
     * Raises the shard's counter to the progress if it is below it, so that new rows are not taken as published:
     * the database lost commits that were already published, or is a new database for an old outbox name.
     */
    private void raiseCounterTo(long progress) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement raise = connection.prepareStatement(RAISE_COUNTER)) {
            raise.setLong(1, progress);
            raise.setInt(2, shard);
            raise.setLong(3, progress);
            int raised = raise.executeUpdate();
            OutboxTables.commitIfManual(connection);
            if (raised > 0) {
                LOG.warning(() -> "HEARTH-0752 Outbox " + config.name() + " shard " + shard + " was published to seq "
                        + progress + " but the database's counter was below it (a database that lost commits, or a "
                        + "new database for an existing outbox name); the counter now continues from there");
            }
        }
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId(shard));
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
        return properties;
    }

    private byte[] progressKey() {
        return config.progressKey(shard).getBytes(StandardCharsets.UTF_8);
    }

    private void requireStarted() {
        if (nextSeq < 0) {
            throw new IllegalStateException("The relay of shard " + shard + " is not started");
        }
    }

    private void failIfClosedAbruptly() {
        if (abruptlyClosed) {
            throw new KafkaException("The relay of shard " + shard + " was closed");
        }
    }
}
