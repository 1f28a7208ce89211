package dev.hearth.connect.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * Kafka Connect's {@code GET /connector-plugins}, at {@code /api/connect/connector-plugins}: the installed plugins
 * as {@code [{"class", "type", "version"}]}, connectors only unless {@code connectorsOnly=false}. Describe on the
 * cluster. Stateless; thread-safe.
 */
@Path("/connect/connector-plugins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Kafka Connect", description = "The hosted Kafka Connect worker, with Connect's own REST API")
public class ConnectorPluginsResource {

    @Inject
    ConnectRuntime connect;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Operation(operationId = "listConnectorPlugins", summary = "The connector plugins the worker found")
    public Response list(@QueryParam("connectorsOnly") @DefaultValue("true") boolean connectorsOnly) {
        return ConnectJson.ok(connect.plugins(connectorsOnly));
    }
}
