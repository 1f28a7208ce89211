package dev.hearth.security;

import java.util.List;

import org.apache.kafka.common.acl.AclBinding;

/**
 * Where the ACLs of {@link AclAuthorizer} live: a file in the data directory (the embedded engine, or a cluster
 * without an authorizer), or a Kafka cluster's own ACLs ({@code hearth.backend=kafka}), so that one set governs
 * Kafka clients of the cluster and Hearth's HTTP users, message-driven beans and jobs alike.
 *
 * <p>Thread-safety: {@link AclAuthorizer} serializes {@link #replace} calls; {@link #load} may run concurrently.
 */
public interface AclStore {

    /** Every binding the store holds now. */
    List<AclBinding> load();

    /** Makes the store hold {@code next} where it held {@code previous}; durable on return. */
    void replace(List<AclBinding> previous, List<AclBinding> next);
}
