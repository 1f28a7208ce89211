package dev.hearth.connector.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * A handle on Hearth's log, obtained from {@link HearthConnectionFactory}. Not thread-safe: use it from one
 * thread and close it (try-with-resources). Sends are durable per the engine's flush policy before they
 * return (asynchronous sends: before their stage completes). Failures are {@link HearthConnectionException}s
 * carrying a {@link HearthError}.
 */
public interface HearthConnection extends AutoCloseable {

    /** Appends one record; the partition is chosen from the key (murmur2, as Kafka) or round-robin. */
    ProduceReceipt send(String topic, byte[] key, byte[] value, Map<String, byte[]> headers);

    /** Appends records as one batch per partition, in order; receipts are in the order of {@code records}. */
    List<ProduceReceipt> sendBatch(String topic, List<OutgoingRecord> records);

    /**
     * Appends one record without waiting: the stage completes, on an adapter thread, once the record is
     * durable per the flush policy, or exceptionally with a {@link HearthConnectionException} (NOT_AVAILABLE
     * when too many sends are pending). Records sent in sequence to one partition keep their order only if
     * each is sent after the previous completed; use {@link #sendBatchAsync} for an ordered group. Not part of
     * any JTA transaction: refused with {@link IllegalStateException} inside one.
     */
    CompletionStage<ProduceReceipt> sendAsync(String topic, byte[] key, byte[] value, Map<String, byte[]> headers);

    /** As {@link #sendBatch}, asynchronously as {@link #sendAsync}: receipts in the order of {@code records}. */
    CompletionStage<List<ProduceReceipt>> sendBatchAsync(String topic, List<OutgoingRecord> records);

    /**
     * Joins a consumer group as a new member (Kafka's consumer protocol, shared with Kafka clients and
     * message-driven beans). The join completes during the member's first polls. The member outlives this
     * connection; close it to leave the group.
     */
    GroupConsumer joinGroup(GroupSubscription subscription);

    /**
     * Reads records of one partition from {@code offset}, at most {@code maxRecords} and about
     * {@code maxBytes}. Empty at the log end.
     */
    List<HearthRecord> read(String topic, int partition, long offset, int maxRecords, int maxBytes);

    /** The first offset with timestamp at or after {@code timestamp}; empty when all records are older. */
    OptionalLong offsetForTimestamp(String topic, int partition, long timestamp);

    TopicDescription createTopic(String topic, int partitions, Map<String, String> configs);

    TopicDescription describeTopic(String topic);

    List<TopicDescription> listTopics();

    TopicDescription alterTopicConfigs(String topic, Map<String, String> changes);

    TopicDescription addPartitions(String topic, int totalPartitions);

    void deleteTopic(String topic);

    /** Every consumer group, ordered by id: those with members and those that only store offsets. */
    List<GroupSummary> listGroups();

    /** The group's members and its committed offsets with lag; GROUP_NOT_FOUND for an unknown group. */
    GroupDetails describeGroup(String groupId);

    /**
     * Commits new offsets for a group that has no members (as {@code kafka-consumer-groups --reset-offsets}).
     * Partitions not mentioned keep their committed offsets. GROUP_NOT_EMPTY while the group has members.
     */
    void resetGroupOffsets(String groupId, Map<TopicPartitionRef, Long> offsets);

    /** Deletes a group without members and its committed offsets; GROUP_NOT_EMPTY or GROUP_NOT_FOUND. */
    void deleteGroup(String groupId);

    /** The broker's identity, Kafka listener, state and topic and partition counts. */
    ClusterInfo clusterInfo();

    /** Produce, fetch and flush counters and partition sizes, for metrics. */
    BrokerStats brokerStats();

    /** Kafka request latencies per API and message-driven-bean delivery counts, for metrics. */
    ServiceStats serviceStats();

    /** Whether the engine has finished recovery and serves requests. */
    BrokerStatus status();

    @Override
    void close();

    /**
     * kafka-clients properties with which Hearth's own components (stream-job workers, bounded runs) reach Hearth's
     * Kafka listener as its internal super user: {@code bootstrap.servers}, {@code security.protocol} and, as the
     * listener needs them, {@code sasl.mechanism}, {@code sasl.jaas.config} (a secret: never log these) and
     * {@code ssl.*}. Empty when the Kafka listener is disabled. With {@code hearth.backend=kafka}: the cluster's
     * properties ({@code hearth.backend.*}) plus {@code hearth.instance.id}, which is not a Kafka property and names
     * this app-server instance among those sharing the cluster. Meant for Hearth itself, not for applications.
     */
    Map<String, String> internalClientProperties();

    /**
     * The key of {@link #internalClientProperties()} that names this app-server instance on a Kafka cluster; not a
     * Kafka property, so Hearth's own clients take it out before they use the rest.
     */
    String INSTANCE_ID_PROPERTY = "hearth.instance.id";

    // Security: Hearth's one user directory and Kafka's ACLs, shared with the Kafka listener. Principals are
    // Kafka's text form, User:<name>; hosts are client addresses as InetAddress.getHostAddress() writes them.

    /**
     * Checks a user's password against the user directory (cheaply when repeated, see the adapter's
     * {@code PasswordChecks}).
     *
     * @return the user's principal, {@code User:<name>}, or empty for an unknown user, a wrong password or the name
     *         {@code ANONYMOUS} (the principal of clients that did not authenticate)
     * @throws HearthConnectionException {@link HearthError#LOGIN_BUSY} (with {@code retryAfterSeconds}) when the
     *                                   password was not checked because too many checks run at once
     */
    Optional<String> authenticate(String user, char[] password);

    /**
     * Kafka's decision: whether {@code principal} connecting from {@code host} may perform {@code operation} on the
     * resource. Always true when security is disabled; super users may do everything.
     *
     * @param operation    a Kafka {@code AclOperation} name ({@code READ}, {@code DESCRIBE}…)
     * @param resourceType a Kafka {@code ResourceType} name ({@code TOPIC}, {@code CLUSTER}…)
     * @param resourceName the resource; {@code kafka-cluster} for the cluster
     * @throws HearthConnectionException {@link HearthError#INVALID_REQUEST} for an unknown name or malformed principal
     */
    boolean authorize(String principal, String host, String operation, String resourceType, String resourceName);

    /** The ACLs the filter matches, in creation order. */
    List<AclEntry> listAcls(AclFilter filter);

    /**
     * Creates ACLs (an existing one is kept as it is), all or none: when one is invalid, none is created and the
     * failure ({@link HearthError#INVALID_REQUEST}) says which and why. Durable on return.
     */
    void createAcls(List<AclEntry> entries);

    /**
     * Deletes the ACLs the filter matches; durable on return.
     *
     * @return those deleted, in creation order
     */
    List<AclEntry> deleteAcls(AclFilter filter);

    /** Every user, by name, with its SCRAM mechanisms and iterations; never a secret. */
    List<UserDescription> listUsers();

    /**
     * Gives the user (created if new) SCRAM-SHA-256 and SCRAM-SHA-512 credentials derived from {@code password}
     * with a fresh salt; the password itself is not kept. Durable on return.
     *
     * @throws HearthConnectionException {@link HearthError#INVALID_REQUEST} for an invalid name (or {@code ANONYMOUS})
     *                                   or an empty password
     */
    void setUserPassword(String user, char[] password);

    /**
     * Removes the user and its credentials (not its ACLs, as Kafka). Durable on return.
     *
     * @throws HearthConnectionException {@link HearthError#USER_NOT_FOUND} for an unknown user
     */
    void deleteUser(String user);

    /** Whether anything is checked: false when {@code hearth.security.enabled=false}. */
    boolean securityEnabled();
}
