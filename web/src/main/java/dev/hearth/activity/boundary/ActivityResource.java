package dev.hearth.activity.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * The cluster's recent activity, sampled by the server ({@link ActivitySampler}) so that the console's charts start
 * with the last minutes rather than empty: {@code {"interval_ms", "data": [{"at", "records_per_second",
 * "total_lag"}]}}, oldest first. A Hearth extension; Describe on the cluster, as the cluster summary. Stateless
 * per request, so thread-safe.
 */
@Path("/v3/clusters/{clusterId}/activity")
@Produces(MediaType.APPLICATION_JSON)
public class ActivityResource {

    @Inject
    ActivitySampler sampler;

    @Inject
    ClusterPath cluster;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @Operation(operationId = "listRecentActivity")
    @GET
    public JsonObject recent(@PathParam("clusterId") String clusterId) {
        cluster.require(clusterId);
        JsonArrayBuilder data = Json.createArrayBuilder();
        sampler.samples().forEach(sample -> data.add(Json.createObjectBuilder()
                .add("at", sample.atMs())
                .add("records_per_second", sample.recordsPerSecond())
                .add("total_lag", sample.totalLag())));
        return Json.createObjectBuilder()
                .add("kind", "HearthActivity")
                .add("cluster_id", clusterId)
                .add("interval_ms", ActivitySampler.INTERVAL_SECONDS * 1000L)
                .add("data", data)
                .build();
    }
}
