package dev.hearth.connector.outbound;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.api.GroupConsumer;
import dev.hearth.connector.api.GroupSubscription;
import dev.hearth.connector.api.ServiceStats;
import dev.hearth.connector.client.EngineServices;
import dev.hearth.connector.api.BrokerStats;
import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.connector.api.TopicPartitionRef;

/**
 * The application's handle. Closed handles refuse calls with a clear error rather than reaching a managed
 * connection the container may have given to someone else. Not thread-safe, as the API says.
 */
public final class HearthConnectionHandle implements HearthConnection {

    private HearthManagedConnection managedConnection;
    private boolean closed;

    HearthConnectionHandle(HearthManagedConnection managedConnection) {
        this.managedConnection = managedConnection;
    }

    HearthManagedConnection managedConnection() {
        return managedConnection;
    }

    void associate(HearthManagedConnection connection) {
        this.managedConnection = connection;
    }

    void invalidate() {
        closed = true;
    }

    private LogClient client() {
        if (closed) {
            throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "This Hearth connection is closed", Map.of());
        }
        return managedConnection.factory().adapter().client();
    }

    @Override
    public ProduceReceipt send(String topic, byte[] key, byte[] value, Map<String, byte[]> headers) {
        return sendBatch(topic, List.of(new OutgoingRecord(null, key, value, headers, null))).get(0);
    }

    @Override
    public List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records) {
        LogClient client = client();
        return client.sendBatch(topic, records, managedConnection.currentTransaction());
    }

    @Override
    public CompletionStage<ProduceReceipt> sendAsync(String topic, byte[] key, byte[] value, Map<String, byte[]> headers) {
        return sendBatchAsync(topic, List.of(new OutgoingRecord(null, key, value, headers, null)))
                .thenApply(receipts -> receipts.get(0));
    }

    @Override
    public CompletionStage<List<ProduceReceipt>> sendBatchAsync(String topic, List<OutgoingRecord> records) {
        EngineServices services = services();
        if (managedConnection.currentTransaction() != null) {
            throw new IllegalStateException("Asynchronous sends cannot take part in a JTA transaction; use sendBatch");
        }
        if (topic != null && topic.startsWith("__")) {
            // Checked here too so that the misuse fails the call rather than only its stage.
            throw new HearthConnectionException(HearthError.INVALID_TOPIC,
                    "Applications cannot write to the internal topic " + topic, Map.of("topic", topic));
        }
        return services.asyncSends().submit(topic, records).copy();
    }

    @Override
    public GroupConsumer joinGroup(GroupSubscription subscription) {
        return MembershipConsumer.join(subscription, services());
    }

    @Override
    public ServiceStats serviceStats() {
        EngineServices services = services();
        return ServiceStatsCollector.collect(services.kafkaLatencies(),
                managedConnection.factory().adapter().deliveryStats());
    }

    /** The running engine's services; NOT_AVAILABLE while it starts or after it stopped. */
    private EngineServices services() {
        client();
        EngineServices services = managedConnection.factory().adapter().services();
        if (services == null) {
            throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "The Hearth log engine is not running",
                    Map.of());
        }
        return services;
    }

    @Override
    public List<HearthRecord> read(String topic, int partition, long offset, int maxRecords, int maxBytes) {
        return client().read(topic, partition, offset, maxRecords, maxBytes);
    }

    @Override
    public OptionalLong offsetForTimestamp(String topic, int partition, long timestamp) {
        return client().offsetForTimestamp(topic, partition, timestamp);
    }

    @Override
    public TopicDescription createTopic(String topic, int partitions, Map<String, String> configs) {
        return client().createTopic(topic, partitions, configs);
    }

    @Override
    public TopicDescription describeTopic(String topic) {
        return client().describeTopic(topic);
    }

    @Override
    public List<TopicDescription> listTopics() {
        return client().listTopics();
    }

    @Override
    public TopicDescription alterTopicConfigs(String topic, Map<String, String> changes) {
        return client().alterTopicConfigs(topic, changes);
    }

    @Override
    public TopicDescription addPartitions(String topic, int totalPartitions) {
        return client().addPartitions(topic, totalPartitions);
    }

    @Override
    public void deleteTopic(String topic) {
        client().deleteTopic(topic);
    }

    @Override
    public List<GroupSummary> listGroups() {
        return client().listGroups();
    }

    @Override
    public GroupDetails describeGroup(String groupId) {
        return client().describeGroup(groupId);
    }

    @Override
    public void resetGroupOffsets(String groupId, Map<TopicPartitionRef, Long> offsets) {
        client().resetGroupOffsets(groupId, offsets);
    }

    @Override
    public void deleteGroup(String groupId) {
        client().deleteGroup(groupId);
    }

    @Override
    public ClusterInfo clusterInfo() {
        LogClient client = client();
        return client.clusterInfo(managedConnection.factory().adapter().status());
    }

    @Override
    public Map<String, String> internalClientProperties() {
        client();
        return managedConnection.factory().adapter().internalClientProperties();
    }

    @Override
    public BrokerStats brokerStats() {
        return client().brokerStats();
    }

    @Override
    public BrokerStatus status() {
        if (closed) {
            throw new HearthConnectionException(HearthError.NOT_AVAILABLE, "This Hearth connection is closed", Map.of());
        }
        return managedConnection.factory().adapter().status();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            managedConnection.handleClosed(this);
        }
    }
}
