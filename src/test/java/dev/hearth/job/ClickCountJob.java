package dev.hearth.job;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StreamJob;
import dev.hearth.job.api.Windows;

/**
 * Clicks per user per 10-second event-time window. Input values are {@code user,eventTimeMs} with no key, so
 * counting per user needs a repartition by user: two stages.
 */
@ApplicationScoped
public class ClickCountJob {

    @StreamJob("clicks-per-user")
    void define(JobBuilder builder) {
        builder.from("clicks", Serdes.string(), Serdes.string())
                .withEventTime((key, value, timestampMs) -> Long.parseLong(value.substring(value.indexOf(',') + 1)))
                .keyBy((key, value) -> value.substring(0, value.indexOf(',')), Serdes.string())
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofSeconds(10)).outOfOrderness(Duration.ofSeconds(5))
                        .lateRecordsTo("clicks-late"))
                .count()
                .map((window, count) -> KeyValue.of(window.key() + "@" + window.startMs(), Long.toString(count)))
                .to("clicks-per-user-counts", Serdes.string(), Serdes.string());
    }
}
