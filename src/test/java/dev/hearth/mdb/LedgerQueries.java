package dev.hearth.mdb;

import java.util.List;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Reads the test ledger for the in-container tests and, over HTTP, for the crash test. */
@Stateless
public class LedgerQueries {

    @PersistenceContext(unitName = "ledger")
    EntityManager entityManager;

    /** Every row's entry, in insertion order. */
    public List<String> entries() {
        return entityManager.createQuery("SELECT e.entry FROM LedgerEntry e ORDER BY e.id", String.class).getResultList();
    }
}
