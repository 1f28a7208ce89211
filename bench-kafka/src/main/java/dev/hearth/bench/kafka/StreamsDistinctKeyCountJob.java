package dev.hearth.bench.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;

import dev.hearth.bench.distinct.DistinctKeyEvents;

/**
 * The Kafka Streams twin of Hearth's {@code DistinctKeyCountJob}: events per key per 1-hour tumbling event-time
 * window (the record timestamp) with 5 s grace, written as {@code <key>@<window start>} → count. Kafka Streams
 * defaults otherwise: one stream thread, its default persistent (RocksDB) window store, the record cache; the
 * commit interval is also how often the cache flushes updated counts to the output.
 *
 * <pre>
 * java ... StreamsDistinctKeyCountJob &lt;bootstrap&gt; &lt;application id&gt; &lt;output topic&gt;
 *          &lt;at_least_once|exactly_once_v2&gt; &lt;state dir&gt; &lt;commit interval ms&gt;
 * </pre>
 * Prints {@code BENCH launched at <epoch ms>} first, then runs until killed.
 */
public final class StreamsDistinctKeyCountJob {

    private StreamsDistinctKeyCountJob() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("BENCH launched at " + System.currentTimeMillis());
        System.out.flush();
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[3]);
        config.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, args[5]);
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(DistinctKeyEvents.INPUT_TOPIC, Consumed.with(Serdes.String(), Serdes.String()))
                .filter((key, value) -> DistinctKeyEvents.COUNTED.equals(value))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(DistinctKeyEvents.WINDOW_MS),
                        Duration.ofSeconds(5)))
                .count()
                .toStream()
                .map((window, count) -> KeyValue.pair(window.key() + "@" + window.window().start(), count.toString()))
                .to(args[2], Produced.with(Serdes.String(), Serdes.String()));

        KafkaStreams streams = new KafkaStreams(builder.build(), config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(10));
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }
}
