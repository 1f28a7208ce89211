package dev.hearth.job.boundary;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.job.control.StoreKeyNotFoundException;
import dev.hearth.platform.rest.Problem;

/** A key without a value in a key-value store: 404 problem with the job, store, key and the partition asked. */
@Provider
public class StoreKeyNotFoundMapper implements ExceptionMapper<StoreKeyNotFoundException> {

    @Override
    public Response toResponse(StoreKeyNotFoundException e) {
        return Problem.response(404, "store-key-not-found", "No value for the key", e.getMessage(),
                Map.of("job", e.job(), "store", e.store(), "key", e.key(), "partition", e.partition()), e);
    }
}
