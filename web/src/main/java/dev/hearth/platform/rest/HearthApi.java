package dev.hearth.platform.rest;

import java.util.Map;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

/**
 * Hearth's HTTP API root. Paths below follow Confluent REST Proxy v3 where it fits. The {@code Problem}
 * schema documents the RFC 9457 body of every error (see {@link Problem}); resources refer to it by name.
 */
@ApplicationPath("/api")
@OpenAPIDefinition(
        info = @Info(title = "Hearth", version = "0.1.0",
                description = "A Kafka-compatible log: topics, records and consumer groups"),
        components = @Components(schemas = @Schema(name = "Problem", type = SchemaType.OBJECT,
                description = "An RFC 9457 problem; extension members carry recovery data (topic, partition, "
                        + "logStartOffset, …)",
                requiredProperties = {"type", "title", "status"},
                properties = {
                        @SchemaProperty(name = "type", type = SchemaType.STRING, format = "uri",
                                description = "Stable per kind of error, e.g. https://hearth.dev/problems/unknown-topic"),
                        @SchemaProperty(name = "title", type = SchemaType.STRING, description = "Constant per type"),
                        @SchemaProperty(name = "status", type = SchemaType.INTEGER, description = "The HTTP status"),
                        @SchemaProperty(name = "detail", type = SchemaType.STRING, description = "What went wrong here"),
                        @SchemaProperty(name = "instance", type = SchemaType.STRING,
                                description = "urn:uuid id of this occurrence, also in the server log")})))
public class HearthApi extends Application {

    /** Jersey's generated WADL (answered to OPTIONS) would publish Java method names and the Jersey version. */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
