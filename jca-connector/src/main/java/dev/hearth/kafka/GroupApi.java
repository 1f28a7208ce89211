package dev.hearth.kafka;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;

import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.CommittedOffset;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.group.GroupDescription;
import dev.hearth.group.GroupError;
import dev.hearth.group.GroupOverview;
import dev.hearth.group.JoinRequest;
import dev.hearth.group.JoinResult.Member;
import dev.hearth.group.GroupDescription.MemberDescription;
import dev.hearth.group.JoinRequest.Protocol;
import dev.hearth.group.SyncRequest;
import dev.hearth.group.TopicPartitionKey;

/**
 * The classic consumer-group protocol over Hearth's {@link GroupCoordinator}, the same coordinator that
 * message-driven-bean activations use, so Kafka consumers and MDBs can share a group. Translates between
 * Kafka messages and the coordinator's records; holds no state.
 *
 * <p>Authorization is Kafka's: Join/Sync/Heartbeat/Leave and OffsetCommit need READ on the group (and
 * OffsetCommit READ on each topic), OffsetFetch and DescribeGroups DESCRIBE on the group (OffsetFetch shows only
 * topics the caller may DESCRIBE), ListGroups DESCRIBE on the cluster or lists only groups the caller may
 * DESCRIBE, DeleteGroups DELETE, OffsetDelete DELETE on the group and READ on each topic. Refusals are
 * GROUP_AUTHORIZATION_FAILED / TOPIC_AUTHORIZATION_FAILED and change nothing. Offsets written by a non-member
 * ({@code kafka-consumer-groups --reset-offsets}) or deleted ({@code --delete-offsets}) and deleted groups are
 * recorded in {@link KafkaAuditTopic}.
 *
 * <p>Thread-safe.
 */
final class GroupApi {

    /** The only type of group Hearth runs: Kafka's classic protocol (KIP-848's name for it). */
    private static final String CLASSIC_TYPE = "classic";

    private final GroupCoordinator coordinator;
    private final LogEngine engine;
    private final KafkaAuditTopic audit;

    GroupApi(GroupCoordinator coordinator, LogEngine engine, KafkaAuditTopic audit) {
        this.coordinator = coordinator;
        this.engine = engine;
        this.audit = audit;
    }

    private static CompletableFuture<AbstractResponse> groupDenied(AbstractRequest request) {
        return CompletableFuture.completedFuture(
                request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception()));
    }

    CompletableFuture<AbstractResponse> joinGroup(RequestAuthorizer.Caller caller, RequestContext context,
                                                  AbstractRequest request) {
        JoinGroupRequestData data = ((JoinGroupRequest) request).data();
        if (!caller.mayOnGroup(AclOperation.READ, data.groupId())) {
            return groupDenied(request);
        }
        List<Protocol> protocols = new ArrayList<>();
        data.protocols().forEach(p -> protocols.add(new Protocol(p.name(), p.metadata())));
        JoinRequest join = new JoinRequest(data.groupId(), data.memberId(), data.groupInstanceId(),
                context.clientId(), context.clientAddress.toString(), data.sessionTimeoutMs(),
                request.version() >= 1 ? data.rebalanceTimeoutMs() : data.sessionTimeoutMs(), data.protocolType(),
                protocols, request.version() >= 4);
        return coordinator.join(join).thenApply(result -> {
            JoinGroupResponseData response = new JoinGroupResponseData()
                    .setErrorCode(result.error().code())
                    .setGenerationId(result.generationId())
                    .setProtocolName(result.protocolName())
                    .setLeader(result.leaderId() == null ? "" : result.leaderId())
                    .setMemberId(result.memberId() == null ? "" : result.memberId());
            if (request.version() >= 7) {
                response.setProtocolType(result.protocolType());
            }
            for (Member member : result.members()) {
                response.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
                        .setMemberId(member.memberId())
                        .setGroupInstanceId(member.groupInstanceId())
                        .setMetadata(member.metadata()));
            }
            return new JoinGroupResponse(response, request.version());
        });
    }

    CompletableFuture<AbstractResponse> syncGroup(RequestAuthorizer.Caller caller, AbstractRequest request) {
        SyncGroupRequestData data = ((SyncGroupRequest) request).data();
        if (!caller.mayOnGroup(AclOperation.READ, data.groupId())) {
            return groupDenied(request);
        }
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        data.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        SyncRequest sync = new SyncRequest(data.groupId(), data.memberId(), data.generationId(), data.protocolType(),
                data.protocolName(), assignments);
        return coordinator.sync(sync).thenApply(result -> {
            SyncGroupResponseData response = new SyncGroupResponseData()
                    .setErrorCode(result.error().code())
                    .setAssignment(result.assignment() == null ? new byte[0] : result.assignment());
            if (request.version() >= 5) {
                response.setProtocolType(result.protocolType()).setProtocolName(result.protocolName());
            }
            return new SyncGroupResponse(response);
        });
    }

    AbstractResponse heartbeat(RequestAuthorizer.Caller caller, AbstractRequest request) {
        var data = ((HeartbeatRequest) request).data();
        if (!caller.mayOnGroup(AclOperation.READ, data.groupId())) {
            return request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        GroupError error = coordinator.heartbeat(data.groupId(), data.memberId(), data.generationId());
        return new HeartbeatResponse(new HeartbeatResponseData().setErrorCode(error.code()));
    }

    AbstractResponse leaveGroup(RequestAuthorizer.Caller caller, AbstractRequest request) {
        LeaveGroupRequestData data = ((LeaveGroupRequest) request).data();
        if (!caller.mayOnGroup(AclOperation.READ, data.groupId())) {
            return request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        List<String> memberIds = new ArrayList<>();
        if (request.version() >= 3) {
            data.members().forEach(m -> memberIds.add(m.memberId()));
        } else {
            memberIds.add(data.memberId());
        }
        Map<String, GroupError> errors = coordinator.leave(data.groupId(), memberIds);
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (request.version() >= 3) {
            for (LeaveGroupRequestData.MemberIdentity member : data.members()) {
                response.members().add(new LeaveGroupResponseData.MemberResponse()
                        .setMemberId(member.memberId()).setGroupInstanceId(member.groupInstanceId())
                        .setErrorCode(errors.getOrDefault(member.memberId(), GroupError.NONE).code()));
            }
        } else {
            response.setErrorCode(errors.getOrDefault(data.memberId(), GroupError.NONE).code());
        }
        return new LeaveGroupResponse(response);
    }

    AbstractResponse offsetCommit(RequestAuthorizer.Caller caller, AbstractRequest request) {
        OffsetCommitRequestData data = ((OffsetCommitRequest) request).data();
        if (!caller.mayOnGroup(AclOperation.READ, data.groupId())) {
            return request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        boolean byId = request.version() >= 10;
        Map<TopicPartitionKey, CommittedOffset> offsets = new LinkedHashMap<>();
        Map<OffsetCommitRequestData.OffsetCommitRequestTopic, String> names = new HashMap<>();
        Set<String> deniedTopics = new HashSet<>();
        long now = System.currentTimeMillis();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics()) {
            String name = byId ? engine.topicNameForId(topic.topicId().toString()).orElse(null) : topic.name();
            names.put(topic, name);
            if (name == null) {
                continue;
            }
            if (!caller.mayOnTopic(AclOperation.READ, name)) {
                deniedTopics.add(name);
                continue;
            }
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                offsets.put(new TopicPartitionKey(name, partition.partitionIndex()), new CommittedOffset(
                        partition.committedOffset(), partition.committedLeaderEpoch(), partition.committedMetadata(), now));
            }
        }
        Map<TopicPartitionKey, GroupError> errors = offsets.isEmpty() ? Map.of()
                : coordinator.commitOffsets(data.groupId(), data.memberId(), data.generationIdOrMemberEpoch(), offsets);
        boolean byNonMember = data.generationIdOrMemberEpoch() < 0
                && (data.memberId() == null || data.memberId().isEmpty());
        if (byNonMember) {
            auditOffsetsWritten(caller, data.groupId(), offsets, errors);
        }
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseData.OffsetCommitResponseTopic();
            if (byId) {
                topicResponse.setTopicId(topic.topicId());
            } else {
                topicResponse.setName(topic.name());
            }
            String name = names.get(topic);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                short code = name == null ? Errors.UNKNOWN_TOPIC_ID.code()
                        : deniedTopics.contains(name) ? Errors.TOPIC_AUTHORIZATION_FAILED.code()
                        : errors.getOrDefault(new TopicPartitionKey(name, partition.partitionIndex()), GroupError.NONE).code();
                topicResponse.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(code));
            }
            response.topics().add(topicResponse);
        }
        return new OffsetCommitResponse(response);
    }

    /** Records offsets written by a non-member (a reset by a tool), those the coordinator accepted. */
    private void auditOffsetsWritten(RequestAuthorizer.Caller caller, String groupId,
                                     Map<TopicPartitionKey, CommittedOffset> offsets,
                                     Map<TopicPartitionKey, GroupError> errors) {
        StringBuilder detail = new StringBuilder();
        for (Map.Entry<TopicPartitionKey, CommittedOffset> offset : offsets.entrySet()) {
            if (errors.getOrDefault(offset.getKey(), GroupError.NONE) != GroupError.NONE) {
                continue;
            }
            if (detail.length() > 0) {
                detail.append(", ");
            }
            detail.append(offset.getKey().topic()).append('-').append(offset.getKey().partition()).append('=')
                    .append(offset.getValue().offset());
        }
        if (detail.length() > 0) {
            audit.record(caller, "WRITE_OFFSETS", "group", groupId, detail.toString());
        }
    }

    AbstractResponse offsetFetch(RequestAuthorizer.Caller caller, AbstractRequest request) {
        OffsetFetchRequestData data = ((OffsetFetchRequest) request).data();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (request.version() >= 8) {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups()) {
                if (!caller.mayOnGroup(AclOperation.DESCRIBE, group.groupId())) {
                    response.groups().add(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                            .setGroupId(group.groupId()).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
                } else {
                    response.groups().add(fetchGroup(caller, group, request.version() >= 10));
                }
            }
        } else if (!caller.mayOnGroup(AclOperation.DESCRIBE, data.groupId())) {
            return request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        } else {
            List<TopicPartitionKey> wanted = null;
            if (data.topics() != null) {
                wanted = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : data.topics()) {
                    for (int partition : topic.partitionIndexes()) {
                        wanted.add(new TopicPartitionKey(topic.name(), partition));
                    }
                }
            }
            Map<TopicPartitionKey, CommittedOffset> offsets = coordinator.fetchOffsets(data.groupId(), wanted);
            Map<String, OffsetFetchResponseData.OffsetFetchResponseTopic> topics = new LinkedHashMap<>();
            for (TopicPartitionKey key : wanted == null ? List.copyOf(offsets.keySet()) : wanted) {
                boolean describable = caller.mayOnTopic(AclOperation.DESCRIBE, key.topic());
                if (!describable && wanted == null) {
                    continue; // all topics asked for: those the caller may not describe are left out, as in Kafka
                }
                CommittedOffset committed = describable ? offsets.get(key) : null;
                topics.computeIfAbsent(key.topic(), t -> new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t))
                        .partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                .setErrorCode(describable ? Errors.NONE.code() : Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                .setPartitionIndex(key.partition())
                                .setCommittedOffset(committed == null ? -1 : committed.offset())
                                .setCommittedLeaderEpoch(committed == null ? -1 : committed.leaderEpoch())
                                .setMetadata(committed == null ? "" : committed.metadata()));
            }
            response.setTopics(new ArrayList<>(topics.values()));
        }
        return new OffsetFetchResponse(response, request.version());
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetchGroup(RequestAuthorizer.Caller caller,
                                                                        OffsetFetchRequestData.OffsetFetchRequestGroup group,
                                                                        boolean byId) {
        List<TopicPartitionKey> wanted = null;
        if (group.topics() != null) {
            wanted = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
                String name = byId ? engine.topicNameForId(topic.topicId().toString()).orElse(topic.name()) : topic.name();
                for (int partition : topic.partitionIndexes()) {
                    wanted.add(new TopicPartitionKey(name, partition));
                }
            }
        }
        Map<TopicPartitionKey, CommittedOffset> offsets = coordinator.fetchOffsets(group.groupId(), wanted);
        Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
        for (TopicPartitionKey key : wanted == null ? List.copyOf(offsets.keySet()) : wanted) {
            boolean describable = caller.mayOnTopic(AclOperation.DESCRIBE, key.topic());
            if (!describable && wanted == null) {
                continue; // all topics asked for: those the caller may not describe are left out, as in Kafka
            }
            CommittedOffset committed = describable ? offsets.get(key) : null;
            topics.computeIfAbsent(key.topic(), t -> {
                OffsetFetchResponseData.OffsetFetchResponseTopics topic = new OffsetFetchResponseData.OffsetFetchResponseTopics();
                if (byId) {
                    topic.setTopicId(engine.topicExists(t) ? org.apache.kafka.common.Uuid.fromString(engine.topicId(t))
                            : org.apache.kafka.common.Uuid.ZERO_UUID);
                } else {
                    topic.setName(t);
                }
                return topic;
            }).partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                    .setErrorCode(describable ? Errors.NONE.code() : Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setPartitionIndex(key.partition())
                    .setCommittedOffset(committed == null ? -1 : committed.offset())
                    .setCommittedLeaderEpoch(committed == null ? -1 : committed.leaderEpoch())
                    .setMetadata(committed == null ? "" : committed.metadata()));
        }
        return new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(group.groupId())
                .setTopics(new ArrayList<>(topics.values()));
    }

    /**
     * ListGroups with Kafka's filters: states (v4+) and types (v5+), each matched without regard to case; every
     * Hearth group is a {@code classic} group, so a types filter without {@code classic} (kafka-share-groups
     * asks for {@code share}) lists none.
     */
    AbstractResponse listGroups(RequestAuthorizer.Caller caller, AbstractRequest request) {
        ListGroupsRequestData requested = ((ListGroupsRequest) request).data();
        ListGroupsResponseData response = new ListGroupsResponseData();
        Set<String> states = lowerCase(request.version() >= 4 ? requested.statesFilter() : List.of());
        Set<String> types = lowerCase(request.version() >= 5 ? requested.typesFilter() : List.of());
        if (!types.isEmpty() && !types.contains(CLASSIC_TYPE)) {
            return new ListGroupsResponse(response);
        }
        boolean all = caller.mayOnCluster(AclOperation.DESCRIBE);
        for (GroupOverview group : coordinator.listGroups()) {
            if (!states.isEmpty() && !states.contains(group.state().displayName().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (!all && !caller.mayOnGroup(AclOperation.DESCRIBE, group.groupId())) {
                continue;
            }
            ListGroupsResponseData.ListedGroup listed = new ListGroupsResponseData.ListedGroup()
                    .setGroupId(group.groupId())
                    .setProtocolType(group.protocolType() == null ? "" : group.protocolType());
            if (request.version() >= 4) {
                listed.setGroupState(group.state().displayName());
            }
            if (request.version() >= 5) {
                listed.setGroupType(CLASSIC_TYPE);
            }
            response.groups().add(listed);
        }
        return new ListGroupsResponse(response);
    }

    private static Set<String> lowerCase(List<String> values) {
        Set<String> lowered = new HashSet<>();
        values.forEach(value -> lowered.add(value.toLowerCase(Locale.ROOT)));
        return lowered;
    }

    /**
     * OffsetDelete ({@code kafka-consumer-groups --delete-offsets}), authorized as in Kafka: DELETE on the group
     * (else GROUP_AUTHORIZATION_FAILED for the whole request), READ on each topic (else TOPIC_AUTHORIZATION_FAILED
     * for its partitions); unknown partitions are UNKNOWN_TOPIC_OR_PARTITION. Offsets of topics an active member
     * subscribes to stay (GROUP_SUBSCRIBED_TO_TOPIC). Deletions are recorded in {@link KafkaAuditTopic}.
     */
    AbstractResponse offsetDelete(RequestAuthorizer.Caller caller, AbstractRequest request) {
        OffsetDeleteRequestData requested = ((OffsetDeleteRequest) request).data();
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        if (!caller.mayOnGroup(AclOperation.DELETE, requested.groupId())) {
            return new OffsetDeleteResponse(response.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        Map<TopicPartitionKey, Errors> refused = new HashMap<>();
        List<TopicPartitionKey> deletable = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : requested.topics()) {
            boolean readable = caller.mayOnTopic(AclOperation.READ, topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                TopicPartitionKey key = new TopicPartitionKey(topic.name(), partition.partitionIndex());
                if (!readable) {
                    refused.put(key, Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (!engine.topicExists(topic.name()) || partition.partitionIndex() < 0
                        || partition.partitionIndex() >= engine.partitionCount(topic.name())) {
                    refused.put(key, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    deletable.add(key);
                }
            }
        }
        GroupCoordinator.OffsetDeletion deletion = coordinator.deleteOffsets(requested.groupId(), deletable,
                GroupApi::subscribedTopics);
        if (deletion.groupError() != GroupError.NONE) {
            return new OffsetDeleteResponse(response.setErrorCode(deletion.groupError().code()));
        }
        StringBuilder detail = new StringBuilder();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : requested.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                TopicPartitionKey key = new TopicPartitionKey(topic.name(), partition.partitionIndex());
                short code = refused.containsKey(key) ? refused.get(key).code()
                        : deletion.partitionErrors().getOrDefault(key, GroupError.NONE).code();
                if (code == Errors.NONE.code()) {
                    detail.append(detail.length() == 0 ? "" : ", ").append(key.topic()).append('-')
                            .append(key.partition());
                }
                topicResponse.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(code));
            }
            response.topics().add(topicResponse);
        }
        if (detail.length() > 0) {
            audit.record(caller, "DELETE_OFFSETS", "group", requested.groupId(), detail.toString());
        }
        return new OffsetDeleteResponse(response);
    }

    /** The topics the members of a {@code consumer} group subscribe to, from their protocol metadata. */
    private static Set<String> subscribedTopics(GroupDescription group) {
        Set<String> topics = new HashSet<>();
        for (MemberDescription member : group.members()) {
            if (member.metadata() == null || member.metadata().length == 0) {
                continue;
            }
            try {
                topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(member.metadata())).topics());
            } catch (RuntimeException e) {
                // Metadata Kafka's consumer protocol cannot read (another client's): it protects nothing, as in Kafka.
            }
        }
        return topics;
    }

    AbstractResponse describeGroups(RequestAuthorizer.Caller caller, AbstractRequest request) {
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String groupId : ((DescribeGroupsRequest) request).data().groups()) {
            if (!caller.mayOnGroup(AclOperation.DESCRIBE, groupId)) {
                response.groups().add(DescribeGroupsResponse.groupError(groupId, Errors.GROUP_AUTHORIZATION_FAILED));
                continue;
            }
            GroupDescription group = coordinator.describe(groupId);
            DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup()
                    .setGroupId(groupId)
                    .setGroupState(group.state().displayName())
                    .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                    .setProtocolData(group.protocolName() == null ? "" : group.protocolName());
            for (MemberDescription member : group.members()) {
                described.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                        .setMemberId(member.memberId())
                        .setGroupInstanceId(member.groupInstanceId())
                        .setClientId(member.clientId())
                        .setClientHost(member.clientHost())
                        .setMemberMetadata(member.metadata() == null ? new byte[0] : member.metadata())
                        .setMemberAssignment(member.assignment() == null ? new byte[0] : member.assignment()));
            }
            response.groups().add(described);
        }
        return new DescribeGroupsResponse(response);
    }

    AbstractResponse deleteGroups(RequestAuthorizer.Caller caller, AbstractRequest request) {
        List<String> groupIds = ((DeleteGroupsRequest) request).data().groupsNames();
        List<String> allowed = new ArrayList<>();
        for (String groupId : groupIds) {
            if (caller.mayOnGroup(AclOperation.DELETE, groupId)) {
                allowed.add(groupId);
            }
        }
        Map<String, GroupError> errors = allowed.isEmpty() ? Map.of() : coordinator.deleteGroups(allowed);
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        for (String groupId : groupIds) {
            short code;
            if (!allowed.contains(groupId)) {
                code = Errors.GROUP_AUTHORIZATION_FAILED.code();
            } else {
                code = errors.getOrDefault(groupId, GroupError.NONE).code();
                if (code == Errors.NONE.code()) {
                    audit.record(caller, "DELETE_GROUP", "group", groupId, "");
                }
            }
            response.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                    .setGroupId(groupId).setErrorCode(code));
        }
        return new DeleteGroupsResponse(response);
    }
}
