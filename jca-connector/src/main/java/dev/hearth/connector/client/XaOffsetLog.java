package dev.hearth.connector.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.transaction.xa.Xid;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.CommittedOffset;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.group.TopicPartitionKey;

/**
 * The durable half of transacted delivery: offset commits that a JTA transaction prepared but has not yet
 * decided, kept in the internal topic {@code __hearth_xa} (key: the Xid; value: group, partition and
 * offset; a null value marks the branch decided). After a crash between prepare and commit, the
 * branch is replayed as prepared and {@code recover} returns it to a transaction manager that asks through
 * {@code ResourceAdapter.getXAResources()}; commit and rollback are idempotent (an unknown or decided branch is a
 * no-op), so a decision may arrive twice.
 *
 * <p>Limits, measured on Payara Micro 6.2025.10 with its transaction log kept under the data directory: Payara's
 * automatic recovery of inbound transactions runs at start-up before the adapter is deployed, so a branch left in
 * doubt by a crash stays prepared here, and its record is delivered again from the last committed offset. That is
 * why exactly-once into an application's database uses {@code OffsetTable} (inbound) (activation property
 * {@code offsetsDataSource}) rather than this log.
 *
 * <p>Thread-safety: all methods synchronize on this log.
 */
public final class XaOffsetLog {

    public static final String TOPIC = "__hearth_xa";
    private static final Logger LOG = Logger.getLogger(XaOffsetLog.class.getName());

    private final LogEngine engine;
    private final GroupCoordinator groups;
    private final Map<HearthXid, PreparedCommit> prepared = new HashMap<>();

    public XaOffsetLog(LogEngine engine, GroupCoordinator groups) {
        this.engine = engine;
        this.groups = groups;
        engine.ensureInternalTopic(TOPIC);
        replay();
    }

    /** An offset commit waiting for its transaction's outcome. */
    public record PreparedCommit(String groupId, TopicPartitionKey partition, long offset) {
    }

    private void replay() {
        engine.replay(TOPIC, 0, record -> {
            if (!record.hasKey()) {
                return;
            }
            HearthXid xid = HearthXid.decode(record.key());
            if (record.hasValue()) {
                prepared.put(xid, decode(record.value()));
            } else {
                prepared.remove(xid);
            }
        });
        if (!prepared.isEmpty()) {
            LOG.warning(() -> "HEARTH-0710 " + prepared.size() + " transacted delivery(ies) were prepared but not "
                    + "decided when the server stopped; the transaction manager completes them through recovery");
        }
    }

    public synchronized void prepare(Xid xid, PreparedCommit commit) {
        HearthXid key = HearthXid.of(xid);
        append(key, encode(commit));
        prepared.put(key, commit);
    }

    /** Applies the offset commit: of a prepared branch, or directly ({@code onePhase}). */
    public synchronized void commit(Xid xid, PreparedCommit onePhase) {
        HearthXid key = HearthXid.of(xid);
        PreparedCommit commit = onePhase != null ? onePhase : prepared.get(key);
        if (commit != null) {
            groups.commitTransactionalOffsets(commit.groupId(),
                    Map.of(commit.partition(), CommittedOffset.of(commit.offset())));
        }
        if (prepared.remove(key) != null) {
            append(key, null);
        }
    }

    public synchronized void rollback(Xid xid) {
        HearthXid key = HearthXid.of(xid);
        if (prepared.remove(key) != null) {
            append(key, null);
        }
    }

    public synchronized List<Xid> preparedXids() {
        return List.copyOf(prepared.keySet());
    }

    private void append(HearthXid xid, byte[] value) {
        engine.append(TOPIC, 0, MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), xid.encode(), value)));
    }

    private static byte[] encode(PreparedCommit commit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(commit.groupId());
            out.writeUTF(commit.partition().topic());
            out.writeInt(commit.partition().partition());
            out.writeLong(commit.offset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static PreparedCommit decode(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return new PreparedCommit(in.readUTF(), new TopicPartitionKey(in.readUTF(), in.readInt()), in.readLong());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "HEARTH-0711 Unreadable " + TOPIC + " record", e);
            throw new UncheckedIOException(e);
        }
    }
}
