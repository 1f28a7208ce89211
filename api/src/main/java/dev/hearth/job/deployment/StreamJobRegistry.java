package dev.hearth.job.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stream jobs that deployed applications offer, and the one runtime that runs them. There is one registry per
 * copy of this class: the resource adapter carries the API jar, so every application on the server (and Hearth's
 * own web application, which runs the jobs) shares it.
 * <p>
 * Applications {@link #register} their jobs when they have started and {@link #withdraw} them when they stop;
 * the runtime {@link #attach}es a {@link Runtime} that is told of every job registered before and after, and
 * {@link #detach}es it when Hearth's application stops. A withdrawal returns only once the runtime stopped the
 * application's jobs (their state and offsets committed): the application's classes must stay usable until then.
 * <p>
 * Thread-safety: all methods are safe from any thread; the runtime's callbacks are made one at a time, in the order
 * of the registrations and withdrawals, while the registry's lock is held.
 */
public final class StreamJobRegistry {

    private static final Logger LOG = Logger.getLogger(StreamJobRegistry.class.getName());

    /** What runs registered jobs: Hearth's job runtime. */
    public interface Runtime {

        /** A job was registered (or was already when the runtime attached). Must not throw for a bad job. */
        void deployed(DeployedJob job);

        /** The application that registered {@code job} stops: stop the job, committing its state and offsets. */
        void withdrawn(DeployedJob job);
    }

    private static final Object LOCK = new Object();
    /** Registered jobs by name, in registration order. */
    private static final Map<String, DeployedJob> JOBS = new LinkedHashMap<>();
    private static Runtime runtime;

    private StreamJobRegistry() {
    }

    /**
     * Registers an application's jobs. A job whose name another application registered already is refused (the
     * log says which application has it, HEARTH-1012): the running job is not replaced.
     */
    public static void register(List<DeployedJob> jobs) {
        synchronized (LOCK) {
            for (DeployedJob job : jobs) {
                DeployedJob existing = JOBS.putIfAbsent(job.name(), job);
                if (existing != null) {
                    LOG.severe(() -> "HEARTH-1012 Job " + job.name() + " of application " + job.application()
                            + " is not run: application " + existing.application() + " deployed a job of that name;"
                            + " job names are unique across applications");
                    continue;
                }
                notifyDeployed(job);
            }
        }
    }

    /** Withdraws every job {@code application} registered; returns once the runtime stopped them. */
    public static void withdraw(String application) {
        synchronized (LOCK) {
            List<DeployedJob> withdrawn = new ArrayList<>();
            JOBS.values().removeIf(job -> job.application().equals(application) && withdrawn.add(job));
            for (DeployedJob job : withdrawn) {
                if (runtime != null) {
                    try {
                        runtime.withdrawn(job);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, e, () -> "HEARTH-1013 Job " + job.name() + " of application "
                                + application + " did not stop cleanly");
                    }
                }
            }
        }
    }

    /** Attaches the runtime and tells it of every job registered so far. */
    public static void attach(Runtime attached) {
        synchronized (LOCK) {
            runtime = attached;
            JOBS.values().forEach(StreamJobRegistry::notifyDeployed);
        }
    }

    /** Detaches the runtime (Hearth's application stops); registered jobs stay for the next one. */
    public static void detach(Runtime detached) {
        synchronized (LOCK) {
            if (runtime == detached) {
                runtime = null;
            }
        }
    }

    /** The jobs registered now, in registration order. */
    public static List<DeployedJob> jobs() {
        synchronized (LOCK) {
            return List.copyOf(JOBS.values());
        }
    }

    private static void notifyDeployed(DeployedJob job) {
        if (runtime == null) {
            return;
        }
        try {
            runtime.deployed(job);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, e, () -> "HEARTH-1014 The job runtime failed to take job " + job.name()
                    + " of application " + job.application());
        }
    }
}
