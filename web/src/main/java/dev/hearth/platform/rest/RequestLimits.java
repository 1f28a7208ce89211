package dev.hearth.platform.rest;

import java.util.Map;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps the HTTP API within configured limits before any work is done: a request body larger than
 * {@code hearth.http.max.body.bytes} is refused with 413, and when {@code hearth.http.max.concurrent.produce}
 * produce requests are already running another one gets 429 with {@code Retry-After}, so a burst of HTTP
 * producers slows down instead of piling up requests in memory. Both answers are problem+json and change
 * nothing on the server. Thread-safe.
 */
@Provider
@ApplicationScoped
public class RequestLimits implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String HOLDS_PERMIT = RequestLimits.class.getName() + ".permit";

    @Inject
    @ConfigProperty(name = "hearth.http.max.body.bytes", defaultValue = "10485760")
    long maxBodyBytes;

    @Inject
    @ConfigProperty(name = "hearth.http.max.concurrent.produce", defaultValue = "64")
    int maxConcurrentProduce;

    private Semaphore producePermits;

    @PostConstruct
    void init() {
        producePermits = new Semaphore(maxConcurrentProduce);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parse(length) > maxBodyBytes) {
            request.abortWith(Problem.response(413, "payload-too-large", "Payload too large",
                    "The request body has " + length + " bytes; at most " + maxBodyBytes
                            + " are accepted (hearth.http.max.body.bytes)",
                    Map.of("maxBodyBytes", maxBodyBytes), null));
            return;
        }
        if ("POST".equals(request.getMethod()) && request.getUriInfo().getPath().endsWith("/records")) {
            if (!producePermits.tryAcquire()) {
                Response busy = Problem.response(429, "too-many-requests", "Too many requests",
                        maxConcurrentProduce + " produce requests are already in progress "
                                + "(hearth.http.max.concurrent.produce); retry after the Retry-After delay",
                        Map.of(), null);
                request.abortWith(Response.fromResponse(busy).header(HttpHeaders.RETRY_AFTER, "1").build());
                return;
            }
            request.setProperty(HOLDS_PERMIT, Boolean.TRUE);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(HOLDS_PERMIT) != null) {
            request.removeProperty(HOLDS_PERMIT);
            producePermits.release();
        }
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
