package dev.hearth.job.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.hearth.job.api.JobBuilder;
import dev.hearth.job.api.Serdes;
import dev.hearth.job.api.Stream;
import dev.hearth.job.api.Trigger;
import dev.hearth.job.api.Windows;
import dev.hearth.job.plan.JobDefinition;
import dev.hearth.job.plan.Planner;

/** Owner look-up of interactive queries: which partition a key is in, and who answers for it. */
class StoreQueriesTest {

    private static final String HERE = "http://node-a:8080/api/";
    private static final String THERE = "http://node-b:8080/api/";
    private static final int PARTITIONS = 4;

    private final List<JobWorker> workers = new ArrayList<>();
    private final StoreQueries queries;
    private final RunningJob job;

    StoreQueriesTest() {
        JobBuilder builder = new JobBuilder("views");
        Stream<String, String> views = builder.from("views", Serdes.string(), Serdes.string());
        views.groupByKey().withStoreName("totals").count().to("totals-out", Serdes.string(), Serdes.longs());
        views.groupByKey().windowedBy(Windows.tumbling(Duration.ofSeconds(10))).count()
                .to("windowed-out", Serdes.windowed(Serdes.string()), Serdes.longs());
        JobDefinition definition = Planner.build(builder);
        job = new RunningJob("views", "app", getClass().getClassLoader(), definition, "", 1, 100,
                Trigger.continuous(), null);
        queries = new StoreQueries("views", definition.plan(), () -> workers);
        queries.configure(HERE, 200);
    }

    private void oneWorkerHoldingNothing() {
        workers.add(new JobWorker(job, 0, Map.of("views", PARTITIONS), Map.of(), 100, 0));
    }

    private static int partitionOf(String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    @Test
    void theStoresAreThoseTheDslNamed() {
        assertEquals(List.of("totals", "windowed-count-3"), queries.stores().stream().map(QueryableStore::name)
                .toList(), "user-named and derived names, in plan order");
        assertEquals(QueryableStore.Kind.WINDOW, queries.store("windowed-count-3").kind());
        assertEquals(10_000, queries.store("windowed-count-3").windowSizeMs());
        StoreNotFoundException unknown = assertThrows(StoreNotFoundException.class, () -> queries.store("nope"));
        assertTrue(unknown.getMessage().contains("[totals, windowed-count-3]"), unknown.getMessage());
    }

    @Test
    void aKeyHeldByAnotherInstanceIsAnsweredWithThatInstancesUrlAndTheDefaultPartitionersPartition() {
        oneWorkerHoldingNothing();
        Map<TopicPartition, String> owners = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            owners.put(new TopicPartition("views", p), THERE);
        }
        queries.owners(owners);
        for (String key : List.of("alice", "bob", "carol", "dave", "")) {
            StoreAnswer answer = queries.get("totals", key, false);
            assertEquals(new StoreAnswer.Elsewhere(THERE, partitionOf(key)), answer,
                    "key '" + key + "' is where Kafka's default partitioner puts it, on the other instance");
        }
        assertEquals(new StoreAnswer.Elsewhere(THERE, partitionOf("alice")),
                queries.windows("windowed-count-3", "alice", false, 0, Long.MAX_VALUE, 10, null));
        StoreAnswer.Rows scan = (StoreAnswer.Rows) queries.scan("totals", -1, 10, null);
        assertEquals(List.of(), scan.rows(), "nothing is held here");
        assertEquals(Map.of(0, THERE, 1, THERE, 2, THERE, 3, THERE), scan.partitionsElsewhere(),
                "a scan names the instance of each partition held elsewhere");
        assertEquals(new StoreAnswer.Elsewhere(THERE, 2), queries.scan("totals", 2, 10, null),
                "a scan of one partition goes to its owner");
    }

    @Test
    void aPartitionNobodyHoldsOrWhoseOwnerHasNoUrlIsUnavailableNotWrong() {
        StoreUnavailableException notRunning = assertThrows(StoreUnavailableException.class,
                () -> queries.get("totals", "alice", false), "no workers: the job is not running");
        assertTrue(notRunning.getMessage().contains("not running"), notRunning.getMessage());
        oneWorkerHoldingNothing();
        StoreUnavailableException rebalancing = assertThrows(StoreUnavailableException.class,
                () -> queries.get("totals", "alice", false));
        assertTrue(rebalancing.getMessage().contains("not assigned"), rebalancing.getMessage());
        assertEquals(partitionOf("alice"), rebalancing.partition());
        queries.owners(Map.of(new TopicPartition("views", partitionOf("alice")), HERE));
        assertThrows(StoreUnavailableException.class, () -> queries.get("totals", "alice", false),
                "this instance's own URL but no local worker holds it: it is moving");
        queries.owners(Map.of(new TopicPartition("views", partitionOf("alice")), ""));
        StoreUnavailableException noUrl = assertThrows(StoreUnavailableException.class,
                () -> queries.get("totals", "alice", false));
        assertTrue(noUrl.getMessage().contains("hearth.jobs.query.advertised.url"), noUrl.getMessage());
    }

    @Test
    void malformedQueriesAreRejectedBeforeAnyWorkerIsAsked() {
        oneWorkerHoldingNothing();
        assertThrows(InvalidStoreQueryException.class, () -> queries.scan("windowed-count-3", -1, 10, null),
                "window stores are read per key");
        assertThrows(InvalidStoreQueryException.class, () -> queries.get("windowed-count-3", "alice", false));
        assertThrows(InvalidStoreQueryException.class, () -> queries.scan("totals", -1, 0, null), "limit 0");
        assertThrows(InvalidStoreQueryException.class, () -> queries.scan("totals", -1, 10_000, null),
                "limit above the maximum");
        assertThrows(InvalidStoreQueryException.class, () -> queries.scan("totals", PARTITIONS, 10, null),
                "no such partition");
        assertThrows(InvalidStoreQueryException.class, () -> queries.scan("totals", -1, 10, "not base64!"));
        assertThrows(InvalidStoreQueryException.class,
                () -> queries.windows("windowed-count-3", "alice", false, 10, 5, 10, null), "from after to");
        assertThrows(InvalidStoreQueryException.class,
                () -> queries.windows("windowed-count-3", "alice", false, 0, 5, 10, "x"), "a foreign cursor");
    }
}
