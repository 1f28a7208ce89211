package dev.hearth.security.boundary;

import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.hearth.connector.api.AclEntry;
import dev.hearth.connector.api.AclFilter;
import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * Kafka's ACLs, shaped after Confluent REST Proxy v3 ({@code /v3/clusters/{cluster}/acls}) and authorized as
 * Kafka's DescribeAcls (Describe on the cluster), CreateAcls and DeleteAcls (Alter on the cluster). The same ACLs
 * decide Kafka requests and HTTP requests. Fields are Kafka's names: {@code resource_type} (TOPIC, GROUP, CLUSTER,
 * TRANSACTIONAL_ID), {@code resource_name}, {@code pattern_type} (LITERAL, PREFIXED; filters also ANY, MATCH),
 * {@code principal} ({@code User:alice}, {@code User:*}), {@code host} (an address or {@code *}),
 * {@code operation} (READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, ALTER_CONFIGS, DESCRIBE_CONFIGS,
 * IDEMPOTENT_WRITE, ALL…), {@code permission} (ALLOW, DENY). Every change is in the audit trail
 * ({@code CREATE_ACLS}, {@code DELETE_ACLS}, one entry per ACL). Stateless, so thread-safe.
 */
@Path("/v3/clusters/{clusterId}/acls")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ACLs", description = "Kafka's ACLs, deciding Kafka and HTTP requests alike")
public class AclsResource {

    @Inject
    SecurityAdmin security;

    @Inject
    ClusterPath cluster;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Operation(operationId = "searchAcls",
            summary = "List ACLs", description = "Those the query parameters match (an absent one matches "
            + "anything), in creation order. Needs Describe on the cluster.")
    public JsonObject list(@PathParam("clusterId") String clusterId,
                           @Parameter(description = "TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID or ANY")
                           @QueryParam("resource_type") String resourceType,
                           @QueryParam("resource_name") String resourceName,
                           @Parameter(description = "LITERAL, PREFIXED, ANY or MATCH")
                           @QueryParam("pattern_type") String patternType,
                           @QueryParam("principal") String principal,
                           @QueryParam("host") String host,
                           @QueryParam("operation") String operation,
                           @QueryParam("permission") String permission) {
        cluster.require(clusterId);
        List<AclEntry> acls = security.acls(filter(principal, host, resourceType, patternType, resourceName,
                operation, permission));
        return list(clusterId, acls);
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createAcl",
            summary = "Create an ACL", description = "Body: resource_type, resource_name, principal, operation "
            + "(required); pattern_type (default LITERAL), host (default *), permission (default ALLOW). Creating an "
            + "existing ACL changes nothing. Needs Alter on the cluster.")
    @RequestBody(description = "One ACL")
    @APIResponse(responseCode = "201", description = "The ACL as stored")
    public Response create(@PathParam("clusterId") String clusterId, JsonValue body) {
        cluster.require(clusterId);
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        AclEntry entry = new AclEntry(
                JsonBodies.requireString(request, "principal"),
                orDefault(JsonBodies.optionalString(request, "host"), "*"),
                JsonBodies.requireString(request, "resource_type"),
                orDefault(JsonBodies.optionalString(request, "pattern_type"), "LITERAL"),
                JsonBodies.requireString(request, "resource_name"),
                JsonBodies.requireString(request, "operation"),
                orDefault(JsonBodies.optionalString(request, "permission"), "ALLOW"));
        security.createAcls(List.of(entry));
        return Response.status(Response.Status.CREATED).entity(toJson(clusterId, normalized(entry))).build();
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @DELETE
    @Operation(operationId = "deleteAcls",
            summary = "Delete ACLs", description = "Deletes every ACL the query parameters match, as GET lists "
            + "them; resource_type is required (ANY to match every type) so that no bare DELETE removes every ACL. "
            + "Answers the ACLs deleted. Needs Alter on the cluster.")
    public JsonObject delete(@PathParam("clusterId") String clusterId,
                             @QueryParam("resource_type") String resourceType,
                             @QueryParam("resource_name") String resourceName,
                             @QueryParam("pattern_type") String patternType,
                             @QueryParam("principal") String principal,
                             @QueryParam("host") String host,
                             @QueryParam("operation") String operation,
                             @QueryParam("permission") String permission) {
        cluster.require(clusterId);
        if (resourceType == null || resourceType.isBlank()) {
            throw new BadRequest("resource_type is required to delete ACLs (ANY matches every type)");
        }
        List<AclEntry> deleted = security.deleteAcls(filter(principal, host, resourceType, patternType,
                resourceName, operation, permission));
        return list(clusterId, deleted);
    }

    /** A filter from query parameters; an empty parameter matches anything, as an absent one. */
    private static AclFilter filter(String principal, String host, String resourceType, String patternType,
                                    String resourceName, String operation, String permission) {
        return new AclFilter(blankToNull(principal), blankToNull(host), blankToNull(resourceType),
                blankToNull(patternType), blankToNull(resourceName), blankToNull(operation), blankToNull(permission));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static JsonObject list(String clusterId, List<AclEntry> acls) {
        JsonArrayBuilder data = Json.createArrayBuilder();
        acls.forEach(acl -> data.add(toJson(clusterId, acl)));
        return Json.createObjectBuilder().add("kind", "KafkaAclList").add("data", data).build();
    }

    static JsonObject toJson(String clusterId, AclEntry acl) {
        return Json.createObjectBuilder()
                .add("kind", "KafkaAcl")
                .add("cluster_id", clusterId)
                .add("resource_type", acl.resourceType())
                .add("resource_name", acl.resourceName())
                .add("pattern_type", acl.patternType())
                .add("principal", acl.principal())
                .add("host", acl.host())
                .add("operation", acl.operation())
                .add("permission", acl.permission())
                .build();
    }

    /** The entry with its enum names as stored (upper case), for the answer. */
    private static AclEntry normalized(AclEntry entry) {
        return new AclEntry(entry.principal(), entry.host(), upper(entry.resourceType()), upper(entry.patternType()),
                entry.resourceName(), upper(entry.operation()), upper(entry.permission()));
    }

    private static String upper(String name) {
        return name.trim().toUpperCase(Locale.ROOT);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
