package dev.hearth.connector.api;

import java.util.Objects;

/**
 * One Kafka ACL (an {@code AclBinding}) as the connection API carries it: every field is text, the enum ones
 * spelled as Kafka's enum constants, so that applications need no kafka-clients. The connector validates them
 * with Kafka's enums and answers {@link HearthError#INVALID_REQUEST} for anything Kafka would refuse. Immutable.
 *
 * @param principal    {@code User:alice}, or {@code User:*} for every user
 * @param host         the client address the ACL applies to, or {@code *}
 * @param resourceType {@code TOPIC}, {@code GROUP}, {@code CLUSTER}, {@code TRANSACTIONAL_ID}
 * @param patternType  {@code LITERAL} (the name, or {@code *} for every resource) or {@code PREFIXED}
 * @param resourceName a topic or group name (prefix), {@code kafka-cluster} for the cluster
 * @param operation    {@code READ}, {@code WRITE}, {@code CREATE}, {@code DELETE}, {@code ALTER}, {@code DESCRIBE},
 *                     {@code ALTER_CONFIGS}, {@code DESCRIBE_CONFIGS}, {@code IDEMPOTENT_WRITE}, {@code ALL}…
 * @param permission   {@code ALLOW} or {@code DENY}
 */
public record AclEntry(String principal, String host, String resourceType, String patternType, String resourceName,
                       String operation, String permission) {

    public AclEntry {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(patternType, "patternType");
        Objects.requireNonNull(resourceName, "resourceName");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permission, "permission");
    }

    /** Kafka's text form, as {@code kafka-acls --list} prints it. */
    @Override
    public String toString() {
        return "(principal=" + principal + ", host=" + host + ", operation=" + operation + ", permissionType="
                + permission + ") on ResourcePattern(resourceType=" + resourceType + ", name=" + resourceName
                + ", patternType=" + patternType + ")";
    }
}
