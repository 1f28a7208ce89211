package dev.hearth.security.control;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.hearth.platform.control.LogConnections;

/**
 * Authentication and authorization for the HTTP API, decided by the resource adapter's one user directory and
 * Kafka's ACLs (the same ones the Kafka listener uses) through the connection API. Principals are Kafka's
 * {@code User:<name>}; hosts are client addresses. Every answer comes from the adapter at the time of the call: an
 * ACL or password changed over Kafka or HTTP applies to the next request. Stateless, so thread-safe.
 */
@ApplicationScoped
public class AccessControl {

    @Inject
    LogConnections connections;

    /** False when {@code hearth.security.enabled=false}: everything is allowed without credentials. */
    public boolean enabled() {
        return connections.apply(connection -> connection.securityEnabled());
    }

    /**
     * The principal whose password this is, or empty.
     *
     * @throws dev.hearth.connector.api.HearthConnectionException LOGIN_BUSY when the password was not checked
     */
    public Optional<String> authenticate(String user, char[] password) {
        return connections.apply(connection -> connection.authenticate(user, password));
    }

    public boolean allowed(String principal, String host, AclOperation operation, AclResourceType type, String name) {
        return connections.apply(connection ->
                connection.authorize(principal, host, operation.name(), type.name(), name));
    }

    /** Those of {@code names} the principal may perform {@code operation} on, in their order; one connection. */
    public Set<String> allowedNames(String principal, String host, AclOperation operation, AclResourceType type,
                                    Collection<String> names) {
        return connections.apply(connection -> {
            Set<String> allowed = new LinkedHashSet<>();
            for (String name : names) {
                if (connection.authorize(principal, host, operation.name(), type.name(), name)) {
                    allowed.add(name);
                }
            }
            return allowed;
        });
    }
}
