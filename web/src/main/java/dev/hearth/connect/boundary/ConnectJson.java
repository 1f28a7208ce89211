package dev.hearth.connect.boundary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Connect's REST entities ({@code ConnectorInfo}, {@code ConnectorStateInfo}, {@code TaskInfo}, …) as Connect's
 * REST server writes them: with Jackson and the entities' own {@code @JsonProperty} names ({@code worker_id},
 * {@code class}, …), so that the JSON is byte-for-byte Connect's shape. Payara's JAX-RS would use JSON-B, which
 * ignores those annotations; resources therefore answer the text made here. The mapper is thread-safe once built.
 */
final class ConnectJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConnectJson() {
    }

    /** A response of {@code status} with {@code entity} as Connect's JSON. */
    static Response response(Response.Status status, Object entity) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(write(entity)).build();
    }

    static Response ok(Object entity) {
        return response(Response.Status.OK, entity);
    }

    static String write(Object entity) {
        try {
            return MAPPER.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A Connect entity could not be written as JSON: " + e.getMessage(), e);
        }
    }
}
