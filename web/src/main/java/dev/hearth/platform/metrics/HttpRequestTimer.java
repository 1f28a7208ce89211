package dev.hearth.platform.metrics;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Times every REST request into {@link HttpRequestMetrics}: the clock starts before resource matching
 * ({@link PreMatching}), so requests that match no resource method (404, 405) and requests whose method failed
 * (mapped to a problem response) are timed too. Stateless; thread-safe.
 */
@Provider
@PreMatching
public class HttpRequestTimer implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String STARTED = HttpRequestTimer.class.getName() + ".startedNanos";

    @Inject
    HttpRequestMetrics metrics;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(STARTED) instanceof Long startedNanos)) {
            return;
        }
        String name = resource == null || resource.getResourceMethod() == null ? HttpRequestMetrics.UNMATCHED
                : resource.getResourceClass().getSimpleName() + "." + resource.getResourceMethod().getName();
        metrics.observe(name, response.getStatus(), System.nanoTime() - startedNanos);
    }
}
