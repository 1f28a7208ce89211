package dev.hearth.audit.boundary;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.hearth.audit.entity.AuditEntry;
import dev.hearth.platform.rest.BadRequest;
import dev.hearth.platform.rest.ClusterPath;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * The audit trail of administrative changes (topics created, altered, deleted; offsets reset; groups deleted),
 * newest first, optionally for one resource: {@code ?resource_type=topic&resource_name=orders}. Changes made through
 * the Kafka protocol appear here too, within about a second, with the client's {@code client_address}.
 */
@Path("/v3/clusters/{clusterId}/audit-entries")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final int MAX_ENTRIES = 1000;

    @Inject
    AuditLog auditLog;

    @Inject
    ClusterPath cluster;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @Operation(operationId = "listAuditEntries")
    @GET
    public JsonObject list(@PathParam("clusterId") String clusterId,
                           @QueryParam("resource_type") String resourceType,
                           @QueryParam("resource_name") String resourceName,
                           @QueryParam("limit") @DefaultValue("100") int limit) {
        cluster.require(clusterId);
        if (limit < 1 || limit > MAX_ENTRIES) {
            throw new BadRequest("limit must be between 1 and " + MAX_ENTRIES);
        }
        if ((resourceType == null) != (resourceName == null)) {
            throw new BadRequest("resource_type and resource_name go together: give both or neither");
        }
        List<AuditEntry> entries = resourceType == null ? auditLog.newest(limit)
                : auditLog.newestFor(resourceType, resourceName, limit);
        JsonArrayBuilder data = Json.createArrayBuilder();
        for (AuditEntry entry : entries) {
            var item = Json.createObjectBuilder();
            if (entry.clientAddress() != null) {
                item.add("client_address", entry.clientAddress()); // changes made through the Kafka protocol
            }
            data.add(item
                    .add("kind", "AuditEntry")
                    .add("id", entry.id())
                    .add("occurred_at", entry.occurredAt().toString())
                    .add("principal", entry.principal())
                    .add("action", entry.action())
                    .add("resource_type", entry.resourceType())
                    .add("resource_name", entry.resourceName())
                    .add("detail", entry.detail() == null ? "" : entry.detail()));
        }
        return Json.createObjectBuilder().add("kind", "AuditEntryList").add("data", data).build();
    }
}
