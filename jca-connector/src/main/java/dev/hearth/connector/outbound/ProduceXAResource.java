package dev.hearth.connector.outbound;

import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.apache.kafka.common.protocol.Errors;

import dev.hearth.connector.client.TransactionalProducer;
import dev.hearth.connector.client.EngineServices;
import dev.hearth.connector.client.HearthXid;
import dev.hearth.group.TopicPartitionKey;
import dev.hearth.txn.TransactionCoordinator;

/**
 * Makes records sent through a connection part of the container's JTA transaction. Each XA branch is a
 * Hearth transaction (transactional id {@code xa:<xid>}): sends append transactional batches, prepare
 * records the branch durably as PREPARED, commit or rollback writes the COMMIT or ABORT markers. Readers
 * at read_committed (Kafka consumers, message-driven beans, the REST API) see the records only if the JTA
 * transaction commits. A branch that sent nothing votes read-only.
 *
 * <p>Recovery: prepared branches survive restarts undecided; {@link #recover} lists them for the
 * transaction manager (through {@code ResourceAdapter.getXAResources()}), which then commits or rolls
 * them back.
 *
 * <p>Thread-safety: the container drives one branch of a managed connection at a time; the branch map is
 * synchronized for the recovery instance shared across threads.
 */
public final class ProduceXAResource implements XAResource {

    /** The transactional ids of XA branches: {@code xa:} and the XID in hex; each is used by one branch only. */
    public static final String PREFIX = "xa:";
    private static final int BRANCH_TIMEOUT_MS = 15 * 60 * 1000;
    /**
     * How long the coordinator keeps a completed branch's id, in ms: only a transaction manager repeating a commit or
     * rollback it did not see complete asks for it again (then XAER_NOTA, "unknown", once forgotten). An hour, well
     * past the branch timeout, instead of Kafka's seven days, so that one id per transaction does not pile up.
     */
    public static final long COMPLETED_BRANCH_RETENTION_MS = 60 * 60 * 1000;

    private final Supplier<EngineServices> services;
    private final Map<HearthXid, Branch> branches = new HashMap<>();
    /** The branch sends of the owning connection belong to, between start and end. */
    private volatile Branch current;

    ProduceXAResource(Supplier<EngineServices> services) {
        this.services = services;
    }

    /** A resource that only recovers prepared branches, for {@code ResourceAdapter.getXAResources()}. */
    public static XAResource forRecovery(Supplier<EngineServices> services) {
        return new ProduceXAResource(services);
    }

    /** The open branch this connection's sends join, or null outside a transaction. */
    TransactionalProducer currentTransaction() {
        return current;
    }

    @Override
    public synchronized void start(Xid xid, int flags) throws XAException {
        HearthXid key = HearthXid.of(xid);
        Branch branch = branches.get(key);
        if (branch == null) {
            if ((flags & (TMJOIN | TMRESUME)) != 0) {
                throw new XAException(XAException.XAER_NOTA);
            }
            String transactionalId = transactionalId(key);
            TransactionCoordinator.ProducerIdAndEpoch producer =
                    coordinator().initProducerId(transactionalId, BRANCH_TIMEOUT_MS);
            branch = new Branch(transactionalId, producer.producerId(), producer.producerEpoch());
            branches.put(key, branch);
        }
        current = branch;
    }

    @Override
    public synchronized void end(Xid xid, int flags) {
        current = null;
    }

    @Override
    public synchronized int prepare(Xid xid) throws XAException {
        HearthXid key = HearthXid.of(xid);
        Branch branch = branches.get(key);
        if (branch == null) {
            throw new XAException(XAException.XAER_NOTA);
        }
        if (branch.partitions.isEmpty()) {
            branches.remove(key);
            coordinator().decide(branch.transactionalId, false);
            return XA_RDONLY;
        }
        Errors error = coordinator().prepare(branch.transactionalId, branch.producerId, branch.producerEpoch);
        if (error != Errors.NONE) {
            throw failure(XAException.XAER_RMERR, "prepare of " + branch.transactionalId + " failed: " + error);
        }
        return XA_OK;
    }

    @Override
    public synchronized void commit(Xid xid, boolean onePhase) throws XAException {
        decide(HearthXid.of(xid), true);
    }

    @Override
    public synchronized void rollback(Xid xid) throws XAException {
        decide(HearthXid.of(xid), false);
    }

    private void decide(HearthXid xid, boolean commit) throws XAException {
        branches.remove(xid);
        Errors error = coordinator().decide(transactionalId(xid), commit);
        if (error == Errors.INVALID_PRODUCER_ID_MAPPING) {
            throw new XAException(XAException.XAER_NOTA);
        }
        if (error != Errors.NONE) {
            throw failure(XAException.XAER_RMERR, (commit ? "commit" : "rollback") + " of " + xid + " failed: " + error);
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        if ((flag & TMSTARTRSCAN) == 0 && flag != TMNOFLAGS) {
            return new Xid[0];
        }
        List<String> prepared = coordinator().preparedTransactionalIds(PREFIX);
        Xid[] xids = new Xid[prepared.size()];
        for (int i = 0; i < xids.length; i++) {
            xids[i] = HearthXid.decode(java.nio.ByteBuffer.wrap(
                    HexFormat.of().parseHex(prepared.get(i).substring(PREFIX.length()))));
        }
        return xids;
    }

    @Override
    public void forget(Xid xid) throws XAException {
        rollback(xid);
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof ProduceXAResource;
    }

    @Override
    public int getTransactionTimeout() {
        return BRANCH_TIMEOUT_MS / 1000;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }

    private static String transactionalId(HearthXid xid) {
        return PREFIX + HexFormat.of().formatHex(xid.encode());
    }

    private TransactionCoordinator coordinator() throws XAException {
        EngineServices running = services.get();
        if (running == null) {
            throw failure(XAException.XAER_RMFAIL, "the Hearth engine is not running");
        }
        return running.transactions();
    }

    private TransactionCoordinator coordinatorOrFail() {
        EngineServices running = services.get();
        if (running == null) {
            throw new IllegalStateException("The Hearth engine is not running");
        }
        return running.transactions();
    }

    private static XAException failure(int code, String message) {
        XAException e = new XAException(message);
        e.errorCode = code;
        return e;
    }

    /** One branch: its Hearth producer identity and the partitions it wrote. */
    private final class Branch implements TransactionalProducer {
        final String transactionalId;
        final long producerId;
        final short producerEpoch;
        final Set<TopicPartitionKey> partitions = new HashSet<>();
        final Map<TopicPartitionKey, Integer> sequences = new HashMap<>();

        Branch(String transactionalId, long producerId, short producerEpoch) {
            this.transactionalId = transactionalId;
            this.producerId = producerId;
            this.producerEpoch = producerEpoch;
        }

        @Override
        public long producerId() {
            return producerId;
        }

        @Override
        public short producerEpoch() {
            return producerEpoch;
        }

        @Override
        public void beforeFirstWrite(String topic, int partition) {
            TopicPartitionKey key = new TopicPartitionKey(topic, partition);
            if (partitions.add(key)) {
                Errors error = coordinatorOrFail().addPartitions(transactionalId, producerId, producerEpoch, List.of(key));
                if (error != Errors.NONE) {
                    partitions.remove(key);
                    throw new IllegalStateException("Could not add " + key + " to transaction " + transactionalId + ": " + error);
                }
            }
        }

        @Override
        public int nextSequence(String topic, int partition, int count) {
            return sequences.merge(new TopicPartitionKey(topic, partition), count, Integer::sum) - count;
        }
    }
}
