package dev.hearth.group.boundary;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.audit.control.AuditAction;
import dev.hearth.audit.control.AuditTrail;
import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.group.control.OffsetReset;
import dev.hearth.platform.control.LogConnections;

/**
 * Consumer-group administration for the REST API and the console. Offset resets and deletions are durable
 * when they return and are not transactional; each one that succeeded is then written to the audit trail.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class GroupAdmin {

    @Inject
    LogConnections connections;

    @Inject
    AuditTrail audit;

    public List<GroupSummary> list() {
        return connections.apply(connection -> connection.listGroups());
    }

    public GroupDetails describe(String groupId) {
        return connections.apply(connection -> connection.describeGroup(groupId));
    }

    /** The topics a reset concerns (see {@link OffsetReset#topicsConcerned}), to authorize it first. */
    public List<String> topicsConcerned(String groupId, OffsetReset reset) {
        return connections.apply(connection -> reset.topicsConcerned(connection, groupId));
    }

    /**
     * Resolves {@code reset} against the partitions' current offsets and commits the result, in one connection.
     *
     * @return the offsets committed, per partition
     */
    public Map<TopicPartitionRef, Long> resetOffsets(String groupId, OffsetReset reset) {
        Map<TopicPartitionRef, Long> committed = connections.apply(connection -> {
            Map<TopicPartitionRef, Long> offsets = reset.resolve(connection, groupId);
            connection.resetGroupOffsets(groupId, offsets);
            return offsets;
        });
        Map<String, Long> byPartition = new TreeMap<>();
        committed.forEach((partition, offset) -> byPartition.put(partition.topic() + "-" + partition.partition(), offset));
        audit.record(AuditAction.RESET_OFFSETS, groupId, byPartition.toString());
        return committed;
    }

    /**
     * Resolves {@code reset} against the partitions' current offsets without committing anything: what
     * {@link #resetOffsets} would commit now. Not audited, as it changes nothing.
     *
     * @return the offsets a reset would commit, per partition
     */
    public Map<TopicPartitionRef, Long> previewReset(String groupId, OffsetReset reset) {
        return connections.apply(connection -> reset.resolve(connection, groupId));
    }

    public void delete(String groupId) {
        connections.accept(connection -> connection.deleteGroup(groupId));
        audit.record(AuditAction.DELETE_GROUP, groupId, "");
    }
}
