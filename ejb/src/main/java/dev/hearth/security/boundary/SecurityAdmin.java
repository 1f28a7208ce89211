package dev.hearth.security.boundary;

import java.util.List;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import dev.hearth.audit.control.AuditAction;
import dev.hearth.audit.control.AuditTrail;
import dev.hearth.connector.api.AclEntry;
import dev.hearth.connector.api.AclFilter;
import dev.hearth.connector.api.UserDescription;
import dev.hearth.platform.control.LogConnections;

/**
 * Users and ACLs for the REST API and the console: Hearth's one user directory and Kafka's ACLs, kept by the
 * resource adapter and shared with the Kafka listener. Changes are not transactional; each one that succeeded is
 * then written to the audit trail — ACLs in Kafka's text form, users by name and SCRAM mechanisms, never a
 * password or credential. A stateless bean: thread-safe, the adapter serializes changes.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SecurityAdmin {

    @Inject
    LogConnections connections;

    @Inject
    AuditTrail audit;

    public List<UserDescription> users() {
        return connections.apply(connection -> connection.listUsers());
    }

    /** Creates the user or replaces its credentials (SCRAM-SHA-256 and -512) with ones derived from the password. */
    public void setPassword(String user, char[] password) {
        connections.accept(connection -> connection.setUserPassword(user, password));
        audit.record(AuditAction.ALTER_USER, user, "SCRAM-SHA-256 and SCRAM-SHA-512 credentials set");
    }

    public void deleteUser(String user) {
        connections.accept(connection -> connection.deleteUser(user));
        audit.record(AuditAction.DELETE_USER, user, "");
    }

    public List<AclEntry> acls(AclFilter filter) {
        return connections.apply(connection -> connection.listAcls(filter));
    }

    /** Creates the ACLs, all or none; one audit entry per ACL, named after its resource pattern. */
    public void createAcls(List<AclEntry> entries) {
        connections.accept(connection -> connection.createAcls(entries));
        entries.forEach(entry -> audit.record(AuditAction.CREATE_ACLS, resourceName(entry), entry.toString()));
    }

    /** @return the ACLs deleted, one audit entry each */
    public List<AclEntry> deleteAcls(AclFilter filter) {
        List<AclEntry> deleted = connections.apply(connection -> connection.deleteAcls(filter));
        deleted.forEach(entry -> audit.record(AuditAction.DELETE_ACLS, resourceName(entry), entry.toString()));
        return deleted;
    }

    /** The audit trail's resource name of an ACL: {@code TOPIC:LITERAL:orders}, cut to the column's 255 characters. */
    public static String resourceName(AclEntry entry) {
        String name = entry.resourceType() + ":" + entry.patternType() + ":" + entry.resourceName();
        return name.length() <= 255 ? name : name.substring(0, 252) + "...";
    }
}
