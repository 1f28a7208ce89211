package dev.hearth.group.boundary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.core.Response;

import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.GroupSummary;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.group.control.OffsetReset;
import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;

import dev.hearth.security.boundary.Caller;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;
/**
 * Consumer groups, shaped after Confluent REST Proxy v3 ({@code /v3/clusters/{cluster}/consumer-groups}), with
 * Hearth's additions: committed offsets with lag, offset reset and deletion. Stateless; thread-safe.
 */
@Path("/v3/clusters/{clusterId}/consumer-groups")
@Produces(MediaType.APPLICATION_JSON)
public class ConsumerGroupsResource {

    @Inject
    GroupAdmin groups;

    @Inject
    ClusterPath cluster;

    @Inject
    Caller caller;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.GROUP, named = RequiresAcl.EACH_LISTED)
    @Operation(operationId = "listConsumerGroups")
    @GET
    public JsonObject list(@PathParam("clusterId") String clusterId) {
        cluster.require(clusterId);
        JsonArrayBuilder data = Json.createArrayBuilder();
        List<GroupSummary> all = groups.list();
        // As Kafka's ListGroups: every group for Describe on the cluster, else those the caller may describe.
        Set<String> visible = caller.may(AclOperation.DESCRIBE, AclResourceType.CLUSTER, AclResourceType.CLUSTER_NAME)
                ? null : caller.allowed(AclOperation.DESCRIBE, AclResourceType.GROUP,
                        all.stream().map(GroupSummary::groupId).toList());
        for (GroupSummary group : all) {
            if (visible != null && !visible.contains(group.groupId())) {
                continue;
            }
            data.add(Json.createObjectBuilder()
                    .add("kind", "KafkaConsumerGroup")
                    .add("cluster_id", clusterId)
                    .add("consumer_group_id", group.groupId())
                    .add("is_simple", group.protocolType().isEmpty())
                    .add("state", group.state())
                    .add("protocol_type", group.protocolType())
                    .add("members_count", group.memberCount())
                    .add("total_lag", group.totalLag()));
        }
        return Json.createObjectBuilder().add("kind", "KafkaConsumerGroupList").add("data", data).build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.GROUP, named = "group")
    @Operation(operationId = "getConsumerGroup")
    @GET
    @Path("{group}")
    public JsonObject describe(@PathParam("clusterId") String clusterId, @PathParam("group") String groupId) {
        cluster.require(clusterId);
        return toJson(clusterId, visibleOffsets(groups.describe(groupId)));
    }

    /**
     * Body: {@code {"to": "earliest" | "latest" | "timestamp" | "offsets", "timestamp": <epoch ms>,
     * "topics": ["..."], "offsets": [{"topic_name", "partition_id", "offset"}], "dry_run": false}}. Answers the
     * offsets committed ({@code committed_offset}); with {@code "dry_run": true} it commits nothing and answers
     * the offsets the same reset would commit now ({@code new_offset}), for a preview that the console then commits
     * partition by partition with {@code "to": "offsets"}.
     */
    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.GROUP, named = "group")
    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.TOPIC, named = RequiresAcl.BY_METHOD)
    @Operation(operationId = "resetConsumerGroupOffsets")
    @POST
    @Path("{group}/offsets:reset")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject resetOffsets(@PathParam("clusterId") String clusterId, @PathParam("group") String groupId,
                                   JsonValue body) {
        cluster.require(clusterId);
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        OffsetReset reset = resetOf(request);
        boolean dryRun = dryRunOf(request);
        // As Kafka's OffsetCommit: Read on the group (checked before) and on every topic concerned.
        for (String topic : groups.topicsConcerned(groupId, reset)) {
            caller.require(AclOperation.READ, AclResourceType.TOPIC, topic);
        }
        Map<TopicPartitionRef, Long> offsets = dryRun ? groups.previewReset(groupId, reset) : groups.resetOffsets(groupId, reset);
        JsonArrayBuilder data = Json.createArrayBuilder();
        offsets.forEach((partition, offset) -> data.add(Json.createObjectBuilder()
                .add("topic_name", partition.topic())
                .add("partition_id", partition.partition())
                .add(dryRun ? "new_offset" : "committed_offset", offset)));
        return Json.createObjectBuilder()
                .add("kind", "KafkaConsumerGroupOffsets")
                .add("cluster_id", clusterId)
                .add("consumer_group_id", groupId)
                .add("dry_run", dryRun)
                .add("data", data)
                .build();
    }

    @RequiresAcl(value = AclOperation.DELETE, on = AclResourceType.GROUP, named = "group")
    @Operation(operationId = "deleteConsumerGroup")
    @DELETE
    @Path("{group}")
    public Response delete(@PathParam("clusterId") String clusterId, @PathParam("group") String groupId) {
        cluster.require(clusterId);
        groups.delete(groupId);
        return Response.noContent().build();
    }

    private static OffsetReset resetOf(JsonObject request) {
        String to = JsonBodies.requireString(request, "to");
        OffsetReset.Target target;
        try {
            target = OffsetReset.Target.valueOf(to.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("'to' must be one of earliest, latest, timestamp or offsets, not '" + to + "'");
        }
        Long timestamp = JsonBodies.optionalLong(request, "timestamp");
        if (target == OffsetReset.Target.TIMESTAMP && timestamp == null) {
            throw new BadRequest("'timestamp' (epoch milliseconds) is required with \"to\": \"timestamp\"");
        }
        List<String> topics = new ArrayList<>();
        JsonValue topicList = request.get("topics");
        if (topicList != null && topicList != JsonValue.NULL) {
            if (topicList.getValueType() != JsonValue.ValueType.ARRAY) {
                throw new BadRequest("'topics' must be an array of topic names");
            }
            for (JsonValue topic : topicList.asJsonArray()) {
                if (!(topic instanceof JsonString name)) {
                    throw new BadRequest("'topics' must be an array of topic names");
                }
                topics.add(name.getString());
            }
        }
        Map<TopicPartitionRef, Long> offsets = new LinkedHashMap<>();
        JsonValue offsetList = request.get("offsets");
        if (offsetList != null && offsetList != JsonValue.NULL) {
            if (offsetList.getValueType() != JsonValue.ValueType.ARRAY) {
                throw new BadRequest("'offsets' must be an array of {\"topic_name\", \"partition_id\", \"offset\"} objects");
            }
            for (JsonValue entry : offsetList.asJsonArray()) {
                JsonObject offset = JsonBodies.requireObject(entry, "Each entry of 'offsets'");
                offsets.put(new TopicPartitionRef(JsonBodies.requireString(offset, "topic_name"),
                        JsonBodies.requireInt(offset, "partition_id")), requireLong(offset, "offset"));
            }
        }
        if (target == OffsetReset.Target.OFFSETS && offsets.isEmpty()) {
            throw new BadRequest("'offsets' must name at least one partition with \"to\": \"offsets\"");
        }
        return new OffsetReset(target, timestamp == null ? 0 : timestamp, topics, offsets);
    }

    private static boolean dryRunOf(JsonObject request) {
        JsonValue dryRun = request.get("dry_run");
        if (dryRun == null || dryRun == JsonValue.NULL || dryRun == JsonValue.FALSE) {
            return false;
        }
        if (dryRun == JsonValue.TRUE) {
            return true;
        }
        throw new BadRequest("'dry_run' must be true or false");
    }

    private static long requireLong(JsonObject body, String member) {
        Long value = JsonBodies.optionalLong(body, member);
        if (value == null) {
            throw new BadRequest("'" + member + "' is required and must be a whole number");
        }
        return value;
    }

    /**
     * The group with only the committed offsets of topics the caller may describe, as Kafka's OffsetFetch answers
     * (the total lag is theirs alone).
     */
    private GroupDetails visibleOffsets(GroupDetails group) {
        Set<String> visible = caller.allowed(AclOperation.DESCRIBE, AclResourceType.TOPIC,
                group.offsets().stream().map(GroupDetails.PartitionLag::topic).distinct().toList());
        List<GroupDetails.PartitionLag> offsets = group.offsets().stream()
                .filter(offset -> visible.contains(offset.topic())).toList();
        if (offsets.size() == group.offsets().size()) {
            return group;
        }
        long totalLag = offsets.stream().mapToLong(GroupDetails.PartitionLag::lag).sum();
        return new GroupDetails(group.groupId(), group.state(), group.protocolType(), group.protocol(), group.members(),
                offsets, totalLag);
    }

    static JsonObject toJson(String clusterId, GroupDetails group) {
        JsonArrayBuilder members = Json.createArrayBuilder();
        for (GroupDetails.Member member : group.members()) {
            JsonArrayBuilder assignments = Json.createArrayBuilder();
            member.assignment().forEach(partition -> assignments.add(Json.createObjectBuilder()
                    .add("topic_name", partition.topic())
                    .add("partition_id", partition.partition())));
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("member_id", member.memberId())
                    .add("client_id", member.clientId())
                    .add("host", member.clientHost())
                    .add("assignments", assignments);
            if (member.groupInstanceId() != null) {
                json.add("instance_id", member.groupInstanceId());
            }
            members.add(json);
        }
        JsonArrayBuilder offsets = Json.createArrayBuilder();
        for (GroupDetails.PartitionLag offset : group.offsets()) {
            offsets.add(Json.createObjectBuilder()
                    .add("topic_name", offset.topic())
                    .add("partition_id", offset.partition())
                    .add("committed_offset", offset.committedOffset())
                    .add("log_end_offset", offset.logEndOffset())
                    .add("lag", offset.lag()));
        }
        return Json.createObjectBuilder()
                .add("kind", "KafkaConsumerGroup")
                .add("cluster_id", clusterId)
                .add("consumer_group_id", group.groupId())
                .add("is_simple", group.protocolType().isEmpty())
                .add("state", group.state())
                .add("protocol_type", group.protocolType())
                .add("partition_assignor", group.protocol())
                .add("members_count", group.members().size())
                .add("members", members)
                .add("offsets", offsets)
                .add("total_lag", group.totalLag())
                .build();
    }
}
