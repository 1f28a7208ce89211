package dev.hearth.security.boundary;

import java.lang.reflect.Method;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import dev.hearth.platform.rest.Problem;
import dev.hearth.security.control.AclOperation;
import dev.hearth.security.control.AclResourceType;

/**
 * Authorizes every {@code /api} call with Kafka's ACLs after {@link BasicAuthentication} has (or has not)
 * established the caller:
 * <ul>
 *   <li>no caller is a 401 problem (saying why when credentials came along but were malformed or wrong) with
 *       {@code WWW-Authenticate: Basic realm="hearth"}, except for a script's request that says so with
 *       {@code X-Requested-With} (the console, which signs in with a page of its own: the challenge would make the
 *       browser prompt, and a headless one hang);
 *       a login that was not checked (throttled or busy, see {@link BasicAuthentication}) is a 429 problem with
 *       Retry-After;</li>
 *   <li>each {@link RequiresAcl} of the resource method that names the cluster or a path parameter must be allowed
 *       for {@code User:<name>} from the client's address, else a 403 problem names the operation and resource
 *       ({@link Caller#forbidden}); a method that declares none is refused, and JAX-RS's own methods (OPTIONS) need
 *       Describe on the cluster.</li>
 * </ul>
 * Does nothing when {@code hearth.security.enabled=false}. Stateless per request, so thread-safe.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class ApiAuthorization implements ContainerRequestFilter {

    /** Sent by scripts (the console): a 401 to them carries no Basic challenge. */
    static final String REQUESTED_WITH = "X-Requested-With";

    @Inject
    Caller caller;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!caller.securityEnabled()) {
            return;
        }
        if (caller.principal().isEmpty()) {
            request.abortWith(unauthenticated(request));
            return;
        }
        Method method = resource.getResourceMethod();
        RequiresAcl[] required = method == null ? null : method.getAnnotationsByType(RequiresAcl.class);
        if (required == null) {
            check(request, AclOperation.DESCRIBE, AclResourceType.CLUSTER, AclResourceType.CLUSTER_NAME);
            return;
        }
        if (required.length == 0) {
            request.abortWith(Problem.response(403, "forbidden", "Forbidden", "This operation declares no ACL, so "
                    + "nobody may call it", Map.of(), null));
            return;
        }
        for (RequiresAcl acl : required) {
            String name;
            if (acl.on() == AclResourceType.CLUSTER) {
                name = AclResourceType.CLUSTER_NAME;
            } else if (acl.named().equals(RequiresAcl.EACH_LISTED) || acl.named().equals(RequiresAcl.BY_METHOD)) {
                continue;
            } else {
                name = request.getUriInfo().getPathParameters().getFirst(acl.named());
                if (name == null) {
                    throw new IllegalStateException("HEARTH-0850 " + method + " declares an ACL on path parameter '"
                            + acl.named() + "', which its path does not have");
                }
            }
            if (!check(request, acl.value(), acl.on(), name)) {
                return;
            }
        }
    }

    private boolean check(ContainerRequestContext request, AclOperation operation, AclResourceType type, String name) {
        if (caller.may(operation, type, name)) {
            return true;
        }
        request.abortWith(caller.forbidden(operation, type, name));
        return false;
    }

    private static Response unauthenticated(ContainerRequestContext request) {
        Object retryAfter = request.getProperty(BasicAuthentication.RETRY_AFTER_SECONDS);
        if (retryAfter != null) {
            Response problem = Problem.response(429, "too-many-logins", "Too many logins",
                    String.valueOf(request.getProperty(BasicAuthentication.CREDENTIALS_PROBLEM)),
                    Map.of("retryAfterSeconds", retryAfter), null);
            return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, retryAfter).build();
        }
        Object reason = request.getProperty(BasicAuthentication.CREDENTIALS_PROBLEM);
        Response problem = Problem.response(401, "unauthorized", "Unauthorized",
                "This API needs HTTP Basic credentials of a Hearth user" + (reason == null ? "" : "; " + reason),
                Map.of(), null);
        if (request.getHeaderString(REQUESTED_WITH) != null) {
            return problem;
        }
        return Response.fromResponse(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + BasicAuthentication.REALM
                        + "\", charset=\"UTF-8\"")
                .build();
    }
}
