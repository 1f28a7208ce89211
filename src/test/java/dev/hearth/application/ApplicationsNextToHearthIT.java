package dev.hearth.application;

import static dev.hearth.platform.RestClient.CLUSTER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * The README's path for an application of one's own, end to end: the two example projects under {@code examples/}
 * (plain Maven WARs that depend on {@code hearth-api} only, built by this build as a user builds them) deployed
 * next to Hearth, with the resource adapter deployed under its Maven file name (its name comes from ra.xml).
 * <ul>
 *   <li>payments: a JAX-RS resource writes a row and sends a record in one JTA transaction through the connection
 *       factory Hearth binds globally (the topic is auto-created, as Kafka's producers see it); a rejected payment
 *       rolls both back; a message-driven bean books each record into Hearth's shared database;</li>
 *   <li>click-counts: a stream job in the application's own WAR runs, shows in the admin API with its
 *       application and in the metrics; a job of another application whose definition fails is rejected alone,
 *       visible in the API and readiness;</li>
 *   <li>a new version with the same plan resumes from the job's state; one whose plan changed the state's layout
 *       is rejected with the reason until a reset starts it from scratch.</li>
 * </ul>
 */
class ApplicationsNextToHearthIT {

    private static final Duration DELIVERY = Duration.ofSeconds(90);

    @Test
    void examplesRunNextToHearthAndJobsAreDeployableComponents() throws Exception {
        Path rarUnderMavenName = Files.copy(Path.of(System.getProperty("hearth.rar")),
                HearthServer.workDir().resolve("hearth-jca-connector-0.1.0-SNAPSHOT.rar"),
                StandardCopyOption.REPLACE_EXISTING);
        Path payments = Path.of(System.getProperty("example.payments.war"));
        Path clickCounts = Path.of(System.getProperty("example.click-counts.war"));

        HearthServer server = HearthServer.onFreshDataDir("applications").withAdapter(rarUnderMavenName)
                .alsoDeploying(payments).alsoDeploying(clickCounts).alsoDeploying(brokenJobWar());
        server.launch().awaitStarted();
        try {
            RestClient app = RestClient.anonymous(server.baseUri());
            paymentsAreSentAndBookedInOneTransaction(app);

            produceClicks(server, "home", "home", "cart");
            awaitCounts(server, Map.of("home", "2", "cart", "1"));
            RestClient admin = new RestClient(server.baseUri());
            JsonObject job = job(admin, "clicks-per-page");
            assertEquals("RUNNING", job.getString("state"), "the application's job runs: " + job);
            assertEquals("click-counts", job.getString("application"), "and shows its application: " + job);
            String metrics = RestClient.anonymous(server.baseUri()).get("/metrics").body();
            assertTrue(metrics.contains("hearth_job_records_consumed_total{job=\"clicks-per-page\""),
                    "the job's metrics are published");

            JsonObject broken = job(admin, "broken-job");
            assertEquals("REJECTED", broken.getString("state"), "a job whose definition fails is rejected: " + broken);
            assertTrue(broken.getString("last_error").contains("the configuration this job needs is missing"),
                    "with its reason: " + broken);
            Reply readiness = app.get("/health/ready");
            assertEquals(503, readiness.status(), "readiness says a job is rejected: " + readiness);
            assertTrue(readiness.body().contains("broken-job"), "and names it: " + readiness);
        } finally {
            server.stop();
        }

        // Version 2, same plan: resumes from version 1's count (home was 2).
        HearthServer second = new HearthServer(server.dataDir(), "applications-v2").withAdapter(rarUnderMavenName)
                .alsoDeploying(clickCountsWar("click-counts.war", ClickCountsV2.class)).start();
        try {
            produceClicks(second, "home");
            awaitCounts(second, Map.of("home", "v2:3"));
        } finally {
            second.stop();
        }

        // Version 3 changed the layout of the state: rejected with the reason, until a reset.
        HearthServer third = new HearthServer(server.dataDir(), "applications-v3").withAdapter(rarUnderMavenName)
                .alsoDeploying(clickCountsWar("click-counts.war", ClickCountsV3.class));
        third.launch().awaitStarted();
        try {
            RestClient admin = new RestClient(third.baseUri());
            JsonObject rejected = await("version 3 of the job is deployed").atMost(DELIVERY).ignoreExceptions()
                    .until(() -> job(admin, "clicks-per-page"), found -> found != null);
            assertEquals("REJECTED", rejected.getString("state"), "a plan that changed the state is rejected: "
                    + rejected);
            assertTrue(rejected.getString("last_error").contains("layout of its state"), "with the reason: "
                    + rejected);
            Reply reset = admin.post(CLUSTER + "/jobs/clicks-per-page:reset",
                    Json.createObjectBuilder().add("to", "earliest").build());
            assertEquals(200, reset.status(), "a reset accepts the new plan: " + reset);
            // From scratch: 4 clicks, each a count update of one page, counted once more by the new grouping.
            awaitCounts(third, Map.of("all-pages", "v3:4"));
            assertEquals(200, RestClient.anonymous(third.baseUri()).get("/health/ready").status(),
                    "ready again once no job is rejected");
        } finally {
            third.stop();
        }
    }

    static void paymentsAreSentAndBookedInOneTransaction(RestClient app) {
        for (int i = 1; i <= 3; i++) {
            String path = "/payments/api/payments/p" + i + "/" + (i * 100);
            Reply paid = await("the payments application answers").atMost(DELIVERY).ignoreExceptions()
                    .until(() -> app.post(path, Json.createObjectBuilder().build()), reply -> reply.status() == 200);
            assertEquals(200, paid.status(), "payment " + i + " is accepted: " + paid);
        }
        Reply refused = app.post("/payments/api/payments/refund/-100", Json.createObjectBuilder().build());
        assertEquals(400, refused.status(), "a negative amount is refused after its send: " + refused);
        JsonObject expected = Json.createObjectBuilder().add("entries", 3).add("amountCents", 600)
                .add("payments", 3).build();
        await("the ledger books each payment once, and not the refused one").atMost(DELIVERY)
                .ignoreExceptions()
                .until(() -> app.get("/payments/api/payments/ledger").object(), expected::equals);
    }

    private static JsonObject job(RestClient admin, String name) {
        Reply reply = admin.get(CLUSTER + "/jobs/" + name);
        return reply.status() == 200 ? reply.object() : null;
    }

    private static void produceClicks(HearthServer server, String... pages) {
        ClickStreams.produceClicks(server.bootstrapServers(), pages);
    }

    private static void awaitCounts(HearthServer server, Map<String, String> expected) {
        ClickStreams.awaitCounts(server.bootstrapServers(), expected, DELIVERY);
    }

    private static Path clickCountsWar(String name, Class<?> job) throws IOException {
        return ClickStreams.jobWar(name, job);
    }

    private static Path brokenJobWar() throws IOException {
        return clickCountsWar("broken-jobs.war", BrokenJob.class);
    }
}
