package com.example.clicks;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StreamJob;

/**
 * A stream job in the application's own WAR: the running count of clicks per page. Each record of topic
 * {@code clicks} is one click, its value the page; every click updates the page's count, written to
 * {@code clicks-per-page} as {@code page -> count}. Hearth finds the job when the application starts, runs it,
 * and stops it (its count and offsets committed) when the application is undeployed; a new version of the
 * application carries on from that count.
 */
@ApplicationScoped
public class ClickCounts {

    @StreamJob("clicks-per-page")
    void define(JobBuilder job) {
        job.from("clicks", Serdes.string(), Serdes.string())
                .keyBy((key, page) -> page, Serdes.string())
                .groupByKey()
                .count()
                .map((page, count) -> KeyValue.of(page, Long.toString(count)))
                .to("clicks-per-page", Serdes.string(), Serdes.string());
    }
}
