package dev.hearth.job.boundary;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.job.control.StoreNotFoundException;
import dev.hearth.platform.rest.Problem;

/** A job without a queryable store of that name: 404 problem naming the job, the store and the ones it has. */
@Provider
public class StoreNotFoundMapper implements ExceptionMapper<StoreNotFoundException> {

    @Override
    public Response toResponse(StoreNotFoundException e) {
        return Problem.response(404, "store-not-found", "Unknown state store", e.getMessage(),
                Map.of("job", e.job(), "store", e.store()), e);
    }
}
