package dev.hearth.platform.metrics;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Times every REST request per resource method, into the MP Metrics timer {@code hearth_http_request} (exported as {@code hearth_http_request_seconds_*})
 * with tags {@code resource} (class and method, e.g. {@code RecordsResource.produce}) and {@code status} class
 * ({@code 2xx}, {@code 4xx}…). The timer's quantiles, count, sum and max are what {@code /metrics} shows; requests
 * that match no resource method (404s of unknown paths) are not timed. Stateless; thread-safe.
 */
@Provider
public class HttpRequestTimer implements ContainerRequestFilter, ContainerResponseFilter {

    static final Metadata REQUEST_SECONDS = Metadata.builder().withName("hearth_http_request")
            .withDescription("Latency of REST requests per resource method and status class")
            .withUnit(MetricUnits.SECONDS).build();
    private static final String STARTED = HttpRequestTimer.class.getName() + ".startedNanos";

    @Inject
    MetricRegistry registry;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        if (!(started instanceof Long startedNanos) || resource == null || resource.getResourceMethod() == null) {
            return;
        }
        String name = resource.getResourceClass().getSimpleName() + "." + resource.getResourceMethod().getName();
        registry.timer(REQUEST_SECONDS, new Tag("resource", name),
                        new Tag("status", (response.getStatus() / 100) + "xx"))
                .update(Duration.ofNanos(System.nanoTime() - startedNanos));
    }
}
