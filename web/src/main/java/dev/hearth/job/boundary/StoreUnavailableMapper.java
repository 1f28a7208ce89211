package dev.hearth.job.boundary;

import java.util.HashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.job.control.StoreUnavailableException;
import dev.hearth.platform.rest.Problem;

/**
 * A store that cannot be read now (the job starts, restarts or rebalances, or its worker did not answer in
 * time): 503 problem with {@code Retry-After: 1}, the job, the store and the partition when one was asked.
 */
@Provider
public class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {

    @Override
    public Response toResponse(StoreUnavailableException e) {
        Map<String, Object> extensions = new HashMap<>();
        extensions.put("job", e.job());
        extensions.put("store", e.store());
        if (e.partition() >= 0) {
            extensions.put("partition", e.partition());
        }
        Response problem = Problem.response(503, "store-unavailable", "State store unavailable", e.getMessage(),
                extensions, e);
        return Response.fromResponse(problem).header("Retry-After", "1").build();
    }
}
