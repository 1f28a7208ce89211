package dev.hearth.topic.boundary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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

import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;

import dev.hearth.security.boundary.Caller;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;
/**
 * Topics, shaped after Confluent REST Proxy v3 ({@code /v3/clusters/{cluster}/topics}), authorized as Kafka's
 * Metadata, CreateTopics and DeleteTopics: the list holds only topics the caller may describe.
 */
@Path("/v3/clusters/{clusterId}/topics")
@Produces(MediaType.APPLICATION_JSON)
public class TopicsResource {

    @Inject
    TopicAdmin topics;

    @Inject
    ClusterPath cluster;

    @Inject
    Caller caller;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.TOPIC, named = RequiresAcl.EACH_LISTED)
    @Operation(operationId = "listTopics")
    @GET
    public JsonObject list(@PathParam("clusterId") String clusterId) {
        cluster.require(clusterId);
        JsonArrayBuilder data = Json.createArrayBuilder();
        List<TopicDescription> all = topics.list();
        Set<String> visible = caller.allowed(AclOperation.DESCRIBE, AclResourceType.TOPIC,
                all.stream().map(TopicDescription::name).toList());
        all.stream().filter(topic -> visible.contains(topic.name())).forEach(topic -> data.add(toJson(clusterId, topic)));
        return Json.createObjectBuilder().add("kind", "KafkaTopicList").add("data", data).build();
    }

    /** Body: {@code {"topic_name": "...", "partitions_count": N, "configs": [{"name": "...", "value": "..."}]}}. */
    @RequiresAcl(value = AclOperation.CREATE, on = AclResourceType.TOPIC, named = RequiresAcl.BY_METHOD)
    @Operation(operationId = "createTopic")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("clusterId") String clusterId, JsonValue body) {
        cluster.require(clusterId);
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        String name = JsonBodies.requireString(request, "topic_name");
        // As Kafka's CreateTopics: Create on the cluster, or else on the topic.
        if (!caller.may(AclOperation.CREATE, AclResourceType.CLUSTER, AclResourceType.CLUSTER_NAME)) {
            caller.require(AclOperation.CREATE, AclResourceType.TOPIC, name);
        }
        Integer partitions = JsonBodies.optionalInt(request, "partitions_count");
        Map<String, String> configs = new LinkedHashMap<>();
        JsonValue configList = request.get("configs");
        if (configList != null && configList != JsonValue.NULL) {
            if (configList.getValueType() != JsonValue.ValueType.ARRAY) {
                throw new BadRequest("'configs' must be an array of {\"name\", \"value\"} objects");
            }
            for (JsonValue entry : configList.asJsonArray()) {
                JsonObject config = JsonBodies.requireObject(entry, "Each entry of 'configs'");
                configs.put(JsonBodies.requireString(config, "name"), JsonBodies.requireString(config, "value"));
            }
        }
        TopicDescription created = topics.create(name, partitions == null ? 1 : partitions, configs);
        return Response.status(Response.Status.CREATED).entity(toJson(clusterId, created)).build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "getTopic")
    @GET
    @Path("{topic}")
    public JsonObject describe(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic) {
        cluster.require(clusterId);
        return toJson(clusterId, topics.describe(topic));
    }

    @RequiresAcl(value = AclOperation.DELETE, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "deleteTopic")
    @DELETE
    @Path("{topic}")
    public Response delete(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic) {
        cluster.require(clusterId);
        topics.delete(topic);
        return Response.noContent().build();
    }

    static JsonObject toJson(String clusterId, TopicDescription topic) {
        JsonObjectBuilder configs = Json.createObjectBuilder();
        topic.configs().forEach(configs::add);
        JsonArrayBuilder partitions = Json.createArrayBuilder();
        long totalBytes = 0;
        for (PartitionDescription partition : topic.partitions()) {
            totalBytes += partition.sizeInBytes();
            partitions.add(Json.createObjectBuilder()
                    .add("partition_id", partition.partition())
                    .add("online", partition.online())
                    .add("logStartOffset", partition.logStartOffset())
                    .add("logEndOffset", partition.logEndOffset())
                    .add("highWatermark", partition.highWatermark())
                    .add("sizeInBytes", partition.sizeInBytes())
                    .add("segmentCount", partition.segmentCount()));
        }
        return Json.createObjectBuilder()
                .add("kind", "KafkaTopic")
                .add("cluster_id", clusterId)
                .add("topic_name", topic.name())
                .add("topic_id", topic.topicId())
                .add("partitions_count", topic.partitions().size())
                .add("sizeInBytes", totalBytes)
                .add("configs", configs)
                .add("partitions", partitions)
                .build();
    }
}
