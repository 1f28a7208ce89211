package dev.hearth.platform.rest;

import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem response. {@code type} is stable per kind of error; {@code instance} is a fresh id
 * that is also logged, so an operator can find the log line a user reports.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://hearth.dev/problems/";
    private static final Logger LOG = Logger.getLogger(Problem.class.getName());

    private Problem() {
    }

    /**
     * @param kind       the type's last path segment, e.g. {@code unknown-topic}
     * @param extensions recovery data (topic, partition, logStartOffset, …)
     */
    public static Response response(int status, String kind, String title, String detail, Map<String, ?> extensions,
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
        return Response.status(status).type(MEDIA_TYPE).entity(body.build().toString()).build();
    }
}
