package dev.hearth.connector.api;

/**
 * Which ACLs to list or delete (Kafka's {@code AclBindingFilter}): a null field matches anything. Text as in
 * {@link AclEntry}; {@code patternType} may also be Kafka's {@code ANY} or {@code MATCH} (every pattern that applies
 * to {@code resourceName}: literal, the {@code *} wildcard and matching prefixes), {@code operation} and
 * {@code permission} {@code ANY}. Immutable.
 */
public record AclFilter(String principal, String host, String resourceType, String patternType, String resourceName,
                        String operation, String permission) {

    /** Matches every ACL. */
    public static final AclFilter ANY = new AclFilter(null, null, null, null, null, null, null);

    /** The filter that matches exactly this entry. */
    public static AclFilter exactly(AclEntry entry) {
        return new AclFilter(entry.principal(), entry.host(), entry.resourceType(), entry.patternType(),
                entry.resourceName(), entry.operation(), entry.permission());
    }
}
