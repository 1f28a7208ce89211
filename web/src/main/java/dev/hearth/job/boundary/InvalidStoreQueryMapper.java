package dev.hearth.job.boundary;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.job.control.InvalidStoreQueryException;
import dev.hearth.platform.rest.Problem;

/** A store query with a malformed key, range, limit or cursor: 400 problem. */
@Provider
public class InvalidStoreQueryMapper implements ExceptionMapper<InvalidStoreQueryException> {

    @Override
    public Response toResponse(InvalidStoreQueryException e) {
        return Problem.response(400, "invalid-store-query", "Invalid store query", e.getMessage(), Map.of(), e);
    }
}
