package dev.hearth.audit.boundary;

import java.util.List;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.hearth.audit.entity.AuditEntry;

/** Reads the audit trail, newest first, for the admin API and the console. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class AuditLog {

    @PersistenceContext(unitName = "hearth")
    EntityManager entityManager;

    public List<AuditEntry> newest(int limit) {
        return entityManager.createNamedQuery(AuditEntry.NEWEST_FIRST, AuditEntry.class)
                .setMaxResults(limit).getResultList();
    }

    public List<AuditEntry> newestFor(String resourceType, String resourceName, int limit) {
        return entityManager.createNamedQuery(AuditEntry.FOR_RESOURCE_NEWEST_FIRST, AuditEntry.class)
                .setParameter("type", resourceType).setParameter("name", resourceName)
                .setMaxResults(limit).getResultList();
    }
}
