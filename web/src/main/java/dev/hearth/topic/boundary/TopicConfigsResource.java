package dev.hearth.topic.boundary;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;

import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;
/**
 * Changes to an existing topic: its configs ({@code configs:alter}, as Confluent REST Proxy v3) and its
 * partition count. Every class under {@code /topics} declares that same root path and puts {@code {topic}} in
 * its method paths: JAX-RS picks root classes by their path alone, so a longer root such as
 * {@code /topics/{topic}} would hide {@code GET /topics/{topic}} of {@link TopicsResource}. Stateless; thread-safe.
 */
@Path("/v3/clusters/{clusterId}/topics")
@Produces(MediaType.APPLICATION_JSON)
public class TopicConfigsResource {

    @Inject
    TopicAdmin topics;

    @Inject
    ClusterPath cluster;

    /**
     * Body: {@code {"data": [{"name": "retention.ms", "value": "3600000"}, {"name": "segment.ms", "value": null}]}};
     * a null value returns the config to its default. Configs not named keep their values. Answers the topic.
     */
    @RequiresAcl(value = AclOperation.ALTER_CONFIGS, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "alterTopicConfigs")
    @POST
    @Path("{topic}/configs:alter")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject alterConfigs(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic,
                                   JsonValue body) {
        cluster.require(clusterId);
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        JsonValue data = request.get("data");
        if (data == null || data.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new BadRequest("'data' is required and must be an array of {\"name\", \"value\"} objects");
        }
        Map<String, String> changes = new HashMap<>();
        for (JsonValue entry : data.asJsonArray()) {
            JsonObject config = JsonBodies.requireObject(entry, "Each entry of 'data'");
            String name = JsonBodies.requireString(config, "name");
            JsonValue value = config.get("value");
            if (value == null || value == JsonValue.NULL) {
                changes.put(name, null);
            } else if (value instanceof JsonString string) {
                changes.put(name, string.getString());
            } else if (value.getValueType() == JsonValue.ValueType.NUMBER) {
                changes.put(name, value.toString());
            } else {
                throw new BadRequest("The value of config '" + name + "' must be a string or null");
            }
        }
        return TopicsResource.toJson(clusterId, topics.alterConfigs(topic, changes));
    }

    @RequiresAcl(value = AclOperation.ALTER_CONFIGS, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "patchTopicConfigs")
    @PATCH
    @Path("{topic}/configs:alter")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject patchConfigs(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic,
                                   JsonValue body) {
        return alterConfigs(clusterId, topic, body);
    }

    /** Body: {@code {"partitions_count": N}}, the new total, larger than the current one. Answers the topic. */
    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "createTopicPartitions")
    @POST
    @Path("{topic}/partitions")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject addPartitions(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic,
                                    JsonValue body) {
        cluster.require(clusterId);
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        return TopicsResource.toJson(clusterId, topics.addPartitions(topic, JsonBodies.requireInt(request,
                "partitions_count")));
    }
}
