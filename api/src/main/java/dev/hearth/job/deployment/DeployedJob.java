package dev.hearth.job.deployment;

import java.util.Objects;
import java.util.Optional;

import dev.hearth.job.api.JobBuilder;

/**
 * A stream job as an application deployed it: defined (its {@link JobBuilder} holds the job's graph) or not (its
 * {@code @StreamJob} method threw, and {@code failure} says why). A job that failed to define is registered all the
 * same, so that it is visible in the admin API, console and readiness instead of silently missing.
 *
 * @param application the deploying application's name (its {@code java:app/AppName})
 * @param name        the job's name, unique across applications
 * @param builder     the defined job, or null when the definition failed
 * @param failure     why the definition failed, or null
 * @param classLoader the application's class loader: the job's functions and serdes are its classes, and run with
 *                    it as the thread's context class loader
 */
public record DeployedJob(String application, String name, JobBuilder builder, String failure,
                          ClassLoader classLoader) {

    public DeployedJob {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(classLoader, "classLoader");
        if ((builder == null) == (failure == null)) {
            throw new IllegalArgumentException("A deployed job is either defined or failed, not both or neither");
        }
    }

    static DeployedJob defined(String application, JobBuilder builder, ClassLoader classLoader) {
        return new DeployedJob(application, builder.name(), builder, null, classLoader);
    }

    static DeployedJob failed(String application, String name, String failure, ClassLoader classLoader) {
        return new DeployedJob(application, name, null, failure, classLoader);
    }

    /** The definition's failure, if it failed. */
    public Optional<String> definitionFailure() {
        return Optional.ofNullable(failure);
    }
}
