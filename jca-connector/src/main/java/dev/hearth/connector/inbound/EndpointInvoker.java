package dev.hearth.connector.inbound;

import java.lang.reflect.Method;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.hearth.connector.client.XaOffsetLog;
import dev.hearth.connector.api.HearthBatchListener;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;
import dev.hearth.group.TopicPartitionKey;

/**
 * Delivers one record (or one batch) to a message-driven bean. beforeDelivery and afterDelivery are always paired,
 * and the endpoint is always released. Transacted delivery commits the consumed offset with the container
 * transaction in one of two ways: with activation property {@code offsetsDataSource}, in the bean's own database
 * ({@link OffsetTable}, exactly-once into that database for XA and non-XA data sources alike); without it, through
 * an {@link OffsetCommitXAResource} enlisted as a second branch (atomic with XA resources only, and only as long as
 * Payara's transaction log and recovery decide in-doubt branches). Either way a successful delivery has committed
 * its offset when this returns. A transacted delivery gets an endpoint of its own (its XAResource is the record's);
 * a non-transacted one reuses an idle endpoint when there is one, as JCA allows serial deliveries through one
 * endpoint, which saves the container a bean-pool round trip and a proxy per record. An endpoint whose delivery
 * failed is released, never reused. Thread-safe: an endpoint is used by one delivery at a time.
 */
final class EndpointInvoker {

    static final Method ON_RECORD;
    static final Method ON_RECORDS;

    static {
        try {
            ON_RECORD = HearthRecordListener.class.getMethod("onRecord", HearthRecord.class);
            ON_RECORDS = HearthBatchListener.class.getMethod("onRecords", List.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageEndpointFactory factory;
    private final boolean batches;
    private final boolean transacted;
    /** Where a transacted bean's consumed offsets are kept in its own database; null for the XA offset commit. */
    private final OffsetTable offsetTable;
    /** Endpoints of a non-transacted bean between deliveries; at most one per concurrent delivery. */
    private final ConcurrentLinkedQueue<MessageEndpoint> idle = new ConcurrentLinkedQueue<>();

    EndpointInvoker(MessageEndpointFactory factory, String offsetsDataSource) throws ResourceException {
        this.factory = factory;
        this.offsetTable = offsetsDataSource == null ? null : new OffsetTable(offsetsDataSource);
        Class<?> beanClass = factory.getEndpointClass();
        this.batches = beanClass != null && HearthBatchListener.class.isAssignableFrom(beanClass)
                && !HearthRecordListener.class.isAssignableFrom(beanClass);
        try {
            this.transacted = factory.isDeliveryTransacted(batches ? ON_RECORDS : ON_RECORD);
        } catch (NoSuchMethodException e) {
            throw new jakarta.resource.NotSupportedException("The bean implements neither HearthRecordListener nor "
                    + "HearthBatchListener", e);
        }
    }

    /** Releases the endpoints kept between deliveries; called when the activation has stopped delivering. */
    void releaseIdleEndpoints() {
        for (MessageEndpoint endpoint = idle.poll(); endpoint != null; endpoint = idle.poll()) {
            endpoint.release();
        }
    }

    boolean transacted() {
        return transacted;
    }

    /** Whether the consumed offsets live in the bean's database ({@link OffsetTable}) rather than in the group. */
    boolean offsetsInDatabase() {
        return transacted && offsetTable != null;
    }

    /** Whether the bean takes batches ({@link HearthBatchListener}) rather than single records. */
    boolean deliversBatches() {
        return batches;
    }

    /**
     * What one delivery came to.
     *
     * @param failure      the bean's exception or a transaction rollback; null on success
     * @param appliedBelow records below this offset were applied by an earlier transaction ({@link OffsetTable});
     *                     -1 if none
     * @param rewindTo     the offset table is behind the delivered records: the consumer goes back to this offset
     *                     (nothing was delivered); -1 if not
     */
    record Outcome(Throwable failure, long appliedBelow, long rewindTo) {
        static final Outcome DELIVERED = new Outcome(null, -1, -1);

        static Outcome failed(Throwable failure) {
            return new Outcome(failure, -1, -1);
        }
    }

    /**
     * Delivers consecutive records of one partition in one call (and, when transacted, one transaction
     * that commits the offset after the last of them).
     */
    Outcome deliverBatch(List<HearthRecord> records, XaOffsetLog xaLog, String groupId, boolean mayRewind) {
        return invoke(records, xaLog, groupId, ON_RECORDS, mayRewind);
    }

    /**
     * @param xaLog   for transacted delivery without an {@link OffsetTable}, where the offset goes when the
     *                transaction commits
     * @param mayRewind the first delivery of its partition since the assignment: an offset table behind the record
     *                  sends the consumer back ({@link OffsetTable#claim})
     */
    Outcome deliver(HearthRecord record, XaOffsetLog xaLog, String groupId, boolean mayRewind) {
        return invoke(List.of(record), xaLog, groupId, ON_RECORD, mayRewind);
    }

    /**
     * One delivery bracket. With an offset table the transaction's only resource is the application's database
     * (no XAResource of Hearth's is enlisted): the claim on the partition's row runs first, and records it shows
     * as applied are not passed to the bean (all of them: the bean is not called, and the empty transaction
     * commits).
     */
    private Outcome invoke(List<HearthRecord> records, XaOffsetLog xaLog, String groupId, Method method,
                           boolean mayRewind) {
        HearthRecord first = records.get(0);
        HearthRecord last = records.get(records.size() - 1);
        TopicPartitionKey partition = new TopicPartitionKey(last.topic(), last.partition());
        OffsetCommitXAResource xa = transacted && offsetTable == null && xaLog != null ? new OffsetCommitXAResource(xaLog,
                new XaOffsetLog.PreparedCommit(groupId, partition, last.offset() + 1)) : null;
        MessageEndpoint endpoint = transacted ? null : idle.poll();
        if (endpoint == null) {
            try {
                endpoint = factory.createEndpoint(xa);
            } catch (jakarta.resource.spi.UnavailableException e) {
                return Outcome.failed(e);
            }
        }
        Throwable failure = null;
        OffsetTable.Claim claim = null;
        try {
            endpoint.beforeDelivery(method);
            try {
                List<HearthRecord> pending = records;
                if (transacted && offsetTable != null) {
                    claim = claimOrRollBack(groupId, partition, first.offset(), last.offset() + 1, mayRewind);
                    pending = claim.behind() ? List.of() : notApplied(records, claim.appliedBelow());
                }
                if (!pending.isEmpty()) {
                    call(endpoint, method, pending);
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                endpoint.afterDelivery();
            }
        } catch (ResourceException | NoSuchMethodException | RuntimeException e) {
            failure = failure != null ? failure : e;
        } finally {
            if (transacted || failure != null) {
                endpoint.release();
            } else {
                idle.offer(endpoint);
            }
        }
        if (failure == null && (xa != null && xa.rolledBack() || claim != null && !claim.outcome().committed())) {
            failure = new IllegalStateException("The container rolled back the delivery transaction");
        }
        if (failure != null) {
            return Outcome.failed(failure);
        }
        if (claim != null && claim.behind()) {
            return new Outcome(null, -1, claim.appliedBelow());
        }
        return claim == null || claim.appliedBelow() <= first.offset() ? Outcome.DELIVERED
                : new Outcome(null, claim.appliedBelow(), -1);
    }

    private OffsetTable.Claim claimOrRollBack(String groupId, TopicPartitionKey partition, long firstOffset,
                                              long nextOffset, boolean mayRewind) throws Exception {
        try {
            return offsetTable.claim(groupId, partition, firstOffset, nextOffset, mayRewind);
        } catch (Exception | Error e) {
            try {
                offsetTable.setRollbackOnly();
            } catch (RuntimeException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
    }

    private static List<HearthRecord> notApplied(List<HearthRecord> records, long appliedBelow) {
        if (appliedBelow <= records.get(0).offset()) {
            return records;
        }
        List<HearthRecord> pending = new java.util.ArrayList<>(records.size());
        for (HearthRecord record : records) {
            if (record.offset() >= appliedBelow) {
                pending.add(record);
            }
        }
        return pending;
    }

    private static void call(MessageEndpoint endpoint, Method method, List<HearthRecord> records) {
        if (method == ON_RECORDS) {
            ((HearthBatchListener) endpoint).onRecords(records);
        } else {
            ((HearthRecordListener) endpoint).onRecord(records.get(0));
        }
    }
}
