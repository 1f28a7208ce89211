package dev.hearth.platform.rest;

import java.util.Map;

import jakarta.json.JsonException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Last resort: malformed JSON becomes a 400; anything else a 500 whose detail says only that the error was
 * logged under the problem's instance id (never a stack trace).
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<RuntimeException> {

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof JsonException || e.getCause() instanceof JsonException) {
            return Problem.response(400, "malformed-json", "Malformed JSON", "The request body is not valid JSON: "
                    + e.getMessage(), Map.of(), e);
        }
        return Problem.response(500, "internal-error", "Internal error",
                "An unexpected error occurred; it was logged with this problem's instance id", Map.of(), e);
    }
}
