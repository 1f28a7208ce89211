package dev.hearth.platform.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.hearth.connector.api.ClusterInfo;
import dev.hearth.platform.rest.ClusterPath;

import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;
/** The cluster, after Confluent REST Proxy v3's {@code GET /v3/clusters/{cluster}}: one broker, node 0. */
@Path("/v3/clusters/{clusterId}")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    @Inject
    ClusterAdmin clusters;

    @Inject
    ClusterPath cluster;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    public JsonObject describe(@PathParam("clusterId") String clusterId) {
        cluster.require(clusterId);
        ClusterInfo info = clusters.info();
        JsonObjectBuilder broker = Json.createObjectBuilder()
                .add("kind", "KafkaBroker")
                .add("broker_id", info.nodeId());
        if (info.kafkaHost() != null) {
            broker.add("host", info.kafkaHost()).add("port", info.kafkaPort());
        } else {
            broker.addNull("host").addNull("port");
        }
        return Json.createObjectBuilder()
                .add("kind", "KafkaCluster")
                .add("cluster_id", clusterId)
                .add("controller_id", info.nodeId())
                .add("broker", broker)
                .add("state", info.status().state().name())
                .add("state_detail", info.status().detail())
                .add("offline_partitions_count", info.status().offlinePartitions())
                .add("topics_count", info.topicCount())
                .add("partitions_count", info.partitionCount())
                .build();
    }
}
