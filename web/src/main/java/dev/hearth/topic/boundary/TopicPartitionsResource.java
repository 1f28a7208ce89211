package dev.hearth.topic.boundary;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.Problem;
import dev.hearth.platform.rest.ResourceLinks;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * A topic's partitions and configs as Confluent REST Proxy v3 lists them ({@code kind}, {@code metadata.self},
 * {@code data[…]}), plus Hearth's offsets of each partition's log. Authorized as Kafka's Metadata (Describe on the
 * topic) and DescribeConfigs. The root is that of every class under {@code /topics} (see
 * {@link TopicConfigsResource}). Stateless; thread-safe.
 */
@Path("/v3/clusters/{clusterId}/topics")
@Produces(MediaType.APPLICATION_JSON)
public class TopicPartitionsResource {

    @Inject
    TopicAdmin topics;

    @Inject
    ClusterPath cluster;

    @Context
    UriInfo uri;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "listTopicPartitions", summary = "The topic's partitions; broker 0 leads each")
    @GET
    @Path("{topic}/partitions")
    public JsonObject partitions(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic) {
        cluster.require(clusterId);
        TopicDescription description = topics.describe(topic);
        JsonArrayBuilder data = Json.createArrayBuilder();
        description.partitions().forEach(partition -> data.add(toJson(clusterId, topic, partition)));
        return Json.createObjectBuilder()
                .add("kind", "KafkaPartitionList")
                .add("metadata", ResourceLinks.listMetadata(uri, topicPath(clusterId, topic) + "/partitions"))
                .add("data", data)
                .build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "getTopicPartition",
            summary = "A partition; 404 (unknown-topic-or-partition) for one the topic does not have")
    @GET
    @Path("{topic}/partitions/{partition}")
    public JsonObject partition(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic,
                                @PathParam("partition") int partition) {
        cluster.require(clusterId);
        return topics.describe(topic).partitions().stream()
                .filter(candidate -> candidate.partition() == partition)
                .findFirst()
                .map(found -> toJson(clusterId, topic, found))
                .orElseThrow(() -> new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION,
                        "Topic '" + topic + "' has no partition " + partition,
                        Map.of("topic", topic, "partition", partition)));
    }

    /**
     * The topic's effective configs. {@code is_default} is not given: the connector API answers effective values,
     * not which of them are overrides (Kafka's DescribeConfigs over the Kafka listener does tell).
     */
    @RequiresAcl(value = AclOperation.DESCRIBE_CONFIGS, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "listTopicConfigs", summary = "The topic's effective configs")
    @GET
    @Path("{topic}/configs")
    public JsonObject configs(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic) {
        cluster.require(clusterId);
        JsonArrayBuilder data = Json.createArrayBuilder();
        topics.describe(topic).configs().forEach((name, value) -> data.add(config(clusterId, topic, name, value)));
        return Json.createObjectBuilder()
                .add("kind", "KafkaTopicConfigList")
                .add("metadata", ResourceLinks.listMetadata(uri, topicPath(clusterId, topic) + "/configs"))
                .add("data", data)
                .build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE_CONFIGS, on = AclResourceType.TOPIC, named = "topic")
    @Operation(operationId = "getTopicConfig",
            summary = "One effective config of the topic; 404 (unknown-config) for a name it does not have")
    @GET
    @Path("{topic}/configs/{name}")
    public JsonObject config(@PathParam("clusterId") String clusterId, @PathParam("topic") String topic,
                             @PathParam("name") String name) {
        cluster.require(clusterId);
        Map<String, String> configs = topics.describe(topic).configs();
        if (!configs.containsKey(name)) {
            throw new WebApplicationException(Problem.response(404, "unknown-config", "Unknown config",
                    "Topic '" + topic + "' has no config '" + name + "'", Map.of("topic", topic, "config", name),
                    null));
        }
        return config(clusterId, topic, name, configs.get(name));
    }

    private JsonObject config(String clusterId, String topic, String name, String value) {
        var json = Json.createObjectBuilder()
                .add("kind", "KafkaTopicConfig")
                .add("metadata", ResourceLinks.metadata(uri, topicPath(clusterId, topic) + "/configs/" + name,
                        "crn:///kafka=" + clusterId + "/topic=" + topic + "/config=" + name))
                .add("cluster_id", clusterId)
                .add("topic_name", topic)
                .add("name", name);
        if (value == null) {
            json.addNull("value");
        } else {
            json.add("value", value);
        }
        return json.add("is_read_only", false)
                .add("is_sensitive", false)
                .add("synonyms", Json.createArrayBuilder())
                .build();
    }

    private JsonObject toJson(String clusterId, String topic, PartitionDescription partition) {
        String self = topicPath(clusterId, topic) + "/partitions/" + partition.partition();
        return Json.createObjectBuilder()
                .add("kind", "KafkaPartition")
                .add("metadata", ResourceLinks.metadata(uri, self,
                        "crn:///kafka=" + clusterId + "/topic=" + topic + "/partition=" + partition.partition()))
                .add("cluster_id", clusterId)
                .add("topic_name", topic)
                .add("partition_id", partition.partition())
                .add("leader", ResourceLinks.related(uri, self + "/replicas/0"))
                .add("online", partition.online())
                .add("logStartOffset", partition.logStartOffset())
                .add("logEndOffset", partition.logEndOffset())
                .add("highWatermark", partition.highWatermark())
                .add("sizeInBytes", partition.sizeInBytes())
                .add("segmentCount", partition.segmentCount())
                .build();
    }

    private static String topicPath(String clusterId, String topic) {
        return "v3/clusters/" + clusterId + "/topics/" + topic;
    }
}
