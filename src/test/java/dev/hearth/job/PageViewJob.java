package dev.hearth.job;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.StreamJob;
import dev.hearth.job.api.Windows;

/**
 * Page views keyed by user (record key), counted in two named, queryable stores: all time per user
 * ({@value #TOTALS}) and per user and minute of record time ({@value #PER_MINUTE}; windows stay open for five
 * minutes of event time, so a test can read them before they are final).
 */
@ApplicationScoped
public class PageViewJob {

    static final String TOTALS = "views-by-user";
    static final String PER_MINUTE = "views-per-minute";

    @StreamJob("page-views")
    void define(JobBuilder builder) {
        Stream<String, String> views = builder.from("page-views", Serdes.string(), Serdes.string());
        views.groupByKey().withStoreName(TOTALS).count()
                .to("page-views-per-user", Serdes.string(), Serdes.longs());
        views.groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofMinutes(1)).outOfOrderness(Duration.ofMinutes(5)))
                .withStoreName(PER_MINUTE).count()
                .to("page-views-per-minute", Serdes.windowed(Serdes.string()), Serdes.longs());
    }
}
