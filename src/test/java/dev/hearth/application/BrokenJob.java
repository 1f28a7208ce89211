package dev.hearth.application;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.StreamJob;

/** A job whose definition fails: it must fail alone, visibly, without taking its neighbours down. */
@ApplicationScoped
public class BrokenJob {

    @StreamJob("broken-job")
    void define(JobBuilder job) {
        throw new IllegalStateException("the configuration this job needs is missing");
    }
}
