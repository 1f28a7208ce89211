package dev.hearth.job.exec;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code Stream.merge}: every record of both sides, exactly once, whether or not the sides need a repartition. */
class MergeTest {

    /** The last count emitted per key: keys live in one partition each, read in order. */
    private static Map<String, Long> finalCounts(LocalJobRunner runner, String topic) {
        Map<String, Long> counts = new TreeMap<>();
        for (LocalJobRunner.StoredRecord record : runner.read(topic)) {
            counts.put(Serdes.string().deserialize(record.key()), Serdes.longs().deserialize(record.value()));
        }
        return counts;
    }

    @Test
    void mergeOfTwoCoPartitionedSourcesIsOneStageAndCountsBothSides() {
        JobBuilder job = new JobBuilder("m");
        Stream<String, String> web = job.from("web", Serdes.string(), Serdes.string());
        Stream<String, String> mobile = job.from("mobile", Serdes.string(), Serdes.string());
        web.merge(mobile).groupByKey().count().to("counts", Serdes.string(), Serdes.longs());
        JobDefinition definition = Planner.build(job);
        assertEquals(1, definition.plan().stages().size(), "both sides keep their source key:\n" + definition.plan());

        LocalJobRunner runner = new LocalJobRunner(definition, Map.of("web", 3, "mobile", 3));
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            String user = "u" + (i % 7);
            String topic = i % 3 == 0 ? "mobile" : "web";
            runner.produce(topic, Serdes.string(), user, Serdes.string(), "click" + i, 1_000 + i);
            expected.merge(user, 1L, Long::sum);
        }
        runner.runToEnd(LocalJobRunner.Interleaving.random(11));

        assertEquals(expected, finalCounts(runner, "counts"), "each click of either side counted once");
    }

    @Test
    void mergeOfReKeyedSidesIsRepartitionedOnceBeforeTheGrouping() {
        JobBuilder job = new JobBuilder("m");
        Stream<String, String> views = job.from("views", Serdes.string(), Serdes.string()) // page id -> user
                .keyBy((page, user) -> user, Serdes.string());
        Stream<String, String> likes = job.from("likes", Serdes.string(), Serdes.string()) // like id -> user
                .map((like, user) -> KeyValue.of(user, like), Serdes.string(), Serdes.string());
        views.merge(likes).groupByKey().count().to("activity", Serdes.string(), Serdes.longs());
        JobDefinition definition = Planner.build(job);
        assertEquals(2, definition.plan().stages().size(), definition.plan().explain());
        assertEquals(List.of("m-1-repartition"), definition.plan().stages().get(1).inputTopics(),
                "one repartition topic after the merge, not one per side");

        LocalJobRunner runner = new LocalJobRunner(definition, Map.of("views", 2, "likes", 2));
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < 50; i++) {
            String user = "u" + (i * 3 % 11);
            runner.produce(i % 2 == 0 ? "views" : "likes", Serdes.string(), "id" + i, Serdes.string(), user, 5 + i);
            expected.merge(user, 1L, Long::sum);
        }
        runner.runToEnd(LocalJobRunner.Interleaving.random(4));

        assertEquals(expected, finalCounts(runner, "activity"), "every view and like counted once for its user");
    }

    @Test
    void mergeWithAStreamDerivedFromDownstreamOfItselfStaysAcyclicAndExact() {
        JobBuilder job = new JobBuilder("m");
        Stream<String, String> events = job.from("events", Serdes.string(), Serdes.string());
        Stream<String, String> perValueCounts = events.keyBy((k, v) -> v, Serdes.string())
                .groupByKey().count()
                .mapValues(count -> "count " + count, Serdes.string());
        events.merge(perValueCounts).to("out", Serdes.string(), Serdes.string());
        JobDefinition definition = Planner.build(job); // a shared stage would read its own repartition topic

        LocalJobRunner runner = new LocalJobRunner(definition, Map.of("events", 2));
        List<String> expected = new ArrayList<>();
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            String key = "k" + i;
            String value = "v" + (i % 4);
            runner.produce("events", Serdes.string(), key, Serdes.string(), value, 10 + i);
            expected.add(key + "=" + value);
            expected.add(value + "=count " + counts.merge(value, 1L, Long::sum));
        }
        runner.runToEnd(LocalJobRunner.Interleaving.random(8));

        List<String> actual = new ArrayList<>(runner.read("out").stream()
                .map(r -> Serdes.string().deserialize(r.key()) + "=" + Serdes.string().deserialize(r.value()))
                .toList());
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(expected, actual, "every event once, plus every running count once:\n" + definition.plan());
    }
}
