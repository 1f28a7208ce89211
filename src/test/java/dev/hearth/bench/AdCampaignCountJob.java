package dev.hearth.bench;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.bench.yahoo.AdEventFields;
import dev.hearth.bench.yahoo.AdEvents;
import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StreamJob;
import dev.hearth.job.api.Windows;

/**
 * The Yahoo-style benchmark job (see {@code StreamJobBench}): views per campaign per 10-second tumbling
 * event-time window, 5 s allowed lateness. Deployed only by the benchmark. Logs the wall clock at which Hearth
 * defined it, which is when the job is launched.
 */
@ApplicationScoped
public class AdCampaignCountJob {

    static final String OUTPUT_TOPIC = "ad-campaign-counts";

    @StreamJob("ad-campaign-counts")
    void define(JobBuilder builder) {
        System.out.println("BENCH job launched at " + System.currentTimeMillis());
        builder.from("ad-events", Serdes.bytes(), Serdes.string())
                .withEventTime((key, json, timestampMs) -> AdEventFields.eventTimeMs(json))
                .filter((key, json) -> AdEventFields.isView(json))
                .map((key, json) -> {
                    String adId = AdEventFields.adId(json);
                    return KeyValue.of(AdEvents.CAMPAIGN_OF_AD.get(adId), adId);
                })
                .groupByKey(Serdes.string(), Serdes.string())
                .windowedBy(Windows.tumbling(Duration.ofSeconds(10)).allowedLateness(Duration.ofSeconds(5)))
                .count()
                .map((window, count) -> KeyValue.of(window.key() + "@" + window.startMs(), Long.toString(count)))
                .to(OUTPUT_TOPIC, Serdes.string(), Serdes.string());
    }
}
