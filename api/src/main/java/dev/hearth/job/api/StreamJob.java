package dev.hearth.job.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method {@code void define(JobBuilder builder)} that defines a stream-processing job.
 * The runtime discovers annotated methods, calls each once with a fresh {@link JobBuilder} named
 * {@link #value()}, and runs the resulting {@link dev.hearth.job.plan.JobDefinition}.
 * <p>
 * The job name is part of every internal topic name ({@code <job>-<n>-repartition},
 * {@code <job>-<store>-changelog}, {@code <job>-late}), so renaming a job abandons its state.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StreamJob {

    /** The job name: unique per cluster, a valid topic-name prefix. */
    String value();
}
