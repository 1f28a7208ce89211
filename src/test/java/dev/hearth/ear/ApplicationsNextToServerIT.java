package dev.hearth.ear;

import static dev.hearth.platform.RestClient.CLUSTER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hearth.application.ClickCountsV2;
import dev.hearth.application.ClickStreams;
import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * The README's full-server procedure, as an administrator runs it on a Payara Server 6 domain of its own: the
 * connector-service class-loading policy set to {@code global} (Payara Micro's default), {@code hearth-connector.rar}
 * and {@code hearth.war} deployed with {@code asadmin deploy} — the same two archives as on Payara Micro — and then
 * the unchanged example WARs of {@code examples/}, as on Micro. An EAR cannot serve here: a resource adapter embedded
 * in an EAR is visible to that EAR only, and is named {@code hearth#hearth-connector}, which a WAR's MDBs would have
 * to name differently from Micro.
 * <ul>
 *   <li>payments: a payment is sent in a JTA transaction through {@code java:global/hearth/ConnectionFactory} and
 *       booked by the WAR's MDB into Hearth's database;</li>
 *   <li>click-counts: its stream job runs under Hearth; {@code asadmin undeploy} stops it with its offsets committed
 *       and its group left empty while Hearth runs on; clicks produced meanwhile are counted once after
 *       {@code asadmin deploy} brings it back, from the count it had; a changed version with the same plan, deployed
 *       over it with {@code --force}, carries on from that count too.</li>
 * </ul>
 */
class ApplicationsNextToServerIT {

    private static final Duration DELIVERY = Duration.ofSeconds(90);
    private static final String JOB = "clicks-per-page";
    private static final String JOB_GROUP = "hearth-job-" + JOB;

    private static PayaraDomain domain;
    private static RestClient admin;
    private static String bootstrapServers;

    @BeforeAll
    static void deployHearthAsAnAdministratorWould() throws Exception {
        Path domains = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")).resolve("domains"));
        Path dataDir = HearthServer.workDir().resolve("server-apps-data-" + System.nanoTime()).toAbsolutePath();
        domain = PayaraDomain.create(Path.of(System.getProperty("payara.server.home")), domains, "hearth-apps");
        domain.start();
        domain.asadmin("create-system-properties", String.join(":",
                "hearth.data.dir=" + dataDir.toString().replace(":", "\\:"),
                "hearth.kafka.port=" + domain.kafkaPort(),
                "hearth.security.user.test-admin.password=test-admin-Secret-1",
                "hearth.security.user.test-admin.roles=admin"));
        // The README's procedure: these three commands, no restart.
        domain.asadmin("set", "configs.config.server-config.connector-service.class-loading-policy=global");
        domain.asadmin("deploy", System.getProperty("hearth.rar"));
        domain.asadmin("deploy", System.getProperty("hearth.war"));
        admin = new RestClient(domain.httpBase());
        bootstrapServers = "127.0.0.1:" + domain.kafkaPort();
    }

    @AfterAll
    static void destroyDomain() {
        if (domain != null) {
            domain.destroy();
        }
    }

    @Test
    void examplesDeployNextToHearthAndAJobSurvivesUndeployAndRedeploy() throws Exception {
        Reply ready = await("Hearth is ready").atMost(DELIVERY).ignoreExceptions()
                .until(() -> RestClient.anonymous(domain.httpBase()).get("/health/ready"), r -> r.status() == 200);
        assertTrue(ready.body().contains("hearth-engine"), "readiness reports the engine: " + ready);

        domain.asadmin("deploy", System.getProperty("example.payments.war"));
        domain.asadmin("deploy", System.getProperty("example.click-counts.war"));

        RestClient app = RestClient.anonymous(domain.httpBase());
        Reply paid = app.post("/payments/api/payments/p1/100", Json.createObjectBuilder().build());
        assertEquals(200, paid.status(), "the payment is sent through Hearth's global connection factory: " + paid);
        await("the ledger's MDB books the payment").atMost(DELIVERY).ignoreExceptions()
                .until(() -> app.get("/payments/api/payments/ledger").object().getInt("entries"), n -> n == 1);

        ClickStreams.produceClicks(bootstrapServers, "home", "home", "cart");
        ClickStreams.awaitCounts(bootstrapServers, Map.of("home", "2", "cart", "1"), DELIVERY);
        JsonObject job = await("the job shows as running").atMost(DELIVERY)
                .until(() -> job(JOB), found -> found != null && "RUNNING".equals(found.getString("state")));
        assertEquals("click-counts", job.getString("application"), "the job belongs to its application: " + job);
        try (Admin kafka = kafkaAdmin()) {
            assertTrue(!members(kafka).isEmpty(), "the running job is a member of its group");

            domain.asadmin("undeploy", "click-counts");
            assertEquals(null, job(JOB), "the undeployed application's job is gone from the API");
            assertTrue(members(kafka).isEmpty(), "its group has no members left: " + members(kafka));
            assertEquals(3L, committedOffsets(kafka), "all three clicks it counted are committed in its group");
            assertEquals(200, RestClient.anonymous(domain.httpBase()).get("/health/ready").status(),
                    "Hearth stays ready without the application");

            ClickStreams.produceClicks(bootstrapServers, "home", "cart", "cart");
            domain.asadmin("deploy", System.getProperty("example.click-counts.war"));
            ClickStreams.awaitCounts(bootstrapServers, Map.of("home", "3", "cart", "3"), DELIVERY);
            assertEquals(6L, committedOffsets(kafka), "the redeployed job commits from where it stopped");

            // A changed version with the same plan, as an administrator upgrades: deploy --force over the running one.
            domain.asadmin("deploy", "--force=true", ClickStreams.jobWar("click-counts.war", ClickCountsV2.class)
                    .toString());
            ClickStreams.produceClicks(bootstrapServers, "home");
            ClickStreams.awaitCounts(bootstrapServers, Map.of("home", "v2:4"), DELIVERY);
        }
        Map<String, List<String>> history = ClickStreams.countsHistory(bootstrapServers, DELIVERY);
        assertEquals(List.of("1", "2", "3", "v2:4"), history.get("home"),
                "each count of page home is written once: nothing counted twice or lost across the redeploys");
        assertEquals(List.of("1", "2", "3"), history.get("cart"), "the same for page cart");
        assertEquals(1, app.get("/payments/api/payments/ledger").object().getInt("entries"),
                "the payments application was untouched by the other's redeploy");
    }

    private static JsonObject job(String name) {
        Reply reply = admin.get(CLUSTER + "/jobs");
        assertEquals(200, reply.status(), "the job list answers: " + reply);
        for (JsonValue value : reply.object().getJsonArray("data")) {
            JsonObject job = value.asJsonObject();
            if (name.equals(job.getString("job_name"))) {
                return job;
            }
        }
        return null;
    }

    private static Admin kafkaAdmin() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        return Admin.create(properties);
    }

    private static List<String> members(Admin kafka) throws Exception {
        ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of(JOB_GROUP)).all().get()
                .get(JOB_GROUP);
        List<String> members = new ArrayList<>();
        group.members().forEach(member -> members.add(member.consumerId()));
        return members;
    }

    private static long committedOffsets(Admin kafka) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = kafka.listConsumerGroupOffsets(JOB_GROUP)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(entry -> entry.getKey().topic().equals("clicks"))
                .mapToLong(entry -> entry.getValue().offset()).sum();
    }
}
