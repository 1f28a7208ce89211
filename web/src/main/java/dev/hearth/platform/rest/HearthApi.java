package dev.hearth.platform.rest;

import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * Hearth's HTTP API root. Paths below follow Confluent REST Proxy v3 where it fits. The document's schemas, the
 * {@code Problem} of every error included, are added by {@link ApiDocument}: Payara writes {@code multipleOf: 0}
 * (invalid OpenAPI) for every {@code @SchemaProperty} of an annotated schema.
 */
@ApplicationPath("/api")
@OpenAPIDefinition(
        info = @Info(title = "Hearth", version = "0.1.0",
                description = "A Kafka-compatible log: topics, records and consumer groups"))
public class HearthApi extends Application {

    /**
     * The JAX-RS classes are Hearth's own, found by Jersey in its packages ({@code dev.hearth}, see
     * {@link #getProperties()}), not by the container's scan of the whole WAR: WEB-INF/lib holds Kafka Connect's
     * runtime, whose own resources and providers (for its Jetty server, injected by HK2) the scan would deploy here
     * too, and CDI then refuses the application. A non-empty answer is what turns the container's scan off; the
     * class named is one of those the package scan finds anyway.
     */
    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(UnexpectedErrorMapper.class);
    }

    /**
     * Jersey's generated WADL (answered to OPTIONS) would publish Java method names and the Jersey version; the
     * resources and providers are the classes of Hearth's packages (see {@link #getClasses()}).
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true,
                "jersey.config.server.provider.packages", "dev.hearth",
                "jersey.config.server.provider.scanning.recursive", true);
    }
}
