package dev.hearth.platform.rest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.UriInfo;

/**
 * The links of Confluent REST Proxy v3 bodies: a resource's {@code metadata} ({@code self} and its CRN
 * {@code resource_name}), a list's ({@code self}, {@code next}: null, Hearth's lists are one page) and
 * {@code {"related": url}}. URLs are absolute, on the base of the request being answered, as Confluent's are.
 * Stateless; thread-safe.
 */
public final class ResourceLinks {

    private ResourceLinks() {
    }

    /** {@code path} (below {@code /api}, without a leading slash) as an absolute URL of the request's base. */
    public static String url(UriInfo uri, String path) {
        return uri.getBaseUriBuilder().path(path).build().toString();
    }

    public static JsonObject metadata(UriInfo uri, String path, String resourceName) {
        return Json.createObjectBuilder().add("self", url(uri, path)).add("resource_name", resourceName).build();
    }

    public static JsonObject listMetadata(UriInfo uri, String path) {
        return Json.createObjectBuilder().add("self", url(uri, path)).addNull("next").build();
    }

    public static JsonObject related(UriInfo uri, String path) {
        return Json.createObjectBuilder().add("related", url(uri, path)).build();
    }
}
