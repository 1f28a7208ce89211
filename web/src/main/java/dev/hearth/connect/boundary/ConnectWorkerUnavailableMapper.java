package dev.hearth.connect.boundary;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.platform.rest.Problem;

/**
 * No Connect worker: 503, with Connect's {@code error_code} and {@code message} too; the detail says whether it is
 * disabled (and how to enable it), starting, or failed to start. Stateless; thread-safe.
 */
@Provider
public class ConnectWorkerUnavailableMapper implements ExceptionMapper<ConnectWorkerUnavailableException> {

    @Override
    public Response toResponse(ConnectWorkerUnavailableException e) {
        return Problem.response(503, e.disabled() ? "connect-disabled" : "connect-unavailable",
                "Kafka Connect worker unavailable", e.getMessage(),
                Map.of("error_code", 503, "message", e.getMessage()), null);
    }
}
