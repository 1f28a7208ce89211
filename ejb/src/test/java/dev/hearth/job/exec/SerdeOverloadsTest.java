package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.JoinWindows;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.Table;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every operation that changes the key or value type takes the new serdes, so a grouping or join downstream needs
 * no {@code groupByKey(keySerde, valueSerde)}; the results are those of the same computation done by hand.
 */
class SerdeOverloadsTest {

    private static Map<String, Long> finalCounts(LocalJobRunner runner, String topic) {
        Map<String, Long> counts = new TreeMap<>();
        for (LocalJobRunner.StoredRecord record : runner.read(topic)) {
            counts.put(Serdes.string().deserialize(record.key()), Serdes.longs().deserialize(record.value()));
        }
        return counts;
    }

    @Test
    void mapAndFlatMapWithSerdesCanBeGroupedDirectly() {
        JobBuilder job = new JobBuilder("s");
        Stream<String, String> lines = job.from("lines", Serdes.string(), Serdes.string());
        lines.flatMap((k, line) -> Arrays.stream(line.split(" ")).map(w -> KeyValue.of(w, 1L)).toList(),
                        Serdes.string(), Serdes.longs())
                .map((word, one) -> KeyValue.of(word.toUpperCase(), String.valueOf(one)),
                        Serdes.string(), Serdes.string())
                .groupByKey().count()
                .to("counts", Serdes.string(), Serdes.longs());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("lines", 2));
        List<String> input = List.of("a b a", "c a", "b", "d d d a");
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < input.size(); i++) {
            runner.produce("lines", Serdes.string(), "l" + i, Serdes.string(), input.get(i), i);
            for (String word : input.get(i).split(" ")) {
                expected.merge(word.toUpperCase(), 1L, Long::sum);
            }
        }
        runner.runToEnd(LocalJobRunner.Interleaving.random(2));
        assertEquals(expected, finalCounts(runner, "counts"), "word counts through flatMap, map and a repartition");
    }

    @Test
    void tableJoinWithResultSerdeCanBeGroupedDirectly() {
        JobBuilder job = new JobBuilder("s");
        Table<String, String> countries = job.table("countries", Serdes.string(), Serdes.string());
        job.from("logins", Serdes.string(), Serdes.string())   // user -> device
                .join(countries, (device, country) -> country, Serdes.string())
                .keyBy((user, country) -> country, Serdes.string())
                .groupByKey().count()
                .to("per-country", Serdes.string(), Serdes.longs());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("countries", 2, "logins", 2));
        Map<String, String> countryOf = Map.of("u0", "CH", "u1", "FR", "u2", "CH");
        countryOf.forEach((user, country) -> runner.produce("countries", Serdes.string(), user, Serdes.string(),
                country, 1));
        runner.runUntilIdle(LocalJobRunner.Interleaving.SEQUENTIAL);
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            String user = "u" + (i % 4); // u3 has no country: dropped by the inner join
            runner.produce("logins", Serdes.string(), user, Serdes.string(), "device" + i, 10 + i);
            if (countryOf.containsKey(user)) {
                expected.merge(countryOf.get(user), 1L, Long::sum);
            }
        }
        runner.runToEnd(LocalJobRunner.Interleaving.random(6));
        assertEquals(expected, finalCounts(runner, "per-country"));
    }

    @Test
    void streamJoinWithResultSerdeCanBeGroupedDirectly() {
        JobBuilder job = new JobBuilder("s");
        Stream<String, String> orders = job.from("orders", Serdes.string(), Serdes.string());
        Stream<String, String> payments = job.from("payments", Serdes.string(), Serdes.string());
        orders.join(payments, JoinWindows.of(Duration.ofSeconds(10)), (order, payment) -> (long) payment.length(),
                        Serdes.longs())
                .groupByKey().reduce(Long::sum)
                .to("paid", Serdes.string(), Serdes.longs());
        LocalJobRunner runner = new LocalJobRunner(Planner.build(job), Map.of("orders", 1, "payments", 1));
        runner.produce("orders", Serdes.string(), "o1", Serdes.string(), "order", 1_000);
        runner.produce("payments", Serdes.string(), "o1", Serdes.string(), "pay", 2_000);
        runner.produce("payments", Serdes.string(), "o1", Serdes.string(), "again", 3_000);
        runner.produce("payments", Serdes.string(), "o1", Serdes.string(), "too late", 60_000);
        runner.runToEnd(LocalJobRunner.Interleaving.SEQUENTIAL);
        assertEquals(Map.of("o1", (long) ("pay".length() + "again".length())), finalCounts(runner, "paid"),
                "the two payments within 10 s of the order, summed");
    }

    @Test
    void withoutTheSerdeAGroupingStillAsksForIt() {
        JobBuilder job = new JobBuilder("s");
        Table<String, String> table = job.table("t", Serdes.string(), Serdes.string());
        Stream<String, String> joined = job.from("in", Serdes.string(), Serdes.string()).join(table, (a, b) -> a + b);
        assertThrows(IllegalStateException.class, joined::groupByKey);
    }
}
