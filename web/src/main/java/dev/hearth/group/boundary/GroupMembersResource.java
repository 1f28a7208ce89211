package dev.hearth.group.boundary;

import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.hearth.connector.api.GroupSubscription;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.TopicPartitionRef;
import dev.hearth.group.control.ConsumerInstance;
import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;
import dev.hearth.platform.rest.Problem;
import dev.hearth.record.boundary.RecordJson;
import dev.hearth.security.boundary.Caller;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * Group consumption over HTTP, shaped after Confluent REST Proxy's consumers: create a member of a group
 * subscribed to topics, long-poll it for records, commit, delete it. Members share the group coordinator
 * with Kafka clients and message-driven beans. Authorized as Kafka's JoinGroup, Fetch and OffsetCommit: Read on
 * the group, and Read on every subscribed topic at each poll and commit (a revoked ACL stops the next poll); a
 * member can be used only by the user who created it, or by one allowed Alter on the cluster.
 * Stateless; thread-safe.
 */
@Path("/v3/clusters/{clusterId}/consumer-groups/{group}/members")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Consumer group members", description = "Consume as a member of a consumer group over HTTP")
public class GroupMembersResource {

    static final int DEFAULT_SESSION_TIMEOUT_MS = 30_000;
    static final long MAX_WAIT_MS = 30_000;
    static final int MAX_RECORDS_PER_POLL = 10_000;

    @Inject
    GroupConsumers members;

    @Inject
    ClusterPath cluster;

    @Inject
    Caller caller;


    @Context
    UriInfo uri;

    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.GROUP, named = "group")
    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.TOPIC, named = RequiresAcl.BY_METHOD)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createGroupMember", summary = "Join the group as a new member",
            description = "Body: {\"topics\": [...], \"client_id\": \"...\", \"session_timeout_ms\": 30000, "
                    + "\"auto_offset_reset\": \"earliest\" | \"latest\"}. Answers 201 with the member's URL in "
                    + "Location and base_uri. The join completes during the first polls; a member not polled "
                    + "within session_timeout_ms is removed from the group and its partitions go to the others.")
    @RequestBody(description = "topics (required), client_id, session_timeout_ms (6000 to 1800000, default 30000), "
            + "auto_offset_reset (default latest)")
    public Response create(@PathParam("clusterId") String clusterId, @PathParam("group") String group, JsonValue body) {
        cluster.require(clusterId);
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        List<String> topics = topicsOf(request);
        topics.forEach(this::requireRead);
        Long sessionTimeoutMs = JsonBodies.optionalLong(request, "session_timeout_ms");
        if (sessionTimeoutMs != null && (sessionTimeoutMs < 1 || sessionTimeoutMs > Integer.MAX_VALUE)) {
            throw new BadRequest("'session_timeout_ms' must be a positive number of milliseconds");
        }
        String clientId = JsonBodies.optionalString(request, "client_id");
        GroupSubscription subscription = new GroupSubscription(group, topics,
                clientId == null ? "hearth-http" : clientId,
                sessionTimeoutMs == null ? DEFAULT_SESSION_TIMEOUT_MS : sessionTimeoutMs.intValue(), resetOf(request));
        ConsumerInstance instance = members.create(subscription,
                caller.securityEnabled() ? caller.userName().orElse(null) : null);
        URI location = memberUri(instance);
        return Response.created(location).entity(describe(clusterId, instance, members.assignment(instance))).build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.GROUP, named = "group")
    @GET
    @Path("{member}")
    @Operation(operationId = "getGroupMember",
            summary = "Describe an HTTP member: its subscription and current assignment")
    public JsonObject get(@PathParam("clusterId") String clusterId, @PathParam("group") String group,
                          @PathParam("member") String member) {
        cluster.require(clusterId);
        ConsumerInstance instance = owned(group, member);
        return describe(clusterId, instance, members.assignment(instance));
    }

    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.GROUP, named = "group")
    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.TOPIC, named = RequiresAcl.BY_METHOD)
    @GET
    @Path("{member}/records")
    @Operation(operationId = "pollGroupMemberRecords", summary = "Long-poll for records",
            description = "Returns the records after the member's positions in its assigned partitions (and "
                    + "advances them), waiting up to max_wait_ms for the first one. Polling keeps the member alive. "
                    + "Records: topic_name, partition_id, offset, timestamp, key, value (BINARY, base64), headers.")
    public JsonObject poll(@PathParam("clusterId") String clusterId, @PathParam("group") String group,
                           @PathParam("member") String member,
                           @Parameter(description = "longest wait for a first record, 0 to 30000 ms")
                           @QueryParam("max_wait_ms") @DefaultValue("1000") long maxWaitMs,
                           @Parameter(description = "at most this many records, 1 to 10000")
                           @QueryParam("max_records") @DefaultValue("500") int maxRecords,
                           @Parameter(description = "about this many bytes of keys and values at most")
                           @QueryParam("max_bytes") @DefaultValue("1048576") int maxBytes) {
        cluster.require(clusterId);
        if (maxWaitMs < 0 || maxWaitMs > MAX_WAIT_MS) {
            throw new BadRequest("max_wait_ms must be between 0 and " + MAX_WAIT_MS);
        }
        if (maxRecords < 1 || maxRecords > MAX_RECORDS_PER_POLL) {
            throw new BadRequest("max_records must be between 1 and " + MAX_RECORDS_PER_POLL);
        }
        if (maxBytes < 1) {
            throw new BadRequest("max_bytes must be positive");
        }
        ConsumerInstance instance = owned(group, member);
        instance.subscription().topics().forEach(this::requireRead);
        List<HearthRecord> records = members.poll(instance, maxWaitMs, maxRecords, maxBytes);
        JsonArrayBuilder data = Json.createArrayBuilder();
        records.forEach(record -> data.add(RecordJson.toJson(record)));
        return Json.createObjectBuilder()
                .add("kind", "KafkaRecordList")
                .add("consumer_group_id", group)
                .add("member_id", instance.id())
                .add("assignments", assignments(members.assignment(instance)))
                .add("data", data)
                .build();
    }

    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.GROUP, named = "group")
    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.TOPIC, named = RequiresAcl.BY_METHOD)
    @POST
    @Path("{member}/offsets")
    @Operation(operationId = "commitGroupMemberOffsets", summary = "Commit offsets",
            description = "Body {\"offsets\": [{\"topic_name\", \"partition_id\", \"offset\"}]} commits those next "
                    + "offsets to read, of partitions assigned to the member; an empty body or {} commits everything "
                    + "the member's polls returned. 409 (commit-failed) when a rebalance took the partitions: poll, "
                    + "then commit again.")
    public JsonObject commit(@PathParam("clusterId") String clusterId, @PathParam("group") String group,
                             @PathParam("member") String member, String body) {
        cluster.require(clusterId);
        Map<TopicPartitionRef, Long> explicit = offsetsOf(body);
        ConsumerInstance instance = owned(group, member);
        if (explicit.isEmpty()) {
            instance.subscription().topics().forEach(this::requireRead);
        } else {
            explicit.keySet().stream().map(TopicPartitionRef::topic).distinct().forEach(this::requireRead);
        }
        Map<TopicPartitionRef, Long> committed;
        if (explicit.isEmpty()) {
            committed = members.commitPositions(instance);
        } else {
            members.commit(instance, explicit);
            committed = explicit;
        }
        JsonArrayBuilder data = Json.createArrayBuilder();
        committed.forEach((partition, offset) -> data.add(Json.createObjectBuilder()
                .add("topic_name", partition.topic())
                .add("partition_id", partition.partition())
                .add("committed_offset", offset)));
        return Json.createObjectBuilder()
                .add("kind", "KafkaConsumerGroupOffsets")
                .add("consumer_group_id", group)
                .add("member_id", instance.id())
                .add("data", data)
                .build();
    }

    @RequiresAcl(value = AclOperation.READ, on = AclResourceType.GROUP, named = "group")
    @DELETE
    @Path("{member}")
    @Operation(operationId = "deleteGroupMember",
            summary = "Leave the group", description = "The remaining members rebalance at once. Uncommitted "
            + "records are delivered again to whoever gets their partitions.")
    public Response delete(@PathParam("clusterId") String clusterId, @PathParam("group") String group,
                           @PathParam("member") String member) {
        cluster.require(clusterId);
        members.delete(owned(group, member));
        return Response.noContent().build();
    }

    /** The member, if the caller may use it: its creator, or one allowed Alter on the cluster. */
    private ConsumerInstance owned(String group, String member) {
        ConsumerInstance instance = members.find(group, member);
        if (!caller.securityEnabled() || instance.owner() == null) {
            return instance;
        }
        String user = caller.userName().orElse("ANONYMOUS");
        if (!instance.owner().equals(user)
                && !caller.may(AclOperation.ALTER, AclResourceType.CLUSTER, AclResourceType.CLUSTER_NAME)) {
            throw problem(403, "forbidden-member", "Forbidden", "User " + user + " did not create member "
                    + member + " of group " + group + "; only its creator or a user allowed Alter on the cluster may "
                    + "use it", Map.of("user", user, "group", group));
        }
        return instance;
    }

    private void requireRead(String topic) {
        caller.require(AclOperation.READ, AclResourceType.TOPIC, topic);
    }

    private static WebApplicationException problem(int status, String kind, String title, String detail,
                                                   Map<String, ?> extensions) {
        return new WebApplicationException(Problem.response(status, kind, title, detail, extensions, null));
    }

    private static List<String> topicsOf(JsonObject request) {
        JsonValue list = request.get("topics");
        if (list == null || list.getValueType() != JsonValue.ValueType.ARRAY || list.asJsonArray().isEmpty()) {
            throw new BadRequest("'topics' must be a non-empty array of topic names");
        }
        List<String> topics = new ArrayList<>();
        for (JsonValue topic : list.asJsonArray()) {
            if (!(topic instanceof JsonString name) || name.getString().isBlank()) {
                throw new BadRequest("'topics' must be a non-empty array of topic names");
            }
            if (!topics.contains(name.getString())) {
                topics.add(name.getString());
            }
        }
        return topics;
    }

    private static GroupSubscription.Reset resetOf(JsonObject request) {
        String reset = JsonBodies.optionalString(request, "auto_offset_reset");
        if (reset == null) {
            return GroupSubscription.Reset.LATEST;
        }
        try {
            return GroupSubscription.Reset.valueOf(reset.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("'auto_offset_reset' must be earliest or latest, not '" + reset + "'");
        }
    }

    /** Explicit offsets of a commit body; empty for an empty body, {} or no "offsets". */
    private static Map<TopicPartitionRef, Long> offsetsOf(String body) {
        Map<TopicPartitionRef, Long> offsets = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            return offsets;
        }
        JsonValue parsed;
        try {
            parsed = Json.createReader(new StringReader(body)).readValue();
        } catch (JsonException e) {
            throw new BadRequest("The request body is not valid JSON: " + e.getMessage());
        }
        JsonObject request = JsonBodies.requireObject(parsed, "The request body");
        JsonValue list = request.get("offsets");
        if (list == null || list == JsonValue.NULL) {
            return offsets;
        }
        if (list.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new BadRequest("'offsets' must be an array of {\"topic_name\", \"partition_id\", \"offset\"} objects");
        }
        for (JsonValue entry : list.asJsonArray()) {
            JsonObject offset = JsonBodies.requireObject(entry, "Each entry of 'offsets'");
            Long value = JsonBodies.optionalLong(offset, "offset");
            if (value == null || value < 0) {
                throw new BadRequest("Each entry of 'offsets' needs an 'offset' of 0 or more: the next offset to read");
            }
            offsets.put(new TopicPartitionRef(JsonBodies.requireString(offset, "topic_name"),
                    JsonBodies.requireInt(offset, "partition_id")), value);
        }
        return offsets;
    }

    private URI memberUri(ConsumerInstance instance) {
        return uri.getAbsolutePathBuilder().path(instance.id()).build();
    }

    private JsonObject describe(String clusterId, ConsumerInstance instance, Set<TopicPartitionRef> assignment) {
        GroupSubscription subscription = instance.subscription();
        JsonArrayBuilder topics = Json.createArrayBuilder();
        subscription.topics().forEach(topics::add);
        URI base = uri.getBaseUriBuilder().path("v3/clusters").path(clusterId).path("consumer-groups")
                .path(subscription.groupId()).path("members").path(instance.id()).build();
        return Json.createObjectBuilder()
                .add("kind", "KafkaConsumerGroupMember")
                .add("cluster_id", clusterId)
                .add("consumer_group_id", subscription.groupId())
                .add("member_id", instance.id())
                .add("coordinator_member_id", instance.consumer().memberId())
                .add("client_id", subscription.clientId())
                .add("topics", topics)
                .add("session_timeout_ms", subscription.sessionTimeoutMs())
                .add("auto_offset_reset", subscription.reset().name().toLowerCase(Locale.ROOT))
                .add("base_uri", base.toString())
                .add("assignments", assignments(assignment))
                .build();
    }

    private static JsonArrayBuilder assignments(Set<TopicPartitionRef> assignment) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        assignment.forEach(partition -> array.add(Json.createObjectBuilder()
                .add("topic_name", partition.topic())
                .add("partition_id", partition.partition())));
        return array;
    }
}
