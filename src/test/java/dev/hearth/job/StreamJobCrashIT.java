package dev.hearth.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Exactly-once across a crash: Payara Micro is killed with SIGKILL while the windowed-count job is in the middle
 * of a backlog; after a restart on the same data directory the job restores its state from the changelogs and
 * resumes from its committed offsets, and the output topic (read_committed) holds every window's count exactly
 * once and exactly equal to the independently computed one — not merely at least as large. A job paused before
 * the crash is still paused after it.
 */
class StreamJobCrashIT {

    private static final String CLICKS_OFFSETS = RestClient.CLUSTER + "/consumer-groups/hearth-job-clicks-per-user";

    @Test
    void afterAKillTheWindowedCountsAreExactlyTheExpectedOnes() {
        ClickStream stream = new ClickStream(200_000, 1, 6, 20, 7);
        Path war = StreamJobIT.jobsWar("hearth-with-jobs-crash.war");
        HearthServer first = HearthServer.onFreshDataDir("jobs-crash").deploying(war)
                .with("hearth.jobs.workers", "2").start();
        Path dataDir = first.dataDir();
        try {
            RestClient rest = new RestClient(first.baseUri());
            Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                    .add("topic_name", "clicks").add("partitions_count", 6).build());
            assertEquals(201, created.status(), created.toString());
            // An operator's pause must survive the crash too (it is kept in Hearth's database).
            Reply paused = rest.post(RestClient.CLUSTER + "/jobs/payment-enrichment:pause", JsonValue.EMPTY_JSON_OBJECT);
            assertEquals(200, paused.status(), paused.toString());
            stream.produce(first.kafkaClientProperties());
            await("the job is part-way through the backlog").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> committedClicks(rest) >= stream.clicks.size() / 10);
            long committedAtKill = committedClicks(rest);
            first.kill();
            assertTrue(committedAtKill < stream.clicks.size(),
                    "the kill came before the job consumed its backlog (" + committedAtKill + " committed)");
        } finally {
            first.close();
        }

        try (HearthServer second = new HearthServer(dataDir, "jobs-crash-restarted").deploying(war)
                .with("hearth.jobs.workers", "2").start()) {
            List<ConsumerRecord<String, String>> output = ClickStream.readCommitted(second.kafkaClientProperties(),
                    "clicks-per-user-counts", Duration.ofSeconds(180), 3000,
                    records -> ClickStream.hasAll(records, stream.expectedCounts.keySet()));
            assertEquals(stream.expectedCounts, ClickStream.counts(output),
                    "each window once, with exactly the expected count, across the crash");
            Reply job = new RestClient(second.baseUri()).get(RestClient.CLUSTER + "/jobs/payment-enrichment");
            assertEquals("PAUSED", job.object().getString("state"), "the job paused before the crash is still paused");
        }
    }

    /** The job group's committed offsets in the source topic, summed; 0 before its first commit. */
    private static long committedClicks(RestClient rest) {
        Reply group = rest.get(CLICKS_OFFSETS);
        if (group.status() == 404) {
            return 0;
        }
        assertEquals(200, group.status(), group.toString());
        return group.object().getJsonArray("offsets").stream().map(JsonValue::asJsonObject)
                .filter(offset -> offset.getString("topic_name").equals("clicks"))
                .mapToLong(offset -> offset.getJsonNumber("committed_offset").longValue()).sum();
    }
}
