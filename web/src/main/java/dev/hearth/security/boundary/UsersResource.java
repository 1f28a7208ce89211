package dev.hearth.security.boundary;

import java.util.Arrays;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.hearth.connector.api.UserDescription;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.platform.rest.JsonBodies;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * Hearth's users — the one directory that Kafka clients (SASL SCRAM/PLAIN) and HTTP Basic share — as Kafka's
 * DescribeUserScramCredentials and AlterUserScramCredentials offer them, and authorized the same way: Describe on
 * the cluster to list, Alter on the cluster to change. A password goes in only; nothing answers or logs a password,
 * salt or key. Every change is in the audit trail ({@code ALTER_USER}, {@code DELETE_USER}). Stateless, so
 * thread-safe.
 */
@Path("/v3/clusters/{clusterId}/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users", description = "Hearth's one user directory (SCRAM credentials), shared with Kafka clients")
public class UsersResource {

    @Inject
    SecurityAdmin security;

    @Inject
    ClusterPath cluster;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Operation(operationId = "listUsers",
            summary = "List users", description = "Every user with its SCRAM mechanisms and iterations, by name. "
            + "Needs Describe on the cluster.")
    public JsonObject list(@PathParam("clusterId") String clusterId) {
        cluster.require(clusterId);
        JsonArrayBuilder data = Json.createArrayBuilder();
        security.users().forEach(user -> data.add(toJson(clusterId, user)));
        return Json.createObjectBuilder().add("kind", "HearthUserList").add("data", data).build();
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @PUT
    @Path("{user}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setUserPassword", summary = "Create a user or set its password",
            description = "Body {\"password\": \"...\"}. Derives SCRAM-SHA-256 and SCRAM-SHA-512 credentials (fresh "
                    + "salt, 8192 iterations); the password is not kept. The user's principal is User:<name>; what it "
                    + "may do is decided by ACLs. Needs Alter on the cluster.")
    @RequestBody(description = "password (required, not empty)")
    @APIResponse(responseCode = "200", description = "The user, without any secret")
    public JsonObject setPassword(@PathParam("clusterId") String clusterId, @PathParam("user") String user,
                                  JsonValue body) {
        cluster.require(clusterId);
        char[] password = JsonBodies.requireString(JsonBodies.requireObject(body, "The request body"), "password")
                .toCharArray();
        try {
            security.setPassword(user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        return security.users().stream().filter(described -> described.name().equals(user)).findFirst()
                .map(described -> toJson(clusterId, described))
                .orElseGet(() -> Json.createObjectBuilder().add("kind", "HearthUser").add("user_name", user).build());
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @DELETE
    @Path("{user}")
    @Operation(operationId = "deleteUser",
            summary = "Delete a user", description = "Removes its credentials (its ACLs stay, as in Kafka). "
            + "404 (user-not-found) for an unknown user. Needs Alter on the cluster.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("clusterId") String clusterId, @PathParam("user") String user) {
        cluster.require(clusterId);
        security.deleteUser(user);
        return Response.noContent().build();
    }

    static JsonObject toJson(String clusterId, UserDescription user) {
        JsonArrayBuilder credentials = Json.createArrayBuilder();
        user.iterationsByMechanism().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(credential -> credentials.add(Json.createObjectBuilder()
                        .add("mechanism", credential.getKey())
                        .add("iterations", credential.getValue())));
        return Json.createObjectBuilder()
                .add("kind", "HearthUser")
                .add("cluster_id", clusterId)
                .add("user_name", user.name())
                .add("principal", "User:" + user.name())
                .add("scram_credentials", credentials)
                .build();
    }
}
