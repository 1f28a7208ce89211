package dev.hearth.job.plan;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.JoinWindows;
import dev.hearth.job.api.KeyValue;
import dev.hearth.job.api.Serde;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.Table;
import dev.hearth.job.api.Windows;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerTest {

    @Test
    void narrowTransformationsAreFusedIntoOneStage() {
        JobBuilder job = new JobBuilder("j");
        job.from("in", Serdes.string(), Serdes.string())
                .filter((k, v) -> !v.isEmpty())
                .map((k, v) -> KeyValue.of(v, k))
                .to("out", Serdes.string(), Serdes.string());
        PhysicalPlan plan = Planner.build(job).plan();

        assertEquals(1, plan.stages().size(), "from-filter-map-to has no grouping, so no boundary:\n" + plan);
        assertEquals(List.of("Source[in]", "Filter", "Map", "Sink[out]"), plan.stages().get(0).operatorLabels(),
                "operators run pipelined in order");
        assertTrue(plan.internalTopics().isEmpty(), "no repartition or changelog topic: " + plan.internalTopics());
    }

    @Test
    void keyByBeforeWindowedCountIsTwoStagesJoinedByARepartitionTopic() {
        JobBuilder job = new JobBuilder("clicks");
        job.from("in", Serdes.string(), Serdes.string())
                .keyBy((k, v) -> v, Serdes.string())
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofSeconds(10)))
                .count()
                .to("out", Serdes.windowed(Serdes.string()), Serdes.longs());
        JobDefinition definition = Planner.build(job);
        PhysicalPlan plan = definition.plan();

        assertEquals(2, plan.stages().size(), "the re-key must move records between tasks:\n" + plan);
        Stage first = plan.stages().get(0);
        Stage second = plan.stages().get(1);
        assertEquals(List.of("Source[in]", "KeyBy", "RepartitionSink[clicks-1-repartition]"), first.operatorLabels());
        assertEquals("RepartitionSource[clicks-1-repartition]", second.operatorLabels().get(0));
        assertTrue(second.operatorLabels().get(1).startsWith("WindowedAggregate[count"), second.operatorLabels()
                .toString());
        assertEquals(List.of("clicks-1-repartition"), second.inputTopics());
        assertEquals(List.of(0), second.upstreamStages(), "stage 1's watermark senders are stage 0's tasks");
        assertEquals(List.of("in"), definition.sourceTopics());
        assertEquals(List.of("clicks-late", "out"), definition.sinkTopics(), "late side output is a sink");

        InternalTopic repartition = definition.internalTopics().stream()
                .filter(t -> t.kind() == InternalTopic.Kind.REPARTITION).findFirst().orElseThrow();
        assertEquals(new InternalTopic("clicks-1-repartition", InternalTopic.Kind.REPARTITION, "in", 0), repartition);
        assertEquals(List.of("clicks-windowed-count-2-changelog", "clicks-stage-1-watermarks-changelog"),
                second.changelogTopics(), "window store and per-sender watermarks are persisted");
        assertEquals(4, plan.partitionCount("clicks-1-repartition", Map.of("in", 4)::get),
                "same as source");
    }

    @Test
    void keyByWithoutDownstreamGroupingNeedsNoBoundary() {
        JobBuilder job = new JobBuilder("j");
        job.from("in", Serdes.string(), Serdes.string())
                .keyBy((k, v) -> v, Serdes.string())
                .mapValues(v -> v + "!")
                .to("out", Serdes.string(), Serdes.string());
        assertEquals(1, Planner.build(job).plan().stages().size());
    }

    @Test
    void groupingByTheSourceKeyNeedsNoBoundary() {
        JobBuilder job = new JobBuilder("j");
        job.from("in", Serdes.string(), Serdes.string())
                .filter((k, v) -> true)
                .mapValues(v -> (long) v.length(), Serdes.longs())
                .groupByKey()
                .count();
        PhysicalPlan plan = Planner.build(job).plan();
        assertEquals(1, plan.stages().size(), "mapValues keeps the key, so the grouping is co-partitioned:\n" + plan);
    }

    @Test
    void branchAndPeekAreFused() {
        JobBuilder job = new JobBuilder("j");
        @SuppressWarnings("unchecked")
        List<Stream<String, String>> branches = job.from("in", Serdes.string(), Serdes.string())
                .peek((k, v) -> { })
                .branch((k, v) -> v.startsWith("a"), (k, v) -> true);
        branches.get(0).to("a", Serdes.string(), Serdes.string());
        branches.get(1).to("rest", Serdes.string(), Serdes.string());
        PhysicalPlan plan = Planner.build(job).plan();
        assertEquals(1, plan.stages().size());
        assertEquals(List.of("a", "rest"), plan.stages().get(0).outputTopics());
    }

    @Test
    void streamTableJoinOnTheSourceKeyIsOneCoPartitionedStage() {
        JobBuilder job = new JobBuilder("j");
        Table<String, String> users = job.table("users", Serdes.string(), Serdes.string());
        job.from("clicks", Serdes.string(), Serdes.string())
                .join(users, (click, user) -> click + "@" + user)
                .to("out", Serdes.string(), Serdes.string());
        PhysicalPlan plan = Planner.build(job).plan();
        assertEquals(1, plan.stages().size());
        assertEquals(List.of("users", "clicks"), plan.stages().get(0).inputTopics());
        IllegalStateException notCoPartitioned = assertThrows(IllegalStateException.class,
                () -> plan.taskCount(plan.stages().get(0), Map.of("users", 2, "clicks", 3)::get));
        assertTrue(notCoPartitioned.getMessage().contains("co-partitioned"), notCoPartitioned.getMessage());
    }

    @Test
    void reKeyedStreamIsRepartitionedToTheTablesPartitionCount() {
        JobBuilder job = new JobBuilder("j");
        Table<String, String> users = job.table("users", Serdes.string(), Serdes.string());
        job.from("clicks", Serdes.string(), Serdes.string())
                .keyBy((k, v) -> v, Serdes.string())
                .join(users, (click, user) -> click + "@" + user)
                .to("out", Serdes.string(), Serdes.string());
        PhysicalPlan plan = Planner.build(job).plan();
        assertEquals(2, plan.stages().size(), plan.explain());
        assertEquals(List.of("users", "j-1-repartition"), plan.stages().get(1).inputTopics());
        assertEquals(5, plan.partitionCount("j-1-repartition", Map.of("users", 5, "clicks", 2)::get),
                "the repartition topic is co-partitioned with the table");
    }

    @Test
    void buildingRunsNoUserCode() {
        AtomicInteger calls = new AtomicInteger();
        JobBuilder job = new JobBuilder("j");
        job.from("in", Serdes.string(), Serdes.string())
                .filter((k, v) -> calls.incrementAndGet() > 0)
                .keyBy((k, v) -> { calls.incrementAndGet(); return v; }, Serdes.string())
                .groupByKey().count()
                .foreach((k, v) -> calls.incrementAndGet());
        Planner.explain(job);
        Planner.build(job);
        assertEquals(0, calls.get(), "the DAG is lazy");
        assertThrows(IllegalStateException.class, () -> job.from("x", Serdes.string(), Serdes.string()),
                "a built job is frozen");
    }

    @Test
    void groupingAfterMapNeedsExplicitSerdes() {
        JobBuilder job = new JobBuilder("j");
        Stream<String, String> mapped = job.from("in", Serdes.string(), Serdes.string())
                .map((k, v) -> KeyValue.of(v, k));
        assertThrows(IllegalStateException.class, mapped::groupByKey);
    }

    @Test
    void explainShowsStagesOperatorsAndTopics() {
        JobBuilder job = new JobBuilder("clicks");
        job.from("in", Serdes.string(), Serdes.string())
                .filter((k, v) -> true)
                .keyBy((k, v) -> v, Serdes.string())
                .groupByKey()
                .windowedBy(Windows.tumbling(Duration.ofSeconds(10)))
                .count()
                .to("out", Serdes.windowed(Serdes.string()), Serdes.longs());
        String text = Planner.explain(job);
        String expectedStart = String.join("\n",
                "Job clicks: 2 stages",
                "Stage 0 (one task per partition of in)",
                "  input topics:  in (key string, value string)",
                "  output topics: clicks-1-repartition (key string, value string, partitions as in)",
                "    +- Source[in]",
                "      +- Filter",
                "        +- KeyBy",
                "          +- RepartitionSink[clicks-1-repartition]",
                "Stage 1 (one task per partition of clicks-1-repartition)",
                "  input topics:  clicks-1-repartition (key string, value string, partitions as in)",
                "  output topics: clicks-late (late records as read), out (key windowed(string), value longs)",
                "  changelogs:    clicks-windowed-count-3-changelog (partitions as clicks-1-repartition),"
                        + " clicks-stage-1-watermarks-changelog (partitions as clicks-1-repartition)",
                "    +- RepartitionSource[clicks-1-repartition]");
        assertTrue(text.startsWith(expectedStart), "explain output was:\n" + text);
        assertTrue(text.contains("      +- Sink[out]"), text);
    }

    private static JobBuilder streamJoin(boolean reKeyLeft, boolean reKeyRight) {
        JobBuilder job = new JobBuilder("j");
        Stream<String, String> left = job.from("orders", Serdes.string(), Serdes.string());
        Stream<String, String> right = job.from("payments", Serdes.string(), Serdes.string());
        if (reKeyLeft) {
            left = left.keyBy((k, v) -> v, Serdes.string());
        }
        if (reKeyRight) {
            right = right.map((k, v) -> KeyValue.of(v, k));
        }
        left.join(right, JoinWindows.of(Duration.ofSeconds(5)), (o, p) -> o + p,
                        Serdes.string(), Serdes.string(), Serdes.string())
                .to("out", Serdes.string(), Serdes.string());
        return job;
    }

    @Test
    void streamJoinOfTwoSourcesIsOneCoPartitionedStageWithAStorePerSide() {
        PhysicalPlan plan = Planner.build(streamJoin(false, false)).plan();

        assertEquals(1, plan.stages().size(), "both sides keep their source key: no boundary\n" + plan);
        Stage stage = plan.stages().get(0);
        assertEquals(List.of("orders", "payments"), stage.inputTopics());
        assertEquals(List.of("j-join-left-2-changelog", "j-join-right-2-changelog", "j-stage-0-watermarks-changelog"),
                stage.changelogTopics(), "both join stores and the watermarks are persisted");
        assertEquals(List.of("j-late", "out"), stage.outputTopics(), "late side output is a sink");
        IllegalStateException notCoPartitioned = assertThrows(IllegalStateException.class,
                () -> plan.taskCount(stage, Map.of("orders", 2, "payments", 3)::get));
        assertTrue(notCoPartitioned.getMessage().contains("co-partitioned"), notCoPartitioned.getMessage());
    }

    @Test
    void aReKeyedJoinSideIsRepartitionedToTheOtherSidesPartitionCount() {
        PhysicalPlan plan = Planner.build(streamJoin(false, true)).plan();

        assertEquals(2, plan.stages().size(), "the re-keyed side must move records between tasks:\n" + plan);
        assertEquals(List.of("Source[payments]", "Map", "RepartitionSink[j-1-repartition]"),
                plan.stages().get(0).operatorLabels());
        Stage join = plan.stages().get(1);
        assertEquals(List.of("orders", "j-1-repartition"), join.inputTopics());
        assertEquals(List.of(0), join.upstreamStages());
        assertEquals(5, plan.partitionCount("j-1-repartition", Map.of("orders", 5, "payments", 2)::get),
                "the repartition topic is co-partitioned with the side read straight from its source");
    }

    @Test
    void twoReKeyedJoinSidesAreRepartitionedToOnePartitionCount() {
        PhysicalPlan plan = Planner.build(streamJoin(true, true)).plan();

        assertEquals(3, plan.stages().size(), plan.explain());
        Stage join = plan.stages().get(2);
        assertEquals(List.of("j-1-repartition", "j-2-repartition"), join.inputTopics());
        Map<String, Integer> partitions = Map.of("orders", 3, "payments", 7);
        assertEquals(plan.partitionCount("j-1-repartition", partitions::get),
                plan.partitionCount("j-2-repartition", partitions::get), "both sides land in the same tasks");
        assertEquals(3, plan.taskCount(join, partitions::get));
    }

    @Test
    void explainShowsTheStreamJoinAndItsStores() {
        String text = Planner.explain(streamJoin(false, false));

        assertTrue(text.contains("+- StreamJoin[join(before 5000ms, after 5000ms, outOfOrderness 0ms, allowedLateness"
                + " 0ms), stores=join-left-2,join-right-2, late=j-late]"), text);
        assertTrue(text.contains("changelogs:    j-join-left-2-changelog (partitions as orders),"
                + " j-join-right-2-changelog (partitions as orders)"), text);
    }

    @Test
    void streamJoinWithUnknownSerdesAsksForThem() {
        JobBuilder job = new JobBuilder("j");
        Stream<String, String> mapped = job.from("in", Serdes.string(), Serdes.string())
                .map((k, v) -> KeyValue.of(v, k));
        Stream<String, String> other = job.from("other", Serdes.string(), Serdes.string());
        assertThrows(IllegalStateException.class,
                () -> mapped.join(other, JoinWindows.of(Duration.ofSeconds(1)), (a, b) -> a + b));
    }

    /** Issue 16: the same stream joined with the same table as-is and re-keyed once overflowed the stack. */
    @Test
    void sameStreamJoinedWithOneTableAsIsAndReKeyedPlansAsAnAcyclicTwoStagePlan() {
        for (boolean reKeyedFirst : new boolean[] {false, true}) {
            JobBuilder job = new JobBuilder("j");
            Table<String, String> users = job.table("users", Serdes.string(), Serdes.string());
            Stream<String, String> clicks = job.from("clicks", Serdes.string(), Serdes.string());
            if (reKeyedFirst) {
                clicks.keyBy((k, v) -> v, Serdes.string()).join(users, (c, u) -> c + "@" + u)
                        .to("out", Serdes.string(), Serdes.string());
                clicks.join(users, (c, u) -> c + "@" + u).to("out", Serdes.string(), Serdes.string());
            } else {
                clicks.join(users, (c, u) -> c + "@" + u).to("out", Serdes.string(), Serdes.string());
                clicks.keyBy((k, v) -> v, Serdes.string()).join(users, (c, u) -> c + "@" + u)
                        .to("out", Serdes.string(), Serdes.string());
            }
            PhysicalPlan plan = Planner.build(job).plan();

            assertEquals(2, plan.stages().size(), "re-keyed first: " + reKeyedFirst + "\n" + plan);
            Stage upstream = plan.stages().get(0);
            Stage downstream = plan.stages().get(1);
            assertEquals(Set.of("users", "clicks"), Set.copyOf(upstream.inputTopics()),
                    "the as-is join stays with its source");
            assertEquals(List.of("j-1-repartition"), upstream.outputTopics().stream()
                    .filter(t -> t.endsWith("repartition")).toList());
            assertEquals(Set.of("users", "j-1-repartition"), Set.copyOf(downstream.inputTopics()),
                    "the re-keyed join reads its own copy of the table:\n" + plan);
            assertEquals(List.of(0), downstream.upstreamStages());
            assertEquals(2, plan.internalTopics().stream().filter(t -> t.kind() == InternalTopic.Kind.CHANGELOG)
                    .map(InternalTopic::name).distinct().count(), "one table store per stage: " + plan.internalTopics());
            assertEquals(4, plan.partitionCount("j-1-repartition", Map.of("users", 4, "clicks", 4)::get));
        }
    }

    @Test
    void streamJoinedWithItsOwnReKeyedSelfRepartitionsBothSides() {
        JobBuilder job = new JobBuilder("j");
        Stream<String, String> orders = job.from("orders", Serdes.string(), Serdes.string());
        orders.join(orders.keyBy((k, v) -> v, Serdes.string()), JoinWindows.of(Duration.ofSeconds(5)),
                        (a, b) -> a + b)
                .to("out", Serdes.string(), Serdes.string());
        PhysicalPlan plan = Planner.build(job).plan();

        assertEquals(2, plan.stages().size(), plan.explain());
        assertEquals(List.of("orders"), plan.stages().get(0).inputTopics());
        assertEquals(2, plan.stages().get(1).inputTopics().size(),
                "both sides reach the join through a repartition topic, so no stage reads what it writes:\n" + plan);
        for (String input : plan.stages().get(1).inputTopics()) {
            assertEquals(0, plan.writerOf(input));
        }
    }

    @Test
    void explainWithSourcePartitionsShowsTaskAndPartitionCountsAndEverySerde() {
        JobBuilder job = new JobBuilder("j");
        Table<String, String> users = job.table("users", Serdes.string(), Serdes.json(String.class));
        job.from("clicks", Serdes.string(), Serdes.bytes())
                .map((k, v) -> KeyValue.of(k + "!", (long) v.length), Serdes.string(), Serdes.longs())
                .join(users, (length, user) -> user + length, Serde.<String>of("user-text", String::getBytes, String::new))
                .to("out", Serdes.string(), Serde.<String>of("user-text", String::getBytes, String::new));
        String text = Planner.explain(job, Map.of("users", 6, "clicks", 2)::get);

        assertTrue(text.contains("Stage 0 (2 tasks, one per partition of clicks)\n"
                + "  input topics:  clicks (key string, value bytes, 2 partitions)\n"
                + "  output topics: j-1-repartition (key string, value longs, 6 partitions)\n"), text);
        assertTrue(text.contains("Stage 1 (6 tasks, one per partition of users)\n"
                + "  input topics:  users (key string, value json(String), 6 partitions),"
                + " j-1-repartition (key string, value longs, 6 partitions)\n"
                + "  output topics: out (key string, value user-text)\n"
                + "  changelogs:    j-table-0-changelog (6 partitions)\n"), text);
        assertTrue(Planner.explain(job).contains("j-1-repartition (key string, value longs, partitions as users)"),
                "without partition counts, an internal topic names the topic it copies them from");
    }

    @Test
    void explainNamesASerdeWithoutToStringByItsClass() {
        assertEquals("custom", Serdes.nameOf(Serde.of(String::getBytes, String::new)));
        assertEquals("windowed(longs)", Serdes.nameOf(Serdes.windowed(Serdes.longs())));
        Serde<String> plain = new Serde<>() {
            public byte[] serialize(String value) {
                return null;
            }

            public String deserialize(byte[] bytes) {
                return null;
            }
        };
        assertEquals(plain.getClass().getName(), Serdes.nameOf(plain), "not Object's identity hash");
        assertEquals("unknown", Serdes.nameOf(null));
    }
}
