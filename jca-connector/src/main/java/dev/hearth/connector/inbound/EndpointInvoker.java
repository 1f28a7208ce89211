package dev.hearth.connector.inbound;

import java.lang.reflect.Method;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

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

    static {
        try {
            ON_RECORD = HearthRecordListener.class.getMethod("onRecord", HearthRecord.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageEndpointFactory factory;
    private final boolean transacted;

    EndpointInvoker(MessageEndpointFactory factory) throws ResourceException {
        this.factory = factory;
        try {
            this.transacted = factory.isDeliveryTransacted(ON_RECORD);
        } catch (NoSuchMethodException e) {
            throw new jakarta.resource.NotSupportedException("The bean does not implement HearthRecordListener.onRecord", e);
        }
    }

    boolean transacted() {
        return transacted;
    }

    /**
     * @param offsetCommit for transacted delivery, where the offset goes when the transaction commits
     * @return null on success, else what went wrong (the bean's exception or a transaction rollback)
     */
    Throwable deliver(HearthRecord record, XaOffsetLog xaLog, String groupId) {
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
            endpoint.beforeDelivery(ON_RECORD);
            try {
                ((HearthRecordListener) endpoint).onRecord(record);
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
