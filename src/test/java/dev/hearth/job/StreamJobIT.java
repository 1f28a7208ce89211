package dev.hearth.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Stream jobs deployed with the application on Payara Micro, two workers per job: an event-time windowed count
 * whose results equal counts computed independently (with a repartition between two stages and the watermark
 * taken over all partitions), late records in the side output, a stream–table join, interactive queries of a running
 * job's stores over REST, and the admin API — with the Kafka listener on
 * SASL_SSL, so the jobs' own clients (workers, bounded runs) authenticate over TLS as Hearth's internal user.
 */
public class StreamJobIT {

    static final String JOBS = RestClient.CLUSTER + "/jobs";

    private static HearthServer server;
    private static RestClient rest;

    @BeforeAll
    static void start() {
        // The Kafka listener speaks SASL_SSL only: the jobs' workers and bounded runs reach it as Hearth's internal
        // user, the test's clients as the test admin.
        server = HearthServer.onFreshDataDir("jobs").deploying(jobsWar("hearth-with-jobs.war"))
                .with("hearth.jobs.workers", "2").withKafkaSaslSsl().start();
        rest = new RestClient(server.baseUri());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void windowedCountsAreExactAndLateRecordsGoToTheSideOutput() {
        createTopic("clicks", 6);
        ClickStream stream = new ClickStream(12_000, 15, 6, 20, 42);
        stream.produce(server.kafkaClientProperties());

        List<ConsumerRecord<String, String>> output = ClickStream.readCommitted(server.kafkaClientProperties(),
                "clicks-per-user-counts", Duration.ofSeconds(120), 2000,
                records -> ClickStream.hasAll(records, stream.expectedCounts.keySet()));
        assertEquals(stream.expectedCounts, ClickStream.counts(output),
                "every window's count equals the independently computed one, each emitted once");

        // Far behind the watermark now: late, so they go to the side output, counted.
        Properties props = producerProps();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("clicks", i % 6, null, "latecomer," + ClickStream.START_MS));
            }
        }
        List<ConsumerRecord<String, String>> late = ClickStream.readCommitted(server.kafkaClientProperties(), "clicks-late",
                Duration.ofSeconds(60), 500, records -> records.size() >= 5);
        assertEquals(5, late.size(), "the late records are in the side output");
        assertTrue(late.stream().allMatch(record -> record.value().startsWith("latecomer,")), late.toString());
        await("the job counts its late records").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> job("clicks-per-user").getJsonNumber("late_records").longValue() == 5);

        // The same dataflow as a batch job over the whole topic, into other topics. In a bounded run the
        // watermark waits for every partition of the range, so the latecomers are on time there.
        Reply started = rest.post(JOBS + "/clicks-per-user:run-bounded", Json.createObjectBuilder()
                .add("outputs", Json.createObjectBuilder()
                        .add("clicks-per-user-counts", "clicks-per-user-counts-batch")
                        .add("clicks-late", "clicks-late-batch")).build());
        assertEquals(202, started.status(), started.toString());
        String run = JOBS + "/clicks-per-user/runs/" + started.object().getString("run_id");
        await("the bounded run finishes").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> !rest.get(run).object().getString("state").equals("RUNNING"));
        JsonObject finished = rest.get(run).object();
        assertEquals("SUCCEEDED", finished.getString("state"), finished.toString());
        assertEquals(stream.clicks.size() + 5, finished.getJsonNumber("records_total").longValue(), finished.toString());
        assertEquals(finished.getJsonNumber("records_total").longValue(),
                finished.getJsonNumber("records_read").longValue(), finished.toString());
        Map<String, Long> expectedInBatch = new HashMap<>(stream.expectedCounts);
        expectedInBatch.put("latecomer@" + ClickStream.START_MS, 5L);
        List<ConsumerRecord<String, String>> batchOutput = ClickStream.readCommitted(server.kafkaClientProperties(),
                "clicks-per-user-counts-batch", Duration.ofSeconds(60), 1000,
                records -> ClickStream.hasAll(records, expectedInBatch.keySet()));
        assertEquals(expectedInBatch, ClickStream.counts(batchOutput), "the bounded run computes the same windows");
        Reply badRename = rest.post(JOBS + "/clicks-per-user:run-bounded", Json.createObjectBuilder()
                .add("outputs", Json.createObjectBuilder().add("not-an-output", "x")).build());
        assertEquals(400, badRename.status(), badRename.toString());
        assertTrue(badRename.object().getString("detail").contains("not-an-output"), badRename.toString());

        String metrics = rest.get("/metrics").body();
        List<String> lateLines = metrics.lines().filter(line -> line.startsWith("hearth_job_late_records_total{")
                && line.contains("job=\"clicks-per-user\"")).toList();
        assertEquals(1, lateLines.size(), metrics);
        assertEquals(5.0, Double.parseDouble(lateLines.get(0).substring(lateLines.get(0).lastIndexOf(' ') + 1)),
                "the job's late records are in /metrics: " + lateLines);

        JsonObject described = job("clicks-per-user");
        assertEquals("RUNNING", described.getString("state"));
        assertTrue(described.getString("plan").contains("clicks-per-user-1-repartition"),
                "the plan shows the stage boundary: " + described.getString("plan"));
        assertEquals(0, described.getJsonNumber("failures").longValue(), described.toString());
        // Its repartition topic is written in transactions: the markers after the last records are no lag.
        await("an idle exactly-once job has no lag").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> job("clicks-per-user").getJsonNumber("total_lag").longValue() == 0);
    }

    @Test
    void aStreamTableJoinEnrichesEachRecordAndPauseStopsConsumption() {
        createTopic("accounts", 3);
        createTopic("payments", 3);
        Properties props = producerProps();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int account = 0; account < 9; account++) {
                producer.send(new ProducerRecord<>("accounts", "acct-" + account, "owner-" + account));
            }
        }
        await("the job has read the table").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> job("payment-enrichment").getJsonNumber("records_consumed").longValue() >= 9);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("payments", "acct-" + (i % 9), Integer.toString(100 + i)));
            }
        }
        List<ConsumerRecord<String, String>> enriched = ClickStream.readCommitted(server.kafkaClientProperties(),
                "payments-enriched", Duration.ofSeconds(60), 500, records -> records.size() >= 30);
        assertEquals(30, enriched.size());
        Map<String, Integer> perOwner = new HashMap<>();
        for (ConsumerRecord<String, String> record : enriched) {
            String account = record.key();
            assertTrue(record.value().startsWith(account.replace("acct-", "owner-") + ":"),
                    "enriched with the account's owner: " + record.key() + " -> " + record.value());
            perOwner.merge(account, 1, Integer::sum);
        }
        assertEquals(9, perOwner.size());
        assertEquals("micro-batch every 300 ms", job("payment-enrichment").getString("trigger"));

        Reply paused = rest.post(JOBS + "/payment-enrichment:pause", JsonValue.EMPTY_JSON_OBJECT);
        assertEquals(200, paused.status(), paused.toString());
        assertEquals("PAUSED", paused.object().getString("state"));
        long consumedWhenPaused = job("payment-enrichment").getJsonNumber("records_consumed").longValue();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("payments", "acct-" + i % 9, "999"));
            }
        }
        // At least the 10 new records: a condition, not an exact figure that a busy machine's timing can miss.
        await("lag builds up while paused").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> job("payment-enrichment").getJsonNumber("total_lag").longValue() >= 10);
        assertEquals(consumedWhenPaused, job("payment-enrichment").getJsonNumber("records_consumed").longValue(),
                "a paused job consumes nothing");
        Reply resumed = rest.post(JOBS + "/payment-enrichment:resume", JsonValue.EMPTY_JSON_OBJECT);
        assertEquals(200, resumed.status(), resumed.toString());
        await("the resumed job catches up").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> job("payment-enrichment").getJsonNumber("total_lag").longValue() == 0);
        List<String> audited = new ArrayList<>();
        rest.get(RestClient.CLUSTER + "/audit-entries?resource_type=job&resource_name=payment-enrichment").object()
                .getJsonArray("data").forEach(entry -> audited.add(entry.asJsonObject().getString("action")
                        + " by " + entry.asJsonObject().getString("principal")));
        assertEquals(List.of("RESUME_JOB by " + HearthServer.ADMIN_USER, "PAUSE_JOB by " + HearthServer.ADMIN_USER),
                audited, "pause and resume are in the audit trail");
        assertEquals(40, ClickStream.readCommitted(server.kafkaClientProperties(), "payments-enriched",
                Duration.ofSeconds(30), 500, records -> records.size() >= 40).size());
    }

    @Test
    void aWindowedStreamStreamJoinEmitsEachPairWithinTheWindowOnce() {
        createTopic("ad-impressions", 3);
        createTopic("ad-clicks", 3);
        long base = ClickStream.START_MS;
        Set<String> expected = new HashSet<>();
        Properties props = producerProps();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int ad = 0; ad < 6; ad++) {
                String key = "ad-" + ad;
                for (int i = 0; i < 3; i++) {
                    // impressions at 0 s, 20 s, 40 s; one click at 5 s: only the first impression is within 10 s
                    producer.send(new ProducerRecord<>("ad-impressions", null, base + i * 20_000L, key, key + "-imp-" + i));
                }
                producer.send(new ProducerRecord<>("ad-clicks", null, base + 5_000L, key, key + "-click"));
                expected.add(key + "-imp-0->" + key + "-click");
                // and a second click at 45 s, matching the third impression (40 s) only
                producer.send(new ProducerRecord<>("ad-clicks", null, base + 45_000L, key, key + "-late-click"));
                expected.add(key + "-imp-2->" + key + "-late-click");
            }
        }
        List<ConsumerRecord<String, String>> joined = ClickStream.readCommitted(server.kafkaClientProperties(),
                "ad-attributions", Duration.ofSeconds(60), 2000, records -> records.size() >= expected.size());
        List<String> values = joined.stream().map(ConsumerRecord::value).toList();
        assertEquals(expected.size(), values.size(), "each pair once: " + values);
        assertEquals(expected, new HashSet<>(values));
    }

    @Test
    void aRecordThatKeepsFailingGoesToTheDeadLetterTopicAndTheRestFlows() {
        createTopic("amounts", 1);
        Properties props = producerProps();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (String amount : List.of("1", "2")) {
                producer.send(new ProducerRecord<>("amounts", amount));
            }
        }
        // Committed before the bad record arrives: the counters of the restarted worker continue from here.
        ClickStream.readCommitted(server.kafkaClientProperties(), "amounts-in-cents", Duration.ofSeconds(60), 1000,
                records -> records.size() >= 2);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (String amount : List.of("oops", "4")) {
                producer.send(new ProducerRecord<>("amounts", amount));
            }
        }
        Set<String> states = new HashSet<>();
        List<ConsumerRecord<String, String>> cents = ClickStream.readCommitted(server.kafkaClientProperties(),
                "amounts-in-cents", Duration.ofSeconds(60), 200, records -> {
                    states.add(job("amount-parsing").getString("state"));
                    return records.size() >= 3;
                });
        assertFalse(states.contains("FAILED"), "a job that retries a record is not FAILED: " + states);
        assertEquals(List.of("100", "200", "400"), cents.stream().map(ConsumerRecord::value).toList(),
                "the records around the poison one are processed, once each");
        List<ConsumerRecord<String, String>> dead = ClickStream.readCommitted(server.kafkaClientProperties(),
                "amount-parsing.DLT", Duration.ofSeconds(30), 500, records -> !records.isEmpty());
        assertEquals(1, dead.size());
        assertEquals("oops", dead.get(0).value());
        assertEquals("2", new String(dead.get(0).headers().lastHeader("hearth.dlt.original.offset").value()));
        assertTrue(new String(dead.get(0).headers().lastHeader("hearth.dlt.error.message").value())
                .contains("NumberFormatException"), "the error is in the headers");
        JsonObject job = job("amount-parsing");
        assertEquals(1, job.getJsonNumber("dead_lettered_records").longValue(), job.toString());
        assertTrue(job.getJsonNumber("failures").longValue() >= 3, "three attempts before the dead letter: " + job);
        assertEquals("RUNNING", job.getString("state"));
        await("records_in counts across the worker's restarts").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> job("amount-parsing").getJsonNumber("records_in").longValue() == 3);
    }

    @Test
    void theAdminApiListsJobsAndAnswersErrorsAsProblems() {
        Reply list = rest.get(JOBS);
        assertEquals(200, list.status(), list.toString());
        List<String> names = new ArrayList<>();
        list.object().getJsonArray("data").forEach(job -> names.add(job.asJsonObject().getString("job_name")));
        assertTrue(names.containsAll(List.of("clicks-per-user", "payment-enrichment")), names.toString());

        Reply unknown = rest.get(JOBS + "/no-such-job");
        assertEquals(404, unknown.status());
        assertEquals("application/problem+json", unknown.contentType());
        assertEquals("no-such-job", unknown.object().getString("job"));
        Reply badReset = rest.post(JOBS + "/clicks-per-user:reset", Json.createObjectBuilder().add("to", "yesterday").build());
        assertEquals(400, badReset.status(), badReset.toString());
        assertTrue(badReset.object().getString("detail").contains("'to'"), badReset.toString());
        Reply notAdmin = new RestClient(server.baseUri(), HearthServer.PRODUCER_USER, HearthServer.PRODUCER_PASSWORD)
                .get(JOBS);
        assertEquals(403, notAdmin.status());
    }

    @Test
    void theStoresOfARunningJobAreQueryableByKeyWindowRangeAndScan() {
        createTopic("page-views", 3);
        long baseMs = 1_700_000_040_000L; // a minute boundary
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> firstMinute = new HashMap<>();
        Properties props = producerProps();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int user = 0; user < 5; user++) {
                String key = "user-" + user;
                for (int view = 0; view <= user * 3; view++) {
                    boolean first = view % 3 != 2; // two in three in the first minute, the rest in the second
                    long timestampMs = baseMs + (first ? 0 : 60_000L) + view * 100L;
                    producer.send(new ProducerRecord<>("page-views", null, timestampMs, key, "/page/" + view));
                    total.merge(key, 1L, Long::sum);
                    if (first) {
                        firstMinute.merge(key, 1L, Long::sum);
                    }
                }
            }
        }
        String stores = JOBS + "/page-views/stores";
        await("every view is counted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> total.entrySet().stream().allMatch(expected -> {
                    Reply reply = rest.get(stores + "/" + PageViewJob.TOTALS + "/keys/" + expected.getKey());
                    return reply.status() == 200
                            && reply.object().getJsonNumber("value").longValue() == expected.getValue();
                }));

        JsonObject listed = rest.get(stores).object();
        Map<String, String> kinds = new HashMap<>();
        listed.getJsonArray("data").forEach(store -> kinds.put(store.asJsonObject().getString("store_name"),
                store.asJsonObject().getString("store_kind")));
        assertEquals(Map.of(PageViewJob.TOTALS, "key-value", PageViewJob.PER_MINUTE, "window"), kinds,
                listed.toString());

        for (int user = 0; user < 5; user++) {
            String key = "user-" + user;
            Reply value = rest.get(stores + "/" + PageViewJob.TOTALS + "/keys/" + key);
            assertEquals(200, value.status(), value.toString());
            assertEquals(total.get(key), value.object().getJsonNumber("value").longValue(),
                    "the all-time count of " + key + ": " + value);
            assertEquals(key, value.object().getString("key"));

            Reply windows = rest.get(stores + "/" + PageViewJob.PER_MINUTE + "/keys/" + key + "?from_ms=" + baseMs
                    + "&to_ms=" + (baseMs + 60_000));
            assertEquals(200, windows.status(), windows.toString());
            List<String> found = new ArrayList<>();
            windows.object().getJsonArray("data").forEach(window -> found.add(
                    window.asJsonObject().getJsonNumber("window_start_ms").longValue() + "-"
                            + window.asJsonObject().getJsonNumber("window_end_ms").longValue() + "="
                            + window.asJsonObject().getJsonNumber("value").longValue()));
            List<String> expected = new ArrayList<>();
            expected.add(baseMs + "-" + (baseMs + 60_000) + "=" + firstMinute.get(key));
            if (total.get(key) > firstMinute.get(key)) {
                expected.add((baseMs + 60_000) + "-" + (baseMs + 120_000) + "="
                        + (total.get(key) - firstMinute.get(key)));
            }
            assertEquals(expected, found, "the open windows of " + key + " with starts in the range");
        }

        // A key's windows page by page: limit 1, then the next page from next_cursor.
        Reply firstPage = rest.get(stores + "/" + PageViewJob.PER_MINUTE + "/keys/user-4?limit=1");
        assertEquals(1, firstPage.object().getJsonArray("data").size(), firstPage.toString());
        Reply secondPage = rest.get(stores + "/" + PageViewJob.PER_MINUTE + "/keys/user-4?limit=1&cursor="
                + firstPage.object().getString("next_cursor"));
        assertEquals(baseMs + 60_000, secondPage.object().getJsonArray("data").getJsonObject(0)
                .getJsonNumber("window_start_ms").longValue(), secondPage.toString());

        // The key-value store, scanned two keys a page: every key once, in key order.
        Map<String, Long> scanned = new java.util.LinkedHashMap<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = rest.get(stores + "/" + PageViewJob.TOTALS + "/keys?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.toString());
            page.object().getJsonArray("data").forEach(entry -> scanned.put(entry.asJsonObject().getString("key"),
                    entry.asJsonObject().getJsonNumber("value").longValue()));
            cursor = page.object().isNull("next_cursor") ? null : page.object().getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(total, scanned, "the scan's pages hold every key once");
        assertEquals(List.of("user-0", "user-1", "user-2", "user-3", "user-4"), new ArrayList<>(scanned.keySet()),
                "in key order");

        assertProblem(rest.get(JOBS + "/no-such-job/stores/x/keys/y"), 404, "job-not-found");
        assertProblem(rest.get(stores + "/no-such-store/keys/user-1"), 404, "store-not-found");
        Reply noKey = rest.get(stores + "/" + PageViewJob.TOTALS + "/keys/nobody");
        assertProblem(noKey, 404, "store-key-not-found");
        assertEquals("nobody", noKey.object().getString("key"), noKey.toString());
        assertProblem(rest.get(stores + "/" + PageViewJob.TOTALS + "/keys?limit=0"), 400, "invalid-store-query");
        assertProblem(rest.get(stores + "/" + PageViewJob.PER_MINUTE + "/keys/user-1?from_ms=10&to_ms=5"), 400,
                "invalid-store-query");
        assertProblem(rest.get(stores + "/" + PageViewJob.PER_MINUTE + "/keys"), 400, "invalid-store-query");
        assertProblem(rest.get(stores + "/" + PageViewJob.TOTALS + "/keys/user-1?key_encoding=hex"), 400,
                "bad-request");
    }

    private static void assertProblem(Reply reply, int status, String kind) {
        assertEquals(status, reply.status(), reply.toString());
        assertEquals("application/problem+json", reply.contentType(), reply.toString());
        assertEquals("https://hearth.dev/problems/" + kind, reply.object().getString("type"), reply.toString());
    }

    static JsonObject job(String name) {
        Reply reply = rest.get(JOBS + "/" + name);
        assertEquals(200, reply.status(), reply.toString());
        return reply.object();
    }

    private static void createTopic(String topic, int partitions) {
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", partitions).build());
        assertEquals(201, created.status(), created.toString());
    }

    private static Properties producerProps() {
        Properties props = server.kafkaClientProperties();
        props.put("acks", "all");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return props;
    }

    /** hearth.war with the test's job beans, as an application would deploy its jobs. */
    public static Path jobsWar(String name) {
        File target = HearthServer.workDir().resolve(name).toFile();
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hearth.war")))
                .addClasses(ClickCountJob.class, PaymentEnrichmentJob.class, AdAttributionJob.class,
                        AmountParsingJob.class, PageViewJob.class)
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }
}
