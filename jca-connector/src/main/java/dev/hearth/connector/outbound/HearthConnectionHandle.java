package dev.hearth.connector.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.api.GroupConsumer;
import dev.hearth.connector.api.GroupSubscription;
import dev.hearth.connector.api.ServiceStats;
import dev.hearth.connector.client.BackendServices;
import dev.hearth.connector.client.EngineServices;
import dev.hearth.connector.client.TransactionalSends;
import dev.hearth.connector.cluster.ClusterGroupConsumer;
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
import dev.hearth.connector.api.AclEntry;
import dev.hearth.connector.api.AclFilter;
import dev.hearth.connector.api.UserDescription;
import dev.hearth.security.HearthSecurity;
import dev.hearth.security.LoginBusyException;
import dev.hearth.security.Principals;
import dev.hearth.security.ScramUserStore;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

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
        TransactionalSends outbox = managedConnection.factory().adapter().onCluster() ? services().outbox() : null;
        if (outbox != null && outbox.inTransaction()) {
            return outbox.send(topic, records);
        }
        return client.sendBatch(topic, records, managedConnection.currentTransaction());
    }

    @Override
    public CompletionStage<ProduceReceipt> sendAsync(String topic, byte[] key, byte[] value, Map<String, byte[]> headers) {
        return sendBatchAsync(topic, List.of(new OutgoingRecord(null, key, value, headers, null)))
                .thenApply(receipts -> receipts.get(0));
    }

    @Override
    public CompletionStage<List<ProduceReceipt>> sendBatchAsync(String topic, List<OutgoingRecord> records) {
        BackendServices services = services();
        if (managedConnection.currentTransaction() != null
                || services.outbox() != null && services.outbox().inTransaction()) {
            throw new IllegalStateException("Asynchronous sends cannot take part in a JTA transaction; use sendBatch");
        }
        // Checked here too so that the misuse fails the call rather than only its stage.
        LogClient.requireApplicationTopic(topic);
        return services.asyncSends().submit(topic, records).copy();
    }

    @Override
    public GroupConsumer joinGroup(GroupSubscription subscription) {
        EngineServices engine = services().engine();
        if (engine != null) {
            return MembershipConsumer.join(subscription, engine);
        }
        Map<String, String> cluster = new java.util.HashMap<>(internalClientProperties());
        cluster.remove(INSTANCE_ID_PROPERTY);
        return ClusterGroupConsumer.join(subscription, cluster, client());
    }

    @Override
    public ServiceStats serviceStats() {
        BackendServices services = services();
        return ServiceStatsCollector.collect(services.kafkaLatencies(),
                managedConnection.factory().adapter().deliveryStats());
    }

    /** The running engine's services; NOT_AVAILABLE while it starts or after it stopped. */
    private BackendServices services() {
        client();
        BackendServices services = managedConnection.factory().adapter().services();
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

    @Override
    public Optional<String> authenticate(String user, char[] password) {
        HearthSecurity security = services().security();
        if (KafkaPrincipal.ANONYMOUS.getName().equals(user)) {
            // User:ANONYMOUS is who did not authenticate (a super user by default): no login may claim it.
            return Optional.empty();
        }
        try {
            return security.passwords().check(user, password)
                    ? Optional.of(Principals.text(Principals.user(user))) : Optional.empty();
        } catch (LoginBusyException e) {
            throw new HearthConnectionException(HearthError.LOGIN_BUSY, e.getMessage(),
                    Map.of("retryAfterSeconds", e.retryAfterSeconds()));
        }
    }

    @Override
    public boolean authorize(String principal, String host, String operation, String resourceType,
                             String resourceName) {
        HearthSecurity security = services().security();
        KafkaPrincipal caller;
        try {
            caller = Principals.parse(principal);
        } catch (IllegalArgumentException e) {
            throw AclTranslation.invalid("principal '" + principal + "': " + e.getMessage());
        }
        return security.authorize(caller, host, AclTranslation.operation(operation),
                AclTranslation.resourceType(resourceType), resourceName);
    }

    @Override
    public List<AclEntry> listAcls(AclFilter filter) {
        return services().security().acls().acls(AclTranslation.filter(filter)).stream()
                .map(AclTranslation::entry).toList();
    }

    @Override
    public void createAcls(List<AclEntry> entries) {
        HearthSecurity security = services().security();
        List<AclBinding> bindings = new ArrayList<>(entries.size());
        for (AclEntry entry : entries) {
            bindings.add(AclTranslation.binding(entry));
        }
        List<Optional<String>> problems = security.acls().create(bindings);
        for (int i = 0; i < problems.size(); i++) {
            if (problems.get(i).isPresent()) {
                // Validated above, so only a change of the rules between the two calls gets here.
                throw AclTranslation.invalid(problems.get(i).get() + ": " + entries.get(i));
            }
        }
    }

    @Override
    public List<AclEntry> deleteAcls(AclFilter filter) {
        return services().security().acls().delete(List.of(AclTranslation.filter(filter))).get(0).stream()
                .map(AclTranslation::entry).toList();
    }

    @Override
    public List<UserDescription> listUsers() {
        List<UserDescription> users = new ArrayList<>();
        services().security().users().describe().forEach((name, mechanisms) -> {
            Map<String, Integer> iterations = new TreeMap<>();
            mechanisms.forEach((mechanism, count) -> iterations.put(mechanism.mechanismName(), count));
            users.add(new UserDescription(name, iterations));
        });
        return users;
    }

    @Override
    public void setUserPassword(String user, char[] password) {
        ScramUserStore users = services().security().users();
        if (password == null || password.length == 0) {
            throw AclTranslation.invalid("The password must not be empty");
        }
        if (KafkaPrincipal.ANONYMOUS.getName().equals(user)) {
            throw AclTranslation.invalid("ANONYMOUS names clients that did not authenticate; it cannot be a user");
        }
        try {
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                users.setPassword(user, mechanism, password, ScramUserStore.DEFAULT_ITERATIONS);
            }
        } catch (IllegalArgumentException e) {
            throw AclTranslation.invalid("User '" + user + "': " + e.getMessage());
        }
    }

    @Override
    public void deleteUser(String user) {
        if (!services().security().users().deleteUser(user)) {
            throw new HearthConnectionException(HearthError.USER_NOT_FOUND, "There is no user '" + user + "'",
                    Map.of("user", user));
        }
    }

    @Override
    public boolean securityEnabled() {
        return services().security().enabled();
    }
}
