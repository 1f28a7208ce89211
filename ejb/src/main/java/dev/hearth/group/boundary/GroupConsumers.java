package dev.hearth.group.boundary;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.connector.api.GroupConsumer;
import dev.hearth.connector.api.GroupSubscription;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.group.control.ConsumerInstance;
import dev.hearth.platform.control.LogConnections;

/**
 * The HTTP members of consumer groups, by id. A member joins the group when created, reads by long polls,
 * commits, and leaves when deleted. One not used within its session timeout has been dropped by the group
 * coordinator (its partitions went to the others); it is closed here too, when next named (MEMBER_NOT_FOUND)
 * or by the sweep every {@value #SWEEP_SECONDS} seconds, whichever comes first. Members live in this server's
 * memory: a restart ends them, as it ends Kafka clients' sessions.
 *
 * <p>Not transactional. Thread-safety: bean-managed concurrency, so long polls of different members run in
 * parallel; the registry is a concurrent map and each member serializes its own calls.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class GroupConsumers {

    private static final Logger LOG = Logger.getLogger(GroupConsumers.class.getName());
    static final int SWEEP_SECONDS = 2;

    @Inject
    LogConnections connections;

    private final Map<String, ConsumerInstance> members = new ConcurrentHashMap<>();

    /**
     * Joins {@code subscription}'s group as a new member owned by {@code owner} (null when security is off).
     * The join completes during the first polls.
     */
    public ConsumerInstance create(GroupSubscription subscription, String owner) {
        GroupConsumer consumer = connections.apply(connection -> connection.joinGroup(subscription));
        ConsumerInstance instance = new ConsumerInstance(UUID.randomUUID().toString(), owner, subscription, consumer);
        members.put(instance.id(), instance);
        LOG.fine(() -> "HEARTH-0740 HTTP member " + instance.id() + " joined group " + subscription.groupId());
        return instance;
    }

    /** The live member {@code memberId} of {@code groupId}; MEMBER_NOT_FOUND if unknown, deleted or expired. */
    public ConsumerInstance find(String groupId, String memberId) {
        ConsumerInstance instance = members.get(memberId);
        if (instance != null && instance.expired(System.nanoTime())) {
            expire(instance);
            instance = null;
        }
        if (instance == null || !instance.subscription().groupId().equals(groupId)) {
            throw new HearthConnectionException(HearthError.MEMBER_NOT_FOUND, "Group '" + groupId + "' has no HTTP "
                    + "member '" + memberId + "' (deleted, never created, or expired after its session timeout)",
                    Map.of("group", groupId, "member", memberId));
        }
        return instance;
    }

    public List<HearthRecord> poll(ConsumerInstance instance, long maxWaitMs, int maxRecords, int maxBytes) {
        return instance.use(() -> instance.consumer().poll(maxWaitMs, maxRecords, maxBytes));
    }

    public java.util.Set<TopicPartitionRef> assignment(ConsumerInstance instance) {
        return instance.use(() -> instance.consumer().assignment());
    }

    /** Commits explicit next offsets; COMMIT_FAILED for partitions the member is not assigned. */
    public void commit(ConsumerInstance instance, Map<TopicPartitionRef, Long> offsets) {
        instance.use(() -> {
            instance.consumer().commit(offsets);
            return null;
        });
    }

    /** Commits everything the member's polls returned; answers the offsets committed. */
    public Map<TopicPartitionRef, Long> commitPositions(ConsumerInstance instance) {
        return instance.use(() -> instance.consumer().commitPositions());
    }

    /** Leaves the group; the remaining members rebalance at once. */
    public void delete(ConsumerInstance instance) {
        if (members.remove(instance.id(), instance)) {
            instance.consumer().close();
        }
    }

    @Schedule(second = "*/" + SWEEP_SECONDS, minute = "*", hour = "*", persistent = false)
    void expireIdle() {
        long now = System.nanoTime();
        for (ConsumerInstance instance : List.copyOf(members.values())) {
            if (instance.expired(now)) {
                expire(instance);
            }
        }
    }

    private void expire(ConsumerInstance instance) {
        if (members.remove(instance.id(), instance)) {
            LOG.info(() -> "HEARTH-0741 HTTP member " + instance.id() + " of group " + instance.subscription().groupId()
                    + " expired: not polled within its session timeout of " + instance.subscription().sessionTimeoutMs()
                    + " ms");
            instance.consumer().close();
        }
    }

    @PreDestroy
    void leaveAll() {
        for (ConsumerInstance instance : List.copyOf(members.values())) {
            delete(instance);
        }
    }
}
