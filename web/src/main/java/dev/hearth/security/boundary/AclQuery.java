package dev.hearth.security.boundary;

import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import dev.hearth.connector.api.AclFilter;

/**
 * The query parameters that select ACLs, for listing and deleting alike: each absent or empty one matches anything.
 * A JAX-RS {@code @BeanParam}, filled per request.
 */
public class AclQuery {

    @Parameter(description = "TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID or ANY")
    @QueryParam("resource_type")
    String resourceType;

    @QueryParam("resource_name")
    String resourceName;

    @Parameter(description = "LITERAL, PREFIXED, ANY or MATCH")
    @QueryParam("pattern_type")
    String patternType;

    @QueryParam("principal")
    String principal;

    @QueryParam("host")
    String host;

    @QueryParam("operation")
    String operation;

    @QueryParam("permission")
    String permission;

    boolean namesResourceType() {
        return blankToNull(resourceType) != null;
    }

    AclFilter filter() {
        return new AclFilter(blankToNull(principal), blankToNull(host), blankToNull(resourceType),
                blankToNull(patternType), blankToNull(resourceName), blankToNull(operation), blankToNull(permission));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
