package dev.hearth.platform.boundary;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.Problem;
import dev.hearth.platform.rest.ResourceLinks;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * The cluster and its broker, after Confluent REST Proxy v3's {@code /v3/clusters}, {@code /v3/clusters/{cluster}}
 * and {@code /brokers}: one cluster ({@code hearth.cluster.id}) of one broker, node 0. The root is
 * {@code /v3/clusters} so that the list has a home; JAX-RS still routes {@code /v3/clusters/{cluster}/topics} and
 * the others to their own, longer roots. Stateless; thread-safe.
 */
@Path("/v3/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    @Inject
    ClusterAdmin clusters;

    @Inject
    ClusterPath cluster;

    @Context
    UriInfo uri;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @Operation(operationId = "listKafkaClusters", summary = "The clusters this server serves: one")
    @GET
    public JsonObject list() {
        return Json.createObjectBuilder()
                .add("kind", "KafkaClusterList")
                .add("metadata", listMetadata("v3/clusters"))
                .add("data", Json.createArrayBuilder().add(toJson(cluster.id(), clusters.info())))
                .build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @Operation(operationId = "getKafkaCluster")
    @GET
    @Path("{clusterId}")
    public JsonObject describe(@PathParam("clusterId") String clusterId) {
        cluster.require(clusterId);
        return toJson(clusterId, clusters.info());
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @Operation(operationId = "listKafkaBrokers", summary = "The cluster's brokers: one, node 0")
    @GET
    @Path("{clusterId}/brokers")
    public JsonObject brokers(@PathParam("clusterId") String clusterId) {
        cluster.require(clusterId);
        return Json.createObjectBuilder()
                .add("kind", "KafkaBrokerList")
                .add("metadata", listMetadata("v3/clusters/" + clusterId + "/brokers"))
                .add("data", Json.createArrayBuilder().add(broker(clusterId, clusters.info())))
                .build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @Operation(operationId = "getKafkaBroker", summary = "A broker; 404 (unknown-broker) for any id but node 0's")
    @GET
    @Path("{clusterId}/brokers/{brokerId}")
    public JsonObject broker(@PathParam("clusterId") String clusterId, @PathParam("brokerId") String brokerId) {
        cluster.require(clusterId);
        ClusterInfo info = clusters.info();
        if (!Integer.toString(info.nodeId()).equals(brokerId)) {
            throw new WebApplicationException(Problem.response(404, "unknown-broker", "Unknown broker",
                    "Cluster '" + clusterId + "' has one broker, " + info.nodeId() + ", not '" + brokerId + "'",
                    Map.of("broker_id", info.nodeId()), null));
        }
        return broker(clusterId, info);
    }

    private JsonObject toJson(String clusterId, ClusterInfo info) {
        String self = "v3/clusters/" + clusterId;
        return Json.createObjectBuilder()
                .add("kind", "KafkaCluster")
                .add("metadata", metadata(self, "crn:///kafka=" + clusterId))
                .add("cluster_id", clusterId)
                .add("controller_id", info.nodeId())
                .add("broker", broker(clusterId, info))
                .add("state", info.status().state().name())
                .add("state_detail", info.status().detail())
                .add("offline_partitions_count", info.status().offlinePartitions())
                .add("topics_count", info.topicCount())
                .add("partitions_count", info.partitionCount())
                .add("brokers", related(self + "/brokers"))
                .add("topics", related(self + "/topics"))
                .add("acls", related(self + "/acls"))
                .add("consumer_groups", related(self + "/consumer-groups"))
                .build();
    }

    private JsonObject broker(String clusterId, ClusterInfo info) {
        String self = "v3/clusters/" + clusterId + "/brokers/" + info.nodeId();
        JsonObjectBuilder broker = Json.createObjectBuilder()
                .add("kind", "KafkaBroker")
                .add("metadata", metadata(self, "crn:///kafka=" + clusterId + "/broker=" + info.nodeId()))
                .add("cluster_id", clusterId)
                .add("broker_id", info.nodeId());
        if (info.kafkaHost() != null) {
            broker.add("host", info.kafkaHost()).add("port", info.kafkaPort());
        } else {
            broker.addNull("host").addNull("port");
        }
        return broker.addNull("rack").build();
    }

    private JsonObject metadata(String self, String resourceName) {
        return ResourceLinks.metadata(uri, self, resourceName);
    }

    private JsonObject listMetadata(String self) {
        return ResourceLinks.listMetadata(uri, self);
    }

    private JsonObject related(String path) {
        return ResourceLinks.related(uri, path);
    }
}
