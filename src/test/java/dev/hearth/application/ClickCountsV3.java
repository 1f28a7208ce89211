package dev.hearth.application;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StreamJob;

/**
 * Version 3 of examples/click-counts: also counts the pages' count updates, a second grouping with a repartition
 * topic and a store of its own — state the job's earlier versions did not leave, so the plan is refused until the
 * job is reset.
 */
@ApplicationScoped
public class ClickCountsV3 {

    @StreamJob("clicks-per-page")
    void define(JobBuilder job) {
        job.from("clicks", Serdes.string(), Serdes.string())
                .keyBy((key, page) -> page, Serdes.string())
                .groupByKey()
                .count()
                .keyBy((page, count) -> "all-pages", Serdes.string())
                .groupByKey()
                .count()
                .map((all, updates) -> KeyValue.of(all, "v3:" + updates))
                .to("clicks-per-page", Serdes.string(), Serdes.string());
    }
}
