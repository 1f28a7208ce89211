package dev.hearth.connect.boundary;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.TargetState;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.rest.errors.BadRequestException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.hearth.platform.rest.JsonBodies;
import dev.hearth.security.boundary.RequiresAcl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * Kafka Connect's {@code /connectors} REST API, at {@code /api/connect/connectors}: the same paths, status codes and
 * JSON as Connect's own {@code ConnectorsResource}, so that connector configs and scripts written for a Connect
 * cluster work against Hearth with the base URL changed. Reads need Describe on the cluster, changes Alter on the
 * cluster (as Hearth's other administrative endpoints). Errors are problems with Connect's {@code error_code} and
 * {@code message} ({@link ConnectErrorMapper}). Not here: config PATCH, active topics, offset alteration, logger
 * levels and the internal endpoints workers call on each other. Stateless; thread-safe.
 */
@Path("/connect/connectors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Kafka Connect", description = "The hosted Kafka Connect worker, with Connect's own REST API")
public class ConnectorsResource {

    @Inject
    ConnectRuntime connect;

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Operation(operationId = "listConnectors", summary = "Lists connector names, or with expand=status and/or "
            + "expand=info an object of connector name to {status, info}, as Connect does")
    public Response list(@QueryParam("expand") List<String> expand) {
        List<String> names = connect.connectors().stream().sorted().toList();
        if (expand == null || expand.isEmpty()) {
            return ConnectJson.ok(names);
        }
        Map<String, Map<String, Object>> expanded = new LinkedHashMap<>();
        for (String name : names) {
            Map<String, Object> parts = new LinkedHashMap<>();
            try {
                if (expand.contains("status")) {
                    parts.put("status", connect.connectorStatus(name));
                }
                if (expand.contains("info")) {
                    parts.put("info", connect.connectorInfo(name));
                }
            } catch (ConnectException deletedMeanwhile) {
                continue; // as Connect: a connector gone between the list and its details is left out
            }
            expanded.put(name, parts);
        }
        return ConnectJson.ok(expanded);
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createConnector", summary = "Creates a connector: {\"name\", \"config\": {…}, "
            + "\"initial_state\": \"RUNNING\" | \"PAUSED\" | \"STOPPED\"}; 201 with the connector, 409 if it exists")
    public Response create(JsonValue body, @Context UriInfo uri) {
        JsonObject request = JsonBodies.requireObject(body, "The request body");
        String name = request.get("name") instanceof JsonString text ? text.getString().trim() : "";
        if (name.isEmpty()) {
            throw new BadRequestException("Connector name must not be empty"); // Connect's wording
        }
        Map<String, String> config = request.get("config") instanceof JsonObject object ? strings(object)
                : new LinkedHashMap<>();
        TargetState initialState = initialState(request.get("initial_state"));
        requireNameMatches(name, config);
        Herder.Created<ConnectorInfo> created = connect.putConnectorConfig(name, config, initialState, false);
        URI location = uri.getBaseUriBuilder().path("connect/connectors").path(name).build();
        return Response.created(location).type(MediaType.APPLICATION_JSON).entity(ConnectJson.write(created.result()))
                .build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{connector}")
    @Operation(operationId = "getConnector", summary = "The connector's name, config, tasks and type")
    public Response get(@PathParam("connector") String connector) {
        return ConnectJson.ok(connect.connectorInfo(connector));
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{connector}/config")
    @Operation(operationId = "getConnectorConfig", summary = "The connector's config")
    public Response config(@PathParam("connector") String connector) {
        return ConnectJson.ok(connect.connectorConfig(connector));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @PUT
    @Path("{connector}/config")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putConnectorConfig",
            summary = "Creates the connector with this config (201) or replaces its config (200)")
    public Response putConfig(@PathParam("connector") String connector, JsonValue body) {
        Map<String, String> config = strings(JsonBodies.requireObject(body, "The request body"));
        requireNameMatches(connector, config);
        Herder.Created<ConnectorInfo> result = connect.putConnectorConfig(connector, config, null, true);
        return ConnectJson.response(result.created() ? Response.Status.CREATED : Response.Status.OK, result.result());
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{connector}/status")
    @Operation(operationId = "getConnectorStatus",
            summary = "The connector's and its tasks' state (RUNNING, PAUSED, STOPPED, FAILED, …), worker and trace")
    public Response status(@PathParam("connector") String connector) {
        return ConnectJson.ok(connect.connectorStatus(connector));
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{connector}/tasks")
    @Operation(operationId = "getConnectorTasks", summary = "The connector's tasks with their configs")
    public Response tasks(@PathParam("connector") String connector) {
        return ConnectJson.ok(connect.taskConfigs(connector));
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{connector}/tasks/{task}/status")
    @Operation(operationId = "getConnectorTaskStatus", summary = "One task's state, worker and trace")
    public Response taskStatus(@PathParam("connector") String connector, @PathParam("task") int task) {
        return ConnectJson.ok(connect.taskStatus(connector, task));
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{connector}/restart")
    @Operation(operationId = "restartConnector", summary = "Restarts the connector (204), or with includeTasks "
            + "and/or onlyFailed the instances they select (202 with the resulting status)")
    public Response restart(@PathParam("connector") String connector,
                            @QueryParam("includeTasks") @DefaultValue("false") boolean includeTasks,
                            @QueryParam("onlyFailed") @DefaultValue("false") boolean onlyFailed) {
        Optional<ConnectorStateInfo> status = connect.restart(connector, includeTasks, onlyFailed);
        return status.map(state -> ConnectJson.response(Response.Status.ACCEPTED, state))
                .orElseGet(() -> Response.noContent().build());
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @POST
    @Path("{connector}/tasks/{task}/restart")
    @Operation(operationId = "restartConnectorTask", summary = "Restarts one task (204)")
    public Response restartTask(@PathParam("connector") String connector, @PathParam("task") int task) {
        connect.restartTask(connector, task);
        return Response.noContent().build();
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @PUT
    @Path("{connector}/pause")
    @Operation(operationId = "pauseConnector", summary = "Pauses the connector and its tasks (202: asynchronously)")
    public Response pause(@PathParam("connector") String connector) {
        connect.pause(connector);
        return Response.accepted().build();
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @PUT
    @Path("{connector}/resume")
    @Operation(operationId = "resumeConnector", summary = "Resumes a paused or stopped connector (202)")
    public Response resume(@PathParam("connector") String connector) {
        connect.resume(connector);
        return Response.accepted().build();
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @PUT
    @Path("{connector}/stop")
    @Operation(operationId = "stopConnector",
            summary = "Stops the connector and shuts its tasks down, keeping its config and offsets (204)")
    public Response stop(@PathParam("connector") String connector) {
        connect.stopConnector(connector);
        return Response.noContent().build();
    }

    @RequiresAcl(value = AclOperation.ALTER, on = AclResourceType.CLUSTER)
    @DELETE
    @Path("{connector}")
    @Operation(operationId = "deleteConnector", summary = "Deletes the connector and stops its tasks (204)")
    public Response delete(@PathParam("connector") String connector) {
        connect.deleteConnector(connector);
        return Response.noContent().build();
    }

    @RequiresAcl(value = AclOperation.DESCRIBE, on = AclResourceType.CLUSTER)
    @GET
    @Path("{connector}/offsets")
    @Operation(operationId = "getConnectorOffsets", summary = "The connector's committed offsets")
    public Response offsets(@PathParam("connector") String connector) {
        return ConnectJson.ok(connect.offsets(connector));
    }

    /** A config object as Connect reads it: every value a string (numbers and booleans in their JSON text). */
    private static Map<String, String> strings(JsonObject object) {
        Map<String, String> config = new LinkedHashMap<>();
        object.forEach((key, value) -> config.put(key, switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NULL -> null;
            default -> value.toString();
        }));
        return config;
    }

    /** Connect's rule: the config's {@code name}, if given, is the connector's; absent, it is filled in. */
    private static void requireNameMatches(String name, Map<String, String> config) {
        String configured = config.get("name");
        if (configured == null) {
            config.put("name", name);
        } else if (!configured.equals(name)) {
            throw new BadRequestException("Connector name configuration (" + configured
                    + ") doesn't match connector name in the URL (" + name + ")");
        }
    }

    private static TargetState initialState(JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        String text = value instanceof JsonString string ? string.getString() : value.toString();
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "RUNNING" -> TargetState.STARTED;
            case "PAUSED" -> TargetState.PAUSED;
            case "STOPPED" -> TargetState.STOPPED;
            default -> throw new BadRequestException("Invalid initial state '" + text
                    + "': it must be one of RUNNING, PAUSED or STOPPED");
        };
    }
}
