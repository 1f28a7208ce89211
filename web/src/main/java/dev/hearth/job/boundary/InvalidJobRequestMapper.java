package dev.hearth.job.boundary;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.platform.rest.Problem;

/** A job request that cannot be carried out as asked: 400 problem. */
@Provider
public class InvalidJobRequestMapper implements ExceptionMapper<InvalidJobRequestException> {

    @Override
    public Response toResponse(InvalidJobRequestException e) {
        return Problem.response(400, "invalid-job-request", "Invalid job request", e.getMessage(), Map.of(), e);
    }
}
