package dev.hearth.job;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.JoinWindows;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.StreamJob;

/** Windowed stream–stream join: a click is attributed to each impression of the same ad within 10 s of it. */
@ApplicationScoped
public class AdAttributionJob {

    @StreamJob("ad-attribution")
    void define(JobBuilder builder) {
        Stream<String, String> clicks = builder.from("ad-clicks", Serdes.string(), Serdes.string());
        builder.from("ad-impressions", Serdes.string(), Serdes.string())
                .join(clicks, JoinWindows.of(Duration.ofSeconds(10)).outOfOrderness(Duration.ofMinutes(5)),
                        (impression, click) -> impression + "->" + click)
                .to("ad-attributions", Serdes.string(), Serdes.string());
    }
}
