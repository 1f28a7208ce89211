package dev.hearth.platform.rest;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * JAX-RS's own errors (404, 405, 406, 415, …) and the resources' {@link BadRequest}s as problem responses. A
 * {@link BadRequest} brings its own type and detail; for an error JAX-RS raised, the detail is written here from
 * the request (method, path, content type), never taken from the exception, whose message may name internals.
 * The original response's headers ({@code Allow}, {@code Retry-After}, …) are kept. Stateless apart from the
 * request-scoped context proxies, so thread-safe.
 */
@Provider
public class WebApplicationErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    UriInfo uri;

    @Context
    Request request;

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity() && Problem.MEDIA_TYPE.equals(String.valueOf(original.getMediaType()))) {
            return original;
        }
        Response problem = e instanceof BadRequest bad
                ? Problem.response(original.getStatus(), bad.kind(), bad.title(), bad.getMessage(), Map.of(), e)
                : Problem.forStatus(original.getStatus(), detail(original), e);
        Response.ResponseBuilder builder = Response.fromResponse(problem);
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    private String detail(Response original) {
        String method = request.getMethod();
        String path = Problem.echo("/api/" + uri.getPath(false));
        return switch (original.getStatus()) {
            case 400 -> "The request is malformed: a header, parameter or its body could not be read";
            case 404 -> "There is no API resource at " + path;
            case 405 -> method + " is not supported on " + path + "; it allows "
                    + String.join(", ", original.getAllowedMethods());
            case 406 -> "The Accept header (" + Problem.echo(headers.getHeaderString(HttpHeaders.ACCEPT))
                    + ") names no media type that " + path + " produces; it answers application/json";
            case 415 -> "The Content-Type " + Problem.echo(headers.getHeaderString(HttpHeaders.CONTENT_TYPE))
                    + " is not accepted by " + method + " " + path + "; send application/json";
            default -> original.getStatusInfo().getReasonPhrase() + ": " + method + " " + path;
        };
    }
}
