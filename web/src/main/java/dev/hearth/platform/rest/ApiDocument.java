package dev.hearth.platform.rest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.eclipse.microprofile.openapi.models.tags.Tag;

/**
 * Finishes Payara's {@code /openapi} so that code generators accept it (registered by {@code mp.openapi.filter}):
 * <ul>
 *   <li>every JSON body gets its schema from {@link ApiBodies} by operation id, and the success response its
 *       real status (Payara says 200 for any {@code Response});</li>
 *   <li>4XX and 5XX are problems ({@link ProblemResponses}) of the {@code Problem} schema;</li>
 *   <li>a {@code long} parameter is an integer of format int64: Payara says {@code number}, of which generated
 *       clients make a {@code BigDecimal} (every numeric parameter of {@code /api} is an {@code int} or a
 *       {@code long}, which {@link NumericParameters} parses);</li>
 *   <li>HTTP Basic, which {@code /api} requires when {@code hearth.security.enabled} (the default), is declared
 *       as the scheme {@value #SECURITY_SCHEME} and applies to every operation;</li>
 *   <li>a tag that several resource classes carry (Kafka Connect's) is listed once: Payara lists it per class,
 *       which OpenAPI forbids;</li>
 *   <li>{@code servers} is the relative {@code /}: Payara writes the scheme, host and port of the request that
 *       fetched the document (wrong behind a proxy or for a saved copy), and the paths already start with
 *       {@code /api}.</li>
 * </ul>
 * A filter rather than annotations: the resources read and write {@code jakarta.json} values, and annotating a
 * response makes Payara drop the one it derives. Stateless; thread-safe.
 */
public class ApiDocument implements OASFilter {

    /** The name of the HTTP Basic security scheme in {@code components.securitySchemes}. */
    public static final String SECURITY_SCHEME = "basic";

    private static final Logger LOG = Logger.getLogger(ApiDocument.class.getName());

    private final ProblemResponses problems = new ProblemResponses();

    @Override
    public Operation filterOperation(Operation operation) {
        ApiBodies.Bodies bodies = ApiBodies.of(operation.getOperationId());
        if (bodies != null) {
            describeBodies(operation, bodies);
        }
        return problems.filterOperation(operation);
    }

    @Override
    public Parameter filterParameter(Parameter parameter) {
        Schema schema = parameter.getSchema();
        if (schema != null && schema.getType() == Schema.SchemaType.NUMBER && schema.getFormat() == null) {
            schema.type(Schema.SchemaType.INTEGER).format("int64");
        }
        return parameter;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        ApiBodies.schemas().forEach(components::addSchema);
        components.addSecurityScheme(SECURITY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("basic")
                .description("A Hearth user's name and password (SCRAM users, see /users); the Kafka ACLs of "
                        + "User:<name> decide what it may do"));
        openAPI.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SECURITY_SCHEME)));
        openAPI.setServers(List.of(OASFactory.createServer().url("/")
                .description("The server that serves this document")));
        dropPayaraEndpoints(openAPI);
        if (openAPI.getTags() != null) {
            Map<String, Tag> byName = new java.util.LinkedHashMap<>();
            openAPI.getTags().forEach(tag -> byName.merge(tag.getName(), tag,
                    (first, again) -> first.getDescription() != null ? first : again));
            openAPI.setTags(new java.util.ArrayList<>(byName.values()));
        }
    }

    /**
     * Payara adds a top-level {@code endpoints} member (the URLs of its HTTP listeners, host and port included),
     * which OpenAPI does not define: swagger-parser, openapi-generator's parser, reports it. Its model class is
     * Payara's, not visible to the application, hence reflection; an empty map is left out of the document (Payara
     * writes non-empty members only). Should a later Payara not have it, there is nothing to drop.
     */
    private static void dropPayaraEndpoints(OpenAPI openAPI) {
        try {
            openAPI.getClass().getMethod("setEndpoints", Map.class).invoke(openAPI, new TreeMap<>());
        } catch (NoSuchMethodException e) {
            // Not Payara's model, or a Payara without the member: nothing to drop.
        } catch (ReflectiveOperationException e) {
            LOG.log(Level.FINE, "Payara's endpoints member stays in /openapi", e);
        }
    }

    private static void describeBodies(Operation operation, ApiBodies.Bodies bodies) {
        if (bodies.request() != null) {
            RequestBody request = operation.getRequestBody() != null ? operation.getRequestBody()
                    : OASFactory.createRequestBody();
            operation.setRequestBody(request.required(true).content(json(bodies.request())));
        }
        APIResponses responses = operation.getResponses() != null ? operation.getResponses()
                : OASFactory.createAPIResponses();
        APIResponse success = null;
        Map<String, APIResponse> existing = responses.getAPIResponses();
        if (existing != null) {
            for (String code : List.copyOf(existing.keySet())) {
                if (code.startsWith("2") || code.equals(APIResponses.DEFAULT)) {
                    APIResponse removed = responses.getAPIResponse(code);
                    if (code.equals(bodies.status())) {
                        success = removed;
                    }
                    responses.removeAPIResponse(code);
                }
            }
        }
        if (success == null) {
            success = OASFactory.createAPIResponse();
        }
        if (success.getDescription() == null || success.getDescription().isBlank()) {
            success.description(switch (bodies.status()) {
                case "201" -> "Created";
                case "202" -> "Accepted";
                case "204" -> "No content";
                default -> "OK";
            });
        }
        success.content(bodies.response() == null ? null : json(bodies.response()));
        responses.addAPIResponse(bodies.status(), success);
        operation.setResponses(responses);
    }

    private static org.eclipse.microprofile.openapi.models.media.Content json(String schema) {
        return OASFactory.createContent().addMediaType(MediaType.APPLICATION_JSON,
                OASFactory.createMediaType().schema(ApiBodies.ref(schema)));
    }
}
