package dev.hearth.txn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import dev.hearth.engine.HearthException;
import dev.hearth.engine.UnknownTopicOrPartitionException;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.CommittedOffset;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.group.TopicPartitionKey;

/**
 * Kafka's transaction coordinator, for one broker: producer ids and epochs per transactional id, the
 * partitions and group offsets of each open transaction, and two-phase completion.
 *
 * <p>Durability: every state change is appended to {@code __transaction_state} before it is acted on.
 * Ending a transaction first writes the decision (PREPARE_COMMIT or PREPARE_ABORT), then the COMMIT/ABORT
 * markers to each partition and, on commit, the group offsets, then COMPLETE_*. After a crash the
 * log is replayed: decided transactions are completed as decided, transactions still ONGOING are
 * aborted, and XA branches in PREPARED wait for their transaction manager's recovery, so no transaction
 * is ever half visible.
 *
 * <p>Administration: {@link #listTransactions} and {@link #describeTransaction} show the state to operators'
 * tools; {@link #abortInPartition} is {@code kafka-transactions abort}, for hanging transactions (records in a
 * partition of a transaction this coordinator does not know open) and for its own stuck ones.
 *
 * <p>Expiry: as Kafka's {@code transactional.id.expiration.ms} (default 7 days), a transactional id with no
 * transaction open or prepared whose state was last written longer ago than that is forgotten: a tombstone (the
 * id as key, no value) goes to {@code __transaction_state} and the id leaves {@link #listTransactions}. Ids used
 * once (an XA branch's {@code xa:<xid>}) are forgotten sooner ({@link TransactionalIdExpiry}), so they do not
 * accumulate. The id's next InitProducerId starts afresh with a new producer id.
 *
 * <p>Thread-safety: each transactional id's metadata is guarded by its own monitor; the map of ids by its own,
 * taken before a metadata's monitor when both are held.
 */
public final class TransactionCoordinator {

    public static final String TOPIC = "__transaction_state";
    private static final Logger LOG = Logger.getLogger(TransactionCoordinator.class.getName());

    private final LogEngine engine;
    private final GroupCoordinator groups;
    private final ProducerIdAllocator producerIds;
    private final LongSupplier clock;
    private final TransactionalIdExpiry expiry;
    private final Map<String, TransactionMetadata> transactions = new HashMap<>();

    /** A coordinator whose ids expire as Kafka's do ({@link TransactionalIdExpiry#KAFKA_DEFAULT}). */
    public TransactionCoordinator(LogEngine engine, GroupCoordinator groups, ProducerIdAllocator producerIds,
                                  LongSupplier clock) {
        this(engine, groups, producerIds, clock, TransactionalIdExpiry.KAFKA_DEFAULT);
    }

    /** @param expiry when idle transactional ids are forgotten, see the class comment */
    public TransactionCoordinator(LogEngine engine, GroupCoordinator groups, ProducerIdAllocator producerIds,
                                  LongSupplier clock, TransactionalIdExpiry expiry) {
        this.engine = engine;
        this.groups = groups;
        this.producerIds = producerIds;
        this.clock = clock;
        this.expiry = expiry;
        engine.ensureInternalTopic(TOPIC);
        replay();
    }

    private void replay() {
        engine.replay(TOPIC, 0, record -> {
            if (!record.hasKey()) {
                return;
            }
            String transactionalId = StandardCharsets.UTF_8.decode(record.key()).toString();
            if (!record.hasValue()) {
                transactions.remove(transactionalId); // expired
                return;
            }
            try {
                TransactionMetadata metadata = TransactionMetadata.decode(transactionalId, record.value());
                metadata.lastUpdateMs = record.timestamp();
                transactions.put(transactionalId, metadata);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "HEARTH-0600 Skipping an unreadable " + TOPIC + " record at offset "
                        + record.offset(), e);
            }
        });
        for (TransactionMetadata metadata : transactions.values()) {
            synchronized (metadata) {
                if (metadata.state.isOpen()) {
                    LOG.warning(() -> "HEARTH-0601 Aborting transaction " + metadata.transactionalId
                            + " that was open when the server stopped");
                }
                completeIfDecidedOrOpen(metadata);
            }
        }
    }

    /**
     * Completes a decided transaction (PREPARE_COMMIT or PREPARE_ABORT) and aborts an open one. A failure
     * (a partition offline, a full disk) is logged and leaves the transaction decided, to be completed by a
     * later {@link #tick}: it never stops the coordinator. The caller holds the metadata's monitor.
     */
    private void completeIfDecidedOrOpen(TransactionMetadata metadata) {
        try {
            if (metadata.state.isPrepared()) {
                complete(metadata, metadata.state == TransactionState.PREPARE_COMMIT);
            } else if (metadata.state.isOpen()) {
                abortFencing(metadata);
            }
        } catch (HearthException e) {
            LOG.warning(() -> "HEARTH-0603 Could not complete transaction " + metadata.transactionalId + " ("
                    + metadata.state + "): " + e.getMessage() + "; retried every tick");
        }
    }

    /** The result of {@link #initProducerId}. */
    public record ProducerIdAndEpoch(Errors error, long producerId, short producerEpoch) {
    }

    /** Registers (or re-registers) a transactional producer, fencing older epochs and aborting their open transaction. */
    public ProducerIdAndEpoch initProducerId(String transactionalId, int transactionTimeoutMs) {
        while (true) {
            TransactionMetadata metadata;
            synchronized (transactions) {
                metadata = transactions.computeIfAbsent(transactionalId,
                        id -> new TransactionMetadata(id, producerIds.next(), (short) -1, transactionTimeoutMs));
            }
            synchronized (metadata) {
                if (!metadata.expired) {
                    return register(metadata, transactionTimeoutMs);
                }
            }
        }
    }

    /** {@link #initProducerId} once its metadata is found; the caller holds the metadata's monitor. */
    private ProducerIdAndEpoch register(TransactionMetadata metadata, int transactionTimeoutMs) {
        if (metadata.state.isOpen()) {
            abortFencing(metadata);
        } else if (metadata.state.isPrepared()) {
            complete(metadata, metadata.state == TransactionState.PREPARE_COMMIT);
        }
        if (metadata.producerEpoch >= Short.MAX_VALUE - 1) {
            metadata.producerId = producerIds.next();
            metadata.producerEpoch = 0;
        } else {
            metadata.producerEpoch++;
        }
        metadata.timeoutMs = transactionTimeoutMs;
        metadata.state = TransactionState.EMPTY;
        persist(metadata);
        return new ProducerIdAndEpoch(Errors.NONE, metadata.producerId, metadata.producerEpoch);
    }

    /** Adds partitions to the producer's transaction (durably, before it may write to them). */
    public Errors addPartitions(String transactionalId, long producerId, short producerEpoch,
                                List<TopicPartitionKey> partitions) {
        return withProducer(transactionalId, producerId, producerEpoch, metadata -> {
            if (metadata.state.isPrepared()) {
                return Errors.CONCURRENT_TRANSACTIONS;
            }
            for (TopicPartitionKey partition : partitions) {
                if (!exists(partition)) {
                    return Errors.UNKNOWN_TOPIC_OR_PARTITION;
                }
            }
            boolean changed = !metadata.state.isOpen();
            if (changed) {
                metadata.state = TransactionState.ONGOING;
                metadata.startMs = clock.getAsLong();
            }
            changed |= metadata.partitions.addAll(partitions);
            if (changed) {
                persist(metadata);
            }
            return Errors.NONE;
        });
    }

    /** Starts a transaction that commits offsets for {@code groupId}. */
    public Errors addOffsets(String transactionalId, long producerId, short producerEpoch, String groupId) {
        return addPartitions(transactionalId, producerId, producerEpoch, List.of());
    }

    /** Group offsets to commit if, and when, the transaction commits. */
    public Errors commitOffsets(String transactionalId, long producerId, short producerEpoch, String groupId,
                                Map<TopicPartitionKey, CommittedOffset> offsets) {
        return withProducer(transactionalId, producerId, producerEpoch, metadata -> {
            if (!metadata.state.isOpen()) {
                return Errors.INVALID_TXN_STATE;
            }
            metadata.pendingOffsets.computeIfAbsent(groupId, g -> new java.util.LinkedHashMap<>()).putAll(offsets);
            persist(metadata);
            return Errors.NONE;
        });
    }

    /** Commits or aborts the producer's open transaction; idempotent for a retried request. */
    public Errors endTransaction(String transactionalId, long producerId, short producerEpoch, boolean commit) {
        return withProducer(transactionalId, producerId, producerEpoch, metadata -> {
            switch (metadata.state) {
                case ONGOING -> {
                    prepareAndComplete(metadata, commit);
                    return Errors.NONE;
                }
                case COMPLETE_COMMIT -> {
                    return commit ? Errors.NONE : Errors.INVALID_TXN_STATE;
                }
                case COMPLETE_ABORT -> {
                    return commit ? Errors.INVALID_TXN_STATE : Errors.NONE;
                }
                case EMPTY -> {
                    // A transaction with no partitions: nothing to mark.
                    return Errors.NONE;
                }
                default -> {
                    return Errors.CONCURRENT_TRANSACTIONS;
                }
            }
        });
    }

    /** Aborts transactions open longer than their timeout, and fences their producer (epoch bump). */
    public void tick() {
        long now = clock.getAsLong();
        List<TransactionMetadata> all;
        synchronized (transactions) {
            all = List.copyOf(transactions.values());
        }
        for (TransactionMetadata metadata : all) {
            synchronized (metadata) {
                if (metadata.state.isPrepared()) {
                    completeIfDecidedOrOpen(metadata);
                } else if (metadata.state.isOpen() && now - metadata.startMs > metadata.timeoutMs) {
                    LOG.warning(() -> "HEARTH-0602 Aborting transaction " + metadata.transactionalId + " after its timeout of "
                            + metadata.timeoutMs + " ms");
                    completeIfDecidedOrOpen(metadata);
                }
            }
        }
        for (TransactionMetadata metadata : all) {
            expireIfIdle(metadata, now);
        }
    }

    /** Forgets an id idle for longer than {@code transactional.id.expiration.ms} (see the class comment). */
    private void expireIfIdle(TransactionMetadata metadata, long now) {
        synchronized (transactions) {
            synchronized (metadata) {
                boolean idle = metadata.state == TransactionState.EMPTY
                        || metadata.state == TransactionState.COMPLETE_COMMIT
                        || metadata.state == TransactionState.COMPLETE_ABORT;
                if (metadata.expired || !idle || now - metadata.lastUpdateMs <= expiry.of(metadata.transactionalId)) {
                    return;
                }
                try {
                    engine.append(TOPIC, 0, MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(now,
                            metadata.transactionalId.getBytes(StandardCharsets.UTF_8), null)));
                } catch (HearthException e) {
                    LOG.warning(() -> "HEARTH-0606 Could not expire transactional id " + metadata.transactionalId
                            + ": " + e.getMessage() + "; retried every tick");
                    return;
                }
                metadata.expired = true;
                transactions.remove(metadata.transactionalId);
            }
        }
    }

    /**
     * Aborts a transaction its producer did not end (it timed out, or was open when the server stopped), as
     * Kafka does: the epoch is bumped first and the ABORT markers carry the new epoch, so a produce request
     * of the old producer still in flight (retried after a restart) is fenced by the partition instead of
     * opening a transaction no coordinator knows of, which a later COMMIT marker would make visible.
     */
    private void abortFencing(TransactionMetadata metadata) {
        if (metadata.producerEpoch < Short.MAX_VALUE - 1) {
            metadata.producerEpoch++;
        }
        prepareAndComplete(metadata, false);
    }

    private void prepareAndComplete(TransactionMetadata metadata, boolean commit) {
        metadata.state = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        persist(metadata);
        complete(metadata, commit);
    }

    /** Phase two: markers, then offsets, then the completion record. Repeatable after a crash. */
    private void complete(TransactionMetadata metadata, boolean commit) {
        for (TopicPartitionKey partition : metadata.partitions) {
            // A partition deleted since (or never valid, in state written by an older version) has nothing to mark.
            if (exists(partition)) {
                engine.writeTransactionMarker(partition.topic(), partition.partition(), metadata.producerId,
                        metadata.producerEpoch, commit);
            }
        }
        if (commit) {
            metadata.pendingOffsets.forEach(groups::commitTransactionalOffsets);
        }
        metadata.partitions.clear();
        metadata.pendingOffsets.clear();
        metadata.state = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        persist(metadata);
    }

    /**
     * Runs {@code action} under the transactional id's lock once the caller is known to be its current
     * producer (id and epoch); otherwise answers the error that says why not.
     */
    private Errors withProducer(String transactionalId, long producerId, short producerEpoch,
                                java.util.function.Function<TransactionMetadata, Errors> action) {
        TransactionMetadata metadata = find(transactionalId);
        if (metadata == null) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        synchronized (metadata) {
            if (metadata.expired) {
                return Errors.INVALID_PRODUCER_ID_MAPPING;
            }
            Errors invalid = validate(metadata, producerId, producerEpoch);
            return invalid != Errors.NONE ? invalid : action.apply(metadata);
        }
    }

    private static Errors validate(TransactionMetadata metadata, long producerId, short producerEpoch) {
        if (metadata.producerId != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (producerEpoch < metadata.producerEpoch) {
            return Errors.PRODUCER_FENCED;
        }
        if (producerEpoch > metadata.producerEpoch) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        return Errors.NONE;
    }

    private boolean exists(TopicPartitionKey partition) {
        try {
            return partition.partition() >= 0 && engine.topicExists(partition.topic())
                    && partition.partition() < engine.partitionCount(partition.topic());
        } catch (UnknownTopicOrPartitionException e) {
            return false;
        }
    }

    private TransactionMetadata find(String transactionalId) {
        synchronized (transactions) {
            return transactions.get(transactionalId);
        }
    }

    private void persist(TransactionMetadata metadata) {
        long now = clock.getAsLong();
        MemoryRecords record = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(now,
                metadata.transactionalId.getBytes(StandardCharsets.UTF_8), metadata.encode()));
        engine.append(TOPIC, 0, record);
        metadata.lastUpdateMs = now;
    }

    /**
     * XA phase one: makes the open transaction's outcome wait for {@link #decide}, durably. Its records stay
     * invisible to read-committed readers (and hold back the last stable offset) until then.
     */
    public Errors prepare(String transactionalId, long producerId, short producerEpoch) {
        return withProducer(transactionalId, producerId, producerEpoch, metadata -> {
            if (!metadata.state.isOpen()) {
                return Errors.INVALID_TXN_STATE;
            }
            metadata.state = TransactionState.PREPARED;
            persist(metadata);
            return Errors.NONE;
        });
    }

    /** XA phase two (or one-phase commit, or rollback): commits or aborts an open or prepared transaction. */
    public Errors decide(String transactionalId, boolean commit) {
        TransactionMetadata metadata = find(transactionalId);
        if (metadata == null) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        synchronized (metadata) {
            if (metadata.state.isOpen() || metadata.state == TransactionState.PREPARED) {
                prepareAndComplete(metadata, commit);
                return Errors.NONE;
            }
            if (metadata.state.isPrepared()) {
                complete(metadata, metadata.state == TransactionState.PREPARE_COMMIT);
            }
            return metadata.state == (commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT)
                    || metadata.state == TransactionState.EMPTY ? Errors.NONE : Errors.INVALID_TXN_STATE;
        }
    }

    /** Every transactional id the coordinator knows, in no particular order (ListTransactions). */
    public List<TransactionDescription> listTransactions() {
        List<TransactionMetadata> all;
        synchronized (transactions) {
            all = List.copyOf(transactions.values());
        }
        List<TransactionDescription> described = new java.util.ArrayList<>(all.size());
        for (TransactionMetadata metadata : all) {
            described.add(describe(metadata));
        }
        return described;
    }

    /** The transactional id's state, if the coordinator knows it (DescribeTransactions). */
    public java.util.Optional<TransactionDescription> describeTransaction(String transactionalId) {
        TransactionMetadata metadata = find(transactionalId);
        return metadata == null ? java.util.Optional.empty() : java.util.Optional.of(describe(metadata));
    }

    private static TransactionDescription describe(TransactionMetadata metadata) {
        synchronized (metadata) {
            boolean pending = metadata.state.isOpen() || metadata.state.isPrepared()
                    || metadata.state == TransactionState.PREPARED;
            return new TransactionDescription(metadata.transactionalId, metadata.producerId, metadata.producerEpoch,
                    metadata.state, metadata.timeoutMs, pending ? metadata.startMs : -1,
                    List.copyOf(metadata.partitions));
        }
    }

    /** What {@link #abortInPartition} did. */
    public enum PartitionAbort {
        /** The coordinator's own open transaction of that producer included the partition: it was aborted whole. */
        COORDINATED_TRANSACTION_ABORTED,
        /** A transaction the coordinator does not know of (a hanging one) got its ABORT marker in the partition. */
        HANGING_TRANSACTION_ABORTED,
        /** The producer has no open transaction in the partition: nothing to do (a retried request, say). */
        NOTHING_OPEN
    }

    /**
     * Kafka's WriteTxnMarkers as {@code kafka-transactions abort} sends it: ends {@code producerId}'s open
     * transaction in one partition with an ABORT marker. When that transaction is one this coordinator runs
     * (an ONGOING transaction of the producer that includes the partition), it is aborted as a timeout would
     * abort it, in every partition and with the producer fenced, so the coordinator's state and the partitions
     * never disagree. Otherwise (a hanging transaction: the partition holds records of a transaction the
     * coordinator does not know open) only the partition's marker is written, with {@code producerEpoch}.
     *
     * @throws dev.hearth.engine.InvalidProducerEpochException {@code producerEpoch} is older than the partition's
     *                                                          current epoch for the producer
     */
    public PartitionAbort abortInPartition(TopicPartitionKey partition, long producerId, short producerEpoch) {
        List<TransactionMetadata> all;
        synchronized (transactions) {
            all = List.copyOf(transactions.values());
        }
        for (TransactionMetadata metadata : all) {
            synchronized (metadata) {
                if (metadata.producerId == producerId && metadata.state.isOpen()
                        && metadata.partitions.contains(partition)) {
                    LOG.warning(() -> "HEARTH-0604 Aborting transaction " + metadata.transactionalId
                            + " on an administrator's request");
                    abortFencing(metadata);
                    return PartitionAbort.COORDINATED_TRANSACTION_ABORTED;
                }
            }
        }
        if (!engine.openTransactions(partition.topic(), partition.partition()).containsKey(producerId)) {
            return PartitionAbort.NOTHING_OPEN;
        }
        for (dev.hearth.engine.ActiveProducer producer
                : engine.activeProducers(partition.topic(), partition.partition())) {
            if (producer.producerId() == producerId && producerEpoch < producer.producerEpoch()) {
                throw new dev.hearth.engine.InvalidProducerEpochException("Producer " + producerId + " has epoch "
                        + producer.producerEpoch() + " in " + partition.topic() + "-" + partition.partition()
                        + ", newer than the marker's " + producerEpoch);
            }
        }
        engine.writeTransactionMarker(partition.topic(), partition.partition(), producerId, producerEpoch, false);
        LOG.warning(() -> "HEARTH-0605 Aborted the hanging transaction of producer " + producerId + " in "
                + partition.topic() + "-" + partition.partition() + " on an administrator's request");
        return PartitionAbort.HANGING_TRANSACTION_ABORTED;
    }

    /** Transactional ids with this prefix whose XA branch is prepared and undecided, for XA recovery. */
    public List<String> preparedTransactionalIds(String prefix) {
        List<String> prepared = new java.util.ArrayList<>();
        synchronized (transactions) {
            for (TransactionMetadata metadata : transactions.values()) {
                synchronized (metadata) {
                    if (metadata.state == TransactionState.PREPARED && metadata.transactionalId.startsWith(prefix)) {
                        prepared.add(metadata.transactionalId);
                    }
                }
            }
        }
        return prepared;
    }



}
