package dev.hearth.platform.rest;

import java.util.Map;

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

    /** Jersey's generated WADL (answered to OPTIONS) would publish Java method names and the Jersey version. */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
