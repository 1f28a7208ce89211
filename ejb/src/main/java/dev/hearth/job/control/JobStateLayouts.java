package dev.hearth.job.control;

import java.time.Clock;
import java.util.Optional;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.hearth.job.entity.JobStateLayout;
import dev.hearth.job.plan.StateLayout;

/** Reads and writes the state layout each job last ran with ({@link JobStateLayout}). */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class JobStateLayouts {

    @PersistenceContext(unitName = "hearth")
    EntityManager entityManager;

    /** The layout {@code job} last ran with, or empty for a job that never ran. */
    public Optional<StateLayout> stored(String job) {
        JobStateLayout stored = entityManager.find(JobStateLayout.class, job);
        return stored == null ? Optional.empty() : Optional.of(StateLayout.parse(stored.layout()));
    }

    /** Records that {@code job}, deployed by {@code application}, runs with {@code layout} from now on. */
    public void store(String job, StateLayout layout, String application) {
        JobStateLayout stored = entityManager.find(JobStateLayout.class, job);
        if (stored == null) {
            stored = new JobStateLayout(job);
            stored.change(layout.text(), application, Clock.systemUTC().instant());
            entityManager.persist(stored);
        } else {
            stored.change(layout.text(), application, Clock.systemUTC().instant());
        }
    }
}
