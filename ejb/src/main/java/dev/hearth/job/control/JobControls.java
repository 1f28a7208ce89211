package dev.hearth.job.control;

import java.security.Principal;
import java.time.Clock;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.hearth.job.entity.JobControl;

/** Reads and writes the operator's durable decisions about jobs ({@link JobControl}). */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class JobControls {

    @PersistenceContext(unitName = "hearth")
    EntityManager entityManager;

    @Resource
    SessionContext session;

    public boolean isPaused(String job) {
        JobControl control = entityManager.find(JobControl.class, job);
        return control != null && control.paused();
    }

    public void setPaused(String job, boolean paused) {
        Principal caller = session.getCallerPrincipal();
        String by = caller == null ? "anonymous" : caller.getName();
        JobControl control = entityManager.find(JobControl.class, job);
        if (control == null) {
            control = new JobControl(job);
            control.change(paused, Clock.systemUTC().instant(), by);
            entityManager.persist(control);
        } else {
            control.change(paused, Clock.systemUTC().instant(), by);
        }
    }
}
