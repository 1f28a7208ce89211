package dev.hearth.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.engine.PowerCutFileSystem;
import dev.hearth.engine.PowerCutFileSystem.CutMode;

/**
 * Power loss over Hearth's whole data directory (segments, indexes, checkpoints, producer snapshots, topic
 * definitions, the generated admin credentials, Payara's transaction log, the H2 database): the data directory lives on the power-cut
 * FUSE file system ({@link PowerCutFileSystem}), which forgets at a cut every write, truncation and directory
 * change that was not fsynced. While an idempotent {@code acks=all} producer and a group-committing consumer run,
 * the test repeatedly kills Payara Micro with SIGKILL at a random instant, cuts the power (alternately dropping
 * everything unsynced, and letting appended files keep a torn part of their unsynced tail) and restarts Hearth on
 * what survived. Every restart must reach readiness; no committed offset may go back; at the end no acknowledged
 * record may be lost, duplicated, reordered or at another offset than acknowledged, and the admin password Hearth
 * generated on its first start must still authenticate.
 *
 * <p>Runs in the {@code faults} profile ({@code @Tag("faults")}): at least {@code hearth.powerloss.cuts} cuts
 * (default {@value #DEFAULT_CUTS}), and more until {@code hearth.powerloss.budget.seconds} have passed (default 0;
 * the profile sets 480). Seed: {@code hearth.powerloss.seed}. Needs Debian's fuse3 and libfuse3-dev (the build
 * compiles the file system only where libfuse3-dev is installed): skipped with the reason without them, failed
 * instead when {@code HEARTH_REQUIRE_SYSTEM_PACKAGES=true}.
 */
@Tag("faults")
class PowerLossIT {

    private static final int DEFAULT_CUTS = 20;
    private static final String TOPIC = "power-idempotent";
    private static final String GROUP = "power-group";
    private static final int PARTITIONS = 3;

    @Test
    void powerCutsAtManyInstantsLoseNoAcknowledgedRecord() throws Exception {
        int minimumCuts = Integer.getInteger("hearth.powerloss.cuts", DEFAULT_CUTS);
        long budgetNanos = TimeUnit.SECONDS.toNanos(Long.getLong("hearth.powerloss.budget.seconds", 0));
        Random random = new Random(Long.getLong("hearth.powerloss.seed", 20261206L));
        Path root = HearthServer.workDir().resolve("power-loss-" + System.nanoTime());
        long started = System.nanoTime();
        try (PowerCutFileSystem fs = PowerCutFileSystem.mount(root);
             // No configured users: Hearth generates the admin's credentials into the data directory, which they
             // must survive (a power cut once left that file empty and the application refused to deploy).
             HearthServer server = new HearthServer(fs.mountPoint(), "power-loss").withoutTestUsers().start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            IdempotentProducerWorkload producer = new IdempotentProducerWorkload(server, TOPIC, PARTITIONS);
            GroupCommitWorkload group = new GroupCommitWorkload(server, TOPIC, GROUP);
            Workloads workloads = new Workloads("power-loss");
            workloads.start("idempotent-producer", producer);
            workloads.start("group-consumer", group);
            int cuts = 0;
            long restartNanos = 0;
            while (cuts < minimumCuts || System.nanoTime() - started < budgetNanos) {
                Thread.sleep(1_000 + random.nextInt(3_000));
                Map<TopicPartition, Long> committedBeforeCut = group.lastCommitted();
                CutMode mode = cuts % 2 == 0 ? CutMode.DROP_ALL : CutMode.TORN;
                server.kill();
                String rolledBack = fs.cutPower(mode);
                long restartStarted = System.nanoTime();
                fs.remount();
                server.start();
                restartNanos += System.nanoTime() - restartStarted;
                cuts++;
                group.assertNotBehind(committedBeforeCut, "power cut " + cuts);
                System.out.printf("PowerLossIT: cut %d (%s) done: %s; %d records acknowledged so far%n", cuts, mode,
                        rolledBack, producer.acknowledgedCount());
            }
            Thread.sleep(3_000);
            producer.stop();
            group.stop();
            workloads.joinAndAssertNoFailure();
            assertTrue(producer.acknowledgedCount() > 0, "the producer made progress");
            producer.verify("PowerLossIT");
            assertAdminPasswordStillWorks(server);
            System.out.printf("PowerLossIT: %d power cuts, %d restarts all ready (mean %.1f s to readiness), in %d s%n",
                    cuts, cuts, restartNanos / 1e9 / cuts, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        }
    }

    /** The generated password and its stored hash survived every cut as a pair. */
    private static void assertAdminPasswordStillWorks(HearthServer server) throws Exception {
        String password = Files.readString(server.dataDir().resolve("initial-admin-password")).strip();
        int status = new RestClient(server.baseUri(), "admin", password).get(RestClient.CLUSTER).status();
        assertEquals(200, status, "the admin password Hearth generated on its first start still authenticates");
    }
}
