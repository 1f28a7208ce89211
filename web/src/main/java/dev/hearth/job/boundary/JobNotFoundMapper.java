package dev.hearth.job.boundary;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.platform.rest.Problem;

/** An unknown job name: 404 problem with the name. */
@Provider
public class JobNotFoundMapper implements ExceptionMapper<JobNotFoundException> {

    @Override
    public Response toResponse(JobNotFoundException e) {
        return Problem.response(404, "job-not-found", "Unknown stream job", e.getMessage(), Map.of("job", e.job()), e);
    }
}
