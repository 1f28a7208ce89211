package dev.hearth.platform.rest;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem response, the only shape of an HTTP error in Hearth. {@code type} is stable per kind of
 * error; {@code instance} is a fresh id that is also logged, so an operator can find the log line a user
 * reports. {@code detail} is for the client: callers never put stack traces, Java class names or file-system
 * paths in it; the cause, with all of those, goes to the log only. Stateless, so thread-safe.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://hearth.dev/problems/";
    private static final Logger LOG = Logger.getLogger(Problem.class.getName());
    /** The longest client-supplied value (a path, a header, a parameter) repeated in a detail, in characters. */
    private static final int MAX_ECHO_CHARS = 100;

    private Problem() {
    }

    /**
     * @param kind       the type's last path segment, e.g. {@code unknown-topic}
     * @param extensions recovery data (topic, partition, logStartOffset, …)
     */
    public static Response response(int status, String kind, String title, String detail, Map<String, ?> extensions,
                                    Throwable cause) {
        return Response.status(status).type(MEDIA_TYPE).entity(json(status, kind, title, detail, extensions, cause))
                .build();
    }

    /**
     * A problem named after the HTTP status alone (kind and title from its reason phrase), for errors raised
     * by JAX-RS or the servlet container rather than by Hearth.
     */
    public static Response forStatus(int status, String detail, Throwable cause) {
        String title = reasonPhrase(status);
        return response(status, title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"), title, detail, Map.of(),
                cause);
    }

    /** A client-supplied value as a detail repeats it: cut to a readable length; "(none)" when absent. */
    static String echo(String clientValue) {
        if (clientValue == null) {
            return "(none)";
        }
        return clientValue.length() <= MAX_ECHO_CHARS ? clientValue : clientValue.substring(0, MAX_ECHO_CHARS) + "…";
    }

    private static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return status >= 500 ? "Server error" : "Client error";
    }

    /** The problem document as JSON text; logs it (and {@code cause}) under the fresh instance id. */
    private static String json(int status, String kind, String title, String detail, Map<String, ?> extensions,
                               Throwable cause) {
        String instance = "urn:uuid:" + UUID.randomUUID();
        Level level = status >= 500 ? Level.WARNING : Level.FINE;
        LOG.log(level, "HEARTH-0301 " + status + " " + kind + " " + instance + ": " + detail, cause);
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", TYPE_BASE + kind)
                .add("title", title)
                .add("status", status)
                .add("detail", detail == null ? title : detail)
                .add("instance", instance);
        extensions.forEach((key, value) -> {
            if (value instanceof Number number) {
                body.add(key, number.longValue());
            } else if (value != null) {
                body.add(key, value.toString());
            }
        });
        return body.build().toString();
    }
}
