package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.Windowed;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WindowKindsTest {
    private static final Serde<Windowed<String>> WINDOWED = Serdes.windowed(Serdes.string());

    private static LocalJobRunner run(Function<Stream<String, String>, Stream<?, ?>> pipeline,
                                      Serde<?> keySerde, Serde<?> valueSerde, Object[][] records) {
        JobBuilder job = new JobBuilder("w");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Stream<Object, Object> result = (Stream) pipeline.apply(job.from("in", Serdes.string(), Serdes.string()));
        @SuppressWarnings("unchecked")
        Serde<Object> ks = (Serde<Object>) keySerde;
        @SuppressWarnings("unchecked")
        Serde<Object> vs = (Serde<Object>) valueSerde;
        result.to("out", ks, vs);
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("in", 1));
        for (Object[] record : records) {
            runner.produce("in", 0, Serdes.string(), (String) record[0], Serdes.string(), (String) record[1],
                    (Long) record[2]);
        }
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);
        return runner;
    }

    @Test
    void hoppingWindowCountsARecordInEveryWindowItFallsIn() {
        LocalJobRunner runner = run(s -> s.groupByKey()
                        .windowedBy(Windows.hopping(Duration.ofSeconds(10), Duration.ofSeconds(5))).count(),
                WINDOWED, Serdes.longs(), new Object[][] {{"k", "a", 7_000L}, {"k", "b", 12_000L}});
        assertEquals(Map.of(
                new Windowed<>("k", 0L, 10_000L), 1L,
                new Windowed<>("k", 5_000L, 15_000L), 2L,
                new Windowed<>("k", 10_000L, 20_000L), 1L),
                CrossPartitionWatermarkTest.countsPerWindow(runner.read("out")));
    }

    @Test
    void tumblingReduceAndAggregate() {
        LocalJobRunner reduced = run(s -> s.groupByKey().windowedBy(Windows.tumbling(Duration.ofSeconds(10)))
                        .reduce((a, b) -> a + b),
                WINDOWED, Serdes.string(), new Object[][] {{"k", "a", 1_000L}, {"k", "b", 2_000L}, {"k", "c", 11_000L}});
        assertEquals(List.of("ab", "c"), values(reduced, Serdes.string()));

        LocalJobRunner aggregated = run(s -> s.groupByKey().windowedBy(Windows.tumbling(Duration.ofSeconds(10)))
                        .aggregate(() -> 0L, (k, v, total) -> total + v.length(), Serdes.longs()),
                WINDOWED, Serdes.longs(), new Object[][] {{"k", "aa", 1_000L}, {"k", "bbb", 2_000L}});
        assertEquals(List.of(5L), values(aggregated, Serdes.longs()));
    }

    @Test
    void sessionsMergeWhenARecordBridgesThem() {
        Windows sessions = Windows.session(Duration.ofSeconds(5)).outOfOrderness(Duration.ofSeconds(10));
        LocalJobRunner runner = run(s -> s.groupByKey().windowedBy(sessions).count(), WINDOWED, Serdes.longs(),
                new Object[][] {
                    {"k", "a", 0L}, {"k", "b", 9_000L},   // two sessions, 9 s apart
                    {"k", "c", 4_500L},                    // within 5 s of both: merges them into [0, 9 000]
                    {"j", "e", 1_000L},                    // other key: its own session
                    {"k", "d", 30_000L},                   // a new session
                });
        assertEquals(Map.of(
                new Windowed<>("k", 0L, 9_000L), 3L,
                new Windowed<>("k", 30_000L, 30_000L), 1L,
                new Windowed<>("j", 1_000L, 1_000L), 1L),
                CrossPartitionWatermarkTest.countsPerWindow(runner.read("out")));
    }

    @Test
    void sessionReduceMergesInEventTimeOrder() {
        Windows sessions = Windows.session(Duration.ofSeconds(5)).outOfOrderness(Duration.ofSeconds(10));
        LocalJobRunner runner = run(s -> s.groupByKey().windowedBy(sessions).reduce((a, b) -> a + b),
                WINDOWED, Serdes.string(), new Object[][] {{"k", "a", 0L}, {"k", "c", 9_000L}, {"k", "b", 4_500L}});
        assertEquals(List.of("acb"), values(runner, Serdes.string()),
                "earlier session's aggregate first, then the later one, then the bridging record");
    }

    @Test
    void sessionAggregateWithoutMergerIsRejected() {
        JobBuilder job = new JobBuilder("w");
        assertThrows(IllegalArgumentException.class, () -> job.from("in", Serdes.string(), Serdes.string())
                .groupByKey().windowedBy(Windows.session(Duration.ofSeconds(1)))
                .aggregate(() -> 0L, (k, v, a) -> a + 1, Serdes.longs()));
    }

    @Test
    void nonWindowedCountEmitsAnUpdatePerRecord() {
        LocalJobRunner runner = run(s -> s.groupByKey().count(), Serdes.string(), Serdes.longs(),
                new Object[][] {{"a", "x", 1L}, {"b", "x", 2L}, {"a", "x", 3L}, {"a", "x", 4L}});
        assertEquals(List.of("a=1", "b=1", "a=2", "a=3"), runner.read("out").stream()
                .map(r -> Serdes.string().deserialize(r.key()) + "=" + Serdes.longs().deserialize(r.value()))
                .toList());
    }

    private static <T> List<T> values(LocalJobRunner runner, Serde<T> serde) {
        return runner.read("out").stream().map(r -> serde.deserialize(r.value())).toList();
    }
}
