package dev.hearth.platform.rest;

import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Last resort for whatever no narrower mapper takes, errors included: a 500 whose detail says only that the
 * error was logged under the problem's instance id (never a stack trace, class name or message). A client's
 * mistake never ends here: bad bodies become {@link BadRequest}s in {@link RequestBodyGuard}, bad parameters in
 * {@link NumericParameters}. Stateless, so thread-safe.
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable e) {
        return Problem.response(500, "internal-error", "Internal error",
                "An unexpected error occurred; it was logged with this problem's instance id", Map.of(), e);
    }
}
