package dev.hearth.application;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StreamJob;

/**
 * Version 2 of examples/click-counts: the same plan, so the same state layout, with another output format. Deployed
 * in place of version 1, it carries on from version 1's counts.
 */
@ApplicationScoped
public class ClickCountsV2 {

    @StreamJob("clicks-per-page")
    void define(JobBuilder job) {
        job.from("clicks", Serdes.string(), Serdes.string())
                .keyBy((key, page) -> page, Serdes.string())
                .groupByKey()
                .count()
                .map((page, count) -> KeyValue.of(page, "v2:" + count))
                .to("clicks-per-page", Serdes.string(), Serdes.string());
    }
}
