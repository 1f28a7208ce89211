package dev.hearth.record.boundary;

import java.util.List;
import java.util.OptionalLong;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.platform.control.LogConnections;
import dev.hearth.record.control.RecordSearch;

/** Produces and reads records for callers that do not speak the Kafka protocol (REST, console). */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RecordGateway {

    @Inject
    LogConnections connections;

    /**
     * Durable (per the flush policy) when it returns; receipts in the order of {@code records}. Unlike an
     * application's send, a topic that does not exist is an error here (404 over HTTP, as Confluent's REST API
     * answers), so that HTTP callers create topics only through the topics resource.
     */
    public List<ProduceReceipt> produce(String topic, List<OutgoingRecord> records) {
        return connections.apply(connection -> {
            connection.describeTopic(topic);
            return connection.sendBatch(topic, records);
        });
    }

    public List<HearthRecord> read(String topic, int partition, long offset, int maxRecords, int maxBytes) {
        return connections.apply(connection -> connection.read(topic, partition, offset, maxRecords, maxBytes));
    }

    /** A bounded scan of {@code topic} (see {@link RecordSearch}), on one connection. */
    public RecordSearch.Result search(String topic, RecordSearch search) {
        return connections.apply(connection -> search.scan(connection, topic));
    }

    public OptionalLong offsetForTimestamp(String topic, int partition, long timestamp) {
        return connections.apply(connection -> connection.offsetForTimestamp(topic, partition, timestamp));
    }
}
