package dev.hearth.security.boundary;

import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import dev.hearth.platform.rest.Problem;
import dev.hearth.security.control.AccessControl;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * The caller of one HTTP request as Kafka's authorizer sees it: principal {@code User:<name>} (the name Basic
 * authentication established) and host (the client's address, {@code HttpServletRequest.getRemoteAddr()}; behind a
 * reverse proxy that is the proxy's, see README). Decisions come from the resource adapter's ACLs; with
 * {@code hearth.security.enabled=false} everything is allowed. A refusal is a 403 problem naming the operation and
 * the resource. One per request, used by that request's thread only.
 */
@RequestScoped
public class Caller {

    private static final Logger LOG = Logger.getLogger(Caller.class.getName());

    @Inject
    AccessControl access;

    @Inject
    HttpServletRequest request;

    private Boolean enabled;

    public boolean securityEnabled() {
        if (enabled == null) {
            enabled = access.enabled();
        }
        return enabled;
    }

    /** {@code User:<name>}, or empty for a request without established caller. */
    public Optional<String> principal() {
        return Optional.ofNullable(request.getUserPrincipal()).map(Principal::getName)
                .map(name -> "User:" + name);
    }

    /** The user name, or empty for a request without established caller. */
    public Optional<String> userName() {
        return Optional.ofNullable(request.getUserPrincipal()).map(Principal::getName);
    }

    public String host() {
        return request.getRemoteAddr();
    }

    /** Whether the caller may; false without a caller unless security is disabled. */
    public boolean may(AclOperation operation, AclResourceType type, String name) {
        if (!securityEnabled()) {
            return true;
        }
        Optional<String> principal = principal();
        return principal.isPresent() && access.allowed(principal.get(), host(), operation, type, resource(type, name));
    }

    /** @throws WebApplicationException a 403 problem when the caller may not */
    public void require(AclOperation operation, AclResourceType type, String name) {
        if (!may(operation, type, name)) {
            throw new WebApplicationException(forbidden(operation, type, resource(type, name)));
        }
    }

    /** Those of {@code names} the caller may perform the operation on, in their order. */
    public Set<String> allowed(AclOperation operation, AclResourceType type, Collection<String> names) {
        if (!securityEnabled()) {
            return Set.copyOf(names);
        }
        Optional<String> principal = principal();
        return principal.isEmpty() ? Set.of() : access.allowedNames(principal.get(), host(), operation, type, names);
    }

    /** The 403 problem for a refused operation: what is missing, on which resource, for whom. */
    Response forbidden(AclOperation operation, AclResourceType type, String name) {
        String principal = principal().orElse("User:ANONYMOUS");
        LOG.fine(() -> "HEARTH-0851 denied " + principal + " from " + host() + ": " + operation + " on " + type + " "
                + name);
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("principal", principal);
        extensions.put("host", host());
        extensions.put("operation", operation.name());
        extensions.put("resourceType", type.name());
        extensions.put("resourceName", name);
        if (type == AclResourceType.TOPIC) {
            extensions.put("topic", name);
        } else if (type == AclResourceType.GROUP) {
            extensions.put("group", name);
        }
        return Problem.response(403, "forbidden", "Forbidden", principal + " from " + host() + " may not "
                + operation + " on " + type + " '" + name + "': no ACL allows it (Kafka's ACLs decide HTTP "
                + "requests too; see /api/v3/clusters/{clusterId}/acls)", extensions, null);
    }

    private static String resource(AclResourceType type, String name) {
        return type == AclResourceType.CLUSTER ? AclResourceType.CLUSTER_NAME : name;
    }
}
