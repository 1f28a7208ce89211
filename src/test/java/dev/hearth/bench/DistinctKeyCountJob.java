package dev.hearth.bench;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.bench.distinct.DistinctKeyEvents;
import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.StoreKind;
import dev.hearth.job.api.StreamJob;
import dev.hearth.job.api.Windows;

/**
 * The state-heavy benchmark job (see {@code DistinctKeyStateBench}): events per key per 1-hour tumbling event-time
 * window (the record timestamp), 5 s allowed lateness, in a persistent (RocksDB) window store, so that millions of
 * keys live in the window at once on disk rather than on the heap. Deployed only by the benchmark. Logs the wall
 * clock at which Hearth defined it, which is when the job is launched.
 */
@ApplicationScoped
public class DistinctKeyCountJob {

    static final String OUTPUT_TOPIC = "distinct-key-counts";

    @StreamJob("distinct-key-counts")
    void define(JobBuilder builder) {
        System.out.println("BENCH job launched at " + System.currentTimeMillis());
        builder.from(DistinctKeyEvents.INPUT_TOPIC, Serdes.string(), Serdes.string())
                .withEventTime((key, value, timestampMs) -> timestampMs)
                .filter((key, value) -> DistinctKeyEvents.COUNTED.equals(value))
                .groupByKey(Serdes.string(), Serdes.string())
                .windowedBy(Windows.tumbling(Duration.ofMillis(DistinctKeyEvents.WINDOW_MS))
                        .allowedLateness(Duration.ofSeconds(5)))
                .withStore(StoreKind.PERSISTENT)
                .count()
                .map((window, count) -> KeyValue.of(window.key() + "@" + window.startMs(), Long.toString(count)))
                .to(OUTPUT_TOPIC, Serdes.string(), Serdes.string());
    }
}
