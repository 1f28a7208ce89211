package dev.hearth.audit.control;

import java.security.Principal;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.hearth.audit.entity.AuditEntry;

/**
 * Writes the audit trail. Each entry commits in its own transaction, after the change it describes succeeded
 * in the log (the log is not a JTA participant for administrative changes): a failed change leaves no entry,
 * and an entry that cannot be written is logged with the change it describes, never hidden.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());

    @PersistenceContext(unitName = "hearth")
    EntityManager entityManager;

    @Resource
    SessionContext session;

    public void record(AuditAction action, String resourceName, String detail) {
        Principal caller = session.getCallerPrincipal();
        String principal = caller == null ? "anonymous" : caller.getName();
        entityManager.persist(new AuditEntry(Clock.systemUTC().instant(), principal, action.name(),
                action.resourceType(), resourceName, detail));
        LOG.info(() -> "HEARTH-0902 " + principal + " " + action + " " + action.resourceType() + " " + resourceName
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    }

    /**
     * Stores entries copied from the Kafka side's audit topic, all in this one transaction, each with its unique
     * source offset: either all of them and their offsets commit, or none (and the next copy retries them).
     */
    public void recordFromKafka(List<AuditEntry> entries) {
        for (AuditEntry entry : entries) {
            entityManager.persist(entry);
        }
    }

    /** The offset of the last record copied from the Kafka side's audit topic, or -1 when none was. */
    public long lastKafkaOffset() {
        Long last = entityManager.createNamedQuery(AuditEntry.LAST_SOURCE_OFFSET, Long.class).getSingleResult();
        return last == null ? -1 : last;
    }
}
