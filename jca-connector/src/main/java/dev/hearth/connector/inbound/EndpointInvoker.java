package dev.hearth.connector.inbound;

import java.lang.reflect.Method;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.util.List;

import dev.hearth.connector.api.HearthBatchListener;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;
import dev.hearth.group.TopicPartitionKey;

/**
 * Delivers one record to a message-driven bean. beforeDelivery and afterDelivery are always paired, and
 * the endpoint is always released. For transacted delivery the record's offset commit is enlisted in the
 * container transaction through an {@link OffsetCommitXAResource}, so a successful delivery has
 * committed its offset when this returns. Thread-safe (an endpoint per call).
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
        MessageEndpoint endpoint;
        try {
            endpoint = factory.createEndpoint(xa);
        } catch (jakarta.resource.spi.UnavailableException e) {
            return e;
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
            endpoint.release();
        }
        if (failure == null && xa != null && xa.rolledBack()) {
            failure = new IllegalStateException("The container rolled back the delivery transaction");
        }
        return failure;
    }
}
