package dev.hearth.kafka;

import java.net.InetAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

import dev.hearth.security.HearthSecurity;
import dev.hearth.security.Principals;

/**
 * The one place where a Kafka request's caller is turned into ACL decisions: the principal the connection
 * authenticated as ({@link RequestContext#principal}) and the client's address as text
 * ({@link InetAddress#getHostAddress()}, the form ACL hosts are written in), asked of {@link HearthSecurity}.
 * Which operation on which resource each API needs is decided by the API handlers, as in Kafka's
 * {@code KafkaApis}; they only ask through a {@link Caller}.
 *
 * <p>Thread-safety: immutable; a {@link Caller} is immutable too and lives for one request.
 */
final class RequestAuthorizer {

    /** The name of the only CLUSTER resource, as in Kafka ({@code Resource.CLUSTER_NAME}). */
    static final String CLUSTER_NAME = "kafka-cluster";

    /**
     * Refusals, at FINE (Kafka's {@code kafka.authorizer.logger} at INFO is this logger at FINE): off by default, as
     * filtering Metadata or ListGroups makes many that are no one's mistake.
     */
    private static final Logger DECISIONS = Logger.getLogger("dev.hearth.kafka.authorizer");

    private final HearthSecurity security;

    RequestAuthorizer(HearthSecurity security) {
        this.security = security;
    }

    /** The caller of one request. */
    Caller caller(RequestContext context) {
        InetAddress address = context.clientAddress;
        return new Caller(context.principal == null ? KafkaPrincipal.ANONYMOUS : context.principal,
                address == null ? "" : address.getHostAddress());
    }

    /** A request's principal and client address, with the questions handlers ask about them. */
    final class Caller {

        private final KafkaPrincipal principal;
        /** The client's IP address as text, the form an ACL's host is compared with. */
        private final String host;

        private Caller(KafkaPrincipal principal, String host) {
            this.principal = principal;
            this.host = host;
        }

        KafkaPrincipal principal() {
            return principal;
        }

        /** {@code User:alice}, as the audit trail records it. */
        String principalText() {
            return Principals.text(principal);
        }

        String host() {
            return host;
        }

        /** Whether the caller may perform {@code operation} on the named resource (Kafka's {@code authorize}). */
        boolean may(AclOperation operation, ResourceType type, String name) {
            boolean allowed = security.authorize(principal, host, operation, type, name);
            if (!allowed && DECISIONS.isLoggable(Level.FINE)) {
                DECISIONS.fine("HEARTH-0451 Denied " + principalText() + " from " + host + ": " + operation + " on "
                        + type + " " + name);
            }
            return allowed;
        }

        boolean mayOnTopic(AclOperation operation, String topic) {
            return may(operation, ResourceType.TOPIC, topic);
        }

        boolean mayOnGroup(AclOperation operation, String group) {
            return may(operation, ResourceType.GROUP, group);
        }

        boolean mayOnTransactionalId(AclOperation operation, String transactionalId) {
            return may(operation, ResourceType.TRANSACTIONAL_ID, transactionalId);
        }

        boolean mayOnCluster(AclOperation operation) {
            return may(operation, ResourceType.CLUSTER, CLUSTER_NAME);
        }

        /** Whether the caller may perform {@code operation} on some resource of {@code type} (authorizeByResourceType). */
        boolean mayOnAny(AclOperation operation, ResourceType type) {
            return security.authorizeAny(principal, host, operation, type);
        }

        /**
         * Whether the caller may create {@code topic}: CREATE on the cluster or on the topic, as Kafka's
         * CreateTopics and Metadata auto-creation decide.
         */
        boolean mayCreateTopic(String topic) {
            return mayOnCluster(AclOperation.CREATE) || mayOnTopic(AclOperation.CREATE, topic);
        }
    }
}
