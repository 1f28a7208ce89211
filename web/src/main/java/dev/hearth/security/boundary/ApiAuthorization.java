package dev.hearth.security.boundary;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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
import dev.hearth.security.control.HearthUser;
import dev.hearth.security.control.Role;
import dev.hearth.security.control.UserDirectory;

/**
 * Authorizes every {@code /api} call after {@link BasicAuthentication} has (or has not) established the caller:
 * no caller is a 401 problem (saying why when credentials came along but were malformed or wrong) with
 * {@code WWW-Authenticate: Basic realm="hearth"}, which also makes a browser prompt for the console's calls; a
 * caller without the method's {@link RequiresRole}, or outside its {@code topics} for a path naming a
 * {@code {topic}}, is a 403 problem that says what is missing. A login that was not checked (throttled, see
 * {@link BasicAuthentication}) is a 429 problem with Retry-After.
 * Does nothing when {@code hearth.security.enabled=false}. Stateless per request, so thread-safe.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class ApiAuthorization implements ContainerRequestFilter {

    @Inject
    UserDirectory users;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!users.enabled()) {
            return;
        }
        Principal principal = request.getSecurityContext().getUserPrincipal();
        Optional<HearthUser> caller = Optional.ofNullable(principal).map(Principal::getName).flatMap(users::user);
        if (caller.isEmpty()) {
            Object retryAfter = request.getProperty(BasicAuthentication.RETRY_AFTER_SECONDS);
            if (retryAfter != null) {
                Response problem = Problem.response(429, "too-many-logins", "Too many logins",
                        String.valueOf(request.getProperty(BasicAuthentication.CREDENTIALS_PROBLEM)),
                        Map.of("retryAfterSeconds", retryAfter), null);
                request.abortWith(Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, retryAfter).build());
                return;
            }
            Object reason = request.getProperty(BasicAuthentication.CREDENTIALS_PROBLEM);
            Response problem = Problem.response(401, "unauthorized", "Unauthorized",
                    "This API needs HTTP Basic credentials of a configured Hearth user"
                            + (reason == null ? "" : "; " + reason), Map.of(), null);
            request.abortWith(Response.fromResponse(problem)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + ConfigIdentityStore.REALM + "\", charset=\"UTF-8\"")
                    .build());
            return;
        }
        HearthUser user = caller.get();
        Role required = Optional.ofNullable(resource.getResourceMethod())
                .map(method -> method.getAnnotation(RequiresRole.class)).map(RequiresRole::value).orElse(Role.ADMIN);
        String operation = request.getMethod() + " /" + request.getUriInfo().getPath();
        if (!user.has(required)) {
            Map<String, Object> extensions = new LinkedHashMap<>();
            extensions.put("user", user.name());
            extensions.put("requiredRoles", required.grantedTo().stream().map(Role::groupName).sorted()
                    .collect(Collectors.joining(",")));
            request.abortWith(Problem.response(403, "forbidden", "Forbidden", "User " + user.name()
                    + " needs role " + describe(required) + " for " + operation, extensions, null));
            return;
        }
        String topic = request.getUriInfo().getPathParameters().getFirst("topic");
        if (topic != null && !user.mayAccessTopic(topic)) {
            request.abortWith(Problem.response(403, "forbidden-topic", "Forbidden", "User " + user.name()
                    + " is not permitted topic " + topic + " (hearth.security.user." + user.name() + ".topics)",
                    Map.of("user", user.name(), "topic", topic), null));
        }
    }

    private static String describe(Role required) {
        return required.grantedTo().stream().map(Role::groupName).sorted().collect(Collectors.joining(" or "));
    }
}
