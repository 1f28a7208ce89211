package dev.hearth.connector.inbound;

import java.lang.reflect.Method;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.hearth.connector.api.HearthBatchListener;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;
import dev.hearth.group.TopicPartitionKey;

/**
 * Delivers one record to a message-driven bean. beforeDelivery and afterDelivery are always paired, and
 * the endpoint is always released. For transacted delivery the record's offset commit is enlisted in the
 * container transaction through an {@link OffsetCommitXAResource}, so a successful delivery has
 * committed its offset when this returns. A transacted delivery gets an endpoint of its own (its XAResource is
 * the record's); a non-transacted one reuses an idle endpoint when there is one, as JCA allows serial deliveries
 * through one endpoint, which saves the container a bean-pool round trip and a proxy per record. An endpoint
 * whose delivery failed is released, never reused. Thread-safe: an endpoint is used by one delivery at a time.
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
    /** Endpoints of a non-transacted bean between deliveries; at most one per concurrent delivery. */
    private final ConcurrentLinkedQueue<MessageEndpoint> idle = new ConcurrentLinkedQueue<>();

    EndpointInvoker(MessageEndpointFactory factory) throws ResourceException {
        this.factory = factory;
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

    /** Whether the bean takes batches ({@link HearthBatchListener}) rather than single records. */
    boolean deliversBatches() {
        return batches;
    }

    /**
     * Delivers consecutive records of one partition in one call (and, when transacted, one transaction
     * that commits the offset after the last of them).
     */
    Throwable deliverBatch(List<HearthRecord> records, XaOffsetLog xaLog, String groupId) {
        HearthRecord last = records.get(records.size() - 1);
        return invoke(last, xaLog, groupId, ON_RECORDS, endpoint -> ((HearthBatchListener) endpoint).onRecords(records));
    }

    /**
     * @param offsetCommit for transacted delivery, where the offset goes when the transaction commits
     * @return null on success, else what went wrong (the bean's exception or a transaction rollback)
     */
    Throwable deliver(HearthRecord record, XaOffsetLog xaLog, String groupId) {
        return invoke(record, xaLog, groupId, ON_RECORD, endpoint -> ((HearthRecordListener) endpoint).onRecord(record));
    }

    /** @param lastRecord the record whose offset + 1 a transacted delivery commits */
    private Throwable invoke(HearthRecord lastRecord, XaOffsetLog xaLog, String groupId, Method method,
                             java.util.function.Consumer<MessageEndpoint> call) {
        HearthRecord record = lastRecord;
        OffsetCommitXAResource xa = transacted ? new OffsetCommitXAResource(xaLog, new XaOffsetLog.PreparedCommit(
                groupId, new TopicPartitionKey(record.topic(), record.partition()), record.offset() + 1)) : null;
        MessageEndpoint endpoint = transacted ? null : idle.poll();
        if (endpoint == null) {
            try {
                endpoint = factory.createEndpoint(xa);
            } catch (jakarta.resource.spi.UnavailableException e) {
                return e;
            }
        }
        Throwable failure = null;
        try {
            endpoint.beforeDelivery(method);
            try {
                call.accept(endpoint);
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
        if (failure == null && xa != null && xa.rolledBack()) {
            failure = new IllegalStateException("The container rolled back the delivery transaction");
        }
        return failure;
    }
}
