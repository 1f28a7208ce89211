package dev.hearth.connector.inbound;

import static dev.hearth.connector.inbound.DeliveryFakes.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.connector.client.BackendServices;
import dev.hearth.connector.client.EngineServices;
import dev.hearth.connector.client.RunningEngine;
import dev.hearth.connector.api.DeadLetters;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.inbound.DeliveryFakes.FakeEndpointFactory;
import dev.hearth.connector.inbound.DeliveryFakes.FakeWorkManager;
import dev.hearth.group.CommittedOffset;
import dev.hearth.group.GroupDescription;
import dev.hearth.group.TopicPartitionKey;

/**
 * Message-driven-bean delivery without an application server: {@link Activations} and {@link RecordDispatcher}
 * against a real engine, with the container played by {@link DeliveryFakes}. Covers the failure paths the
 * Payara-based MessageDrivenBeanIT cannot reach quickly: before/after delivery pairing on exceptions, retries then the
 * dead letter, a commit refused after the member lost the partition, idempotent deactivation and the release of every
 * endpoint on every path.
 */
class RecordDispatcherTest {

    private static final String TOPIC = "orders";
    private static final String GROUP = "auditors";
    private static final TopicPartitionKey PARTITION = new TopicPartitionKey(TOPIC, 0);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private RunningEngine running;
    private EngineServices services;
    private FakeWorkManager workManager;
    private Activations activations;

    @BeforeEach
    void start() {
        running = new RunningEngine(dataDir);
        services = running.services();
        services.engine().createTopic(TOPIC, 1, Map.of());
        workManager = new FakeWorkManager();
        activations = new Activations(workManager);
    }

    @AfterEach
    void stop() throws InterruptedException {
        activations.deactivateAll();
        workManager.shutdown();
        running.close();
    }

    @Test
    void aPoisonRecordIsRetriedThenDeadLetteredAndEveryBracketIsPaired() throws Exception {
        FakeEndpointFactory bean = new FakeEndpointFactory(false, record -> {
            if ("poison".equals(text(record.value()))) {
                throw new IllegalArgumentException("cannot audit poison");
            }
        });
        send("a", "poison", "b");
        activate(bean, spec(2));

        await().atMost(WAIT).until(() -> committedOffset() == 3);
        assertEquals(List.of("a", "poison", "poison", "poison", "b"), bean.calledValues(),
                "the poison record is tried retries + 1 times, in order, and the partition goes on after it");
        List<HearthRecord> dead = services.client().read(DeadLetters.topicFor(TOPIC), 0, 0, 10, 1 << 20);
        assertEquals(1, dead.size(), "one dead letter");
        assertEquals("poison", text(dead.get(0).value()), "the dead letter keeps the value");
        assertEquals(TOPIC, text(dead.get(0).headers().get(DeadLetters.ORIGINAL_TOPIC)), "source topic header");
        assertEquals("1", text(dead.get(0).headers().get(DeadLetters.ORIGINAL_OFFSET)), "source offset header");
        assertEquals(IllegalArgumentException.class.getName(),
                text(dead.get(0).headers().get(DeadLetters.ERROR_CLASS)), "error class header");
        assertEquals(new dev.hearth.connector.api.DeliveryStats(GROUP, TOPIC, 2, 3, 1),
                activations.counters().snapshot().get(0), "2 deliveries, 3 failures, 1 dead letter");

        activations.deactivate(bean);
        assertBracketsPairedAndEndpointsReleased(bean);
    }

    @Test
    void aFailedBeforeDeliveryIsNotFollowedByAfterDeliveryAndTheRecordIsRetried() throws Exception {
        FakeEndpointFactory bean = new FakeEndpointFactory(false, record -> { });
        bean.failingBeforeDeliveries.set(2);
        send("a", "b");
        activate(bean, spec(3));

        await().atMost(WAIT).until(() -> committedOffset() == 2);
        assertEquals(List.of("a", "b"), bean.calledValues(), "each record reaches the bean once, after the retries");
        activations.deactivate(bean);
        assertBracketsPairedAndEndpointsReleased(bean);
        assertTrue(bean.created.get() >= 3, "an endpoint whose beforeDelivery failed is released, not reused: "
                + bean.created.get() + " created");
    }

    @Test
    void transactedDeliveryCommitsTheOffsetInTheTransactionAndRollsBackAFailure() throws Exception {
        List<String> failedOnce = new ArrayList<>();
        FakeEndpointFactory bean = new FakeEndpointFactory(true, record -> {
            String value = text(record.value());
            synchronized (failedOnce) {
                if (value.equals("flaky") && !failedOnce.contains(value)) {
                    failedOnce.add(value);
                    throw new IllegalStateException("the database is busy");
                }
            }
        });
        send("a", "flaky", "b");
        activate(bean, spec(3));

        await().atMost(WAIT).until(() -> committedOffset() == 3);
        assertEquals(List.of("a", "flaky", "flaky", "b"), bean.calledValues(), "the rolled-back record is delivered again");
        assertEquals(1, bean.rollbacks.get(), "the failed delivery's transaction rolled back");
        assertEquals(3, bean.commits.get(), "each record's transaction committed its offset");
        activations.deactivate(bean);
        assertBracketsPairedAndEndpointsReleased(bean);
        assertEquals(4, bean.created.get(), "a transacted delivery gets an endpoint of its own each time");
    }

    @Test
    void aCommitRefusedAfterTheMemberLostThePartitionRedeliversFromTheLastCommit() throws Exception {
        CountDownLatch inFirstDelivery = new CountDownLatch(1);
        CountDownLatch memberRemoved = new CountDownLatch(1);
        FakeEndpointFactory bean = new FakeEndpointFactory(false, record -> {
            if (record.offset() == 0 && inFirstDelivery.getCount() > 0) {
                inFirstDelivery.countDown();
                try {
                    memberRemoved.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        send("a", "b");
        activate(bean, spec(0));
        assertTrue(inFirstDelivery.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the first delivery started");

        // The coordinator drops the member while its delivery runs (as after a missed session): its commit is refused.
        GroupDescription group = services.groups().describe(GROUP);
        assertEquals(1, group.members().size(), "one member: " + group);
        services.groups().leave(GROUP, List.of(group.members().get(0).memberId()));
        memberRemoved.countDown();

        await().atMost(WAIT).until(() -> committedOffset() == 2);
        List<String> calls = bean.calledValues();
        // The refused commit makes the member rejoin at once; the batch comes again from the last commit, in order,
        // once (a dispatch that raced with the refusal may add one more round), not until the next heartbeat.
        assertTrue(calls.size() >= 4 && calls.size() <= 6 && calls.size() % 2 == 0,
                "the refused batch is delivered again, and not over and over: " + calls);
        for (int i = 0; i < calls.size(); i += 2) {
            assertEquals(List.of("a", "b"), calls.subList(i, i + 2), "each redelivery starts at the last committed "
                    + "offset and keeps the partition's order (call " + i + ")");
        }
        activations.deactivate(bean);
        assertBracketsPairedAndEndpointsReleased(bean);
    }

    @Test
    void deactivationIsIdempotentStopsARetryingDeliveryAndLeavesTheGroup() throws Exception {
        FakeEndpointFactory bean = activateFailingForeverWithAnHourOfBackoff();

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> activations.deactivate(bean),
                "deactivation wakes a delivery that waits out its backoff");
        activations.deactivate(bean);
        activations.deactivateAll();

        await().atMost(WAIT).until(() -> workManager.running.get() == 0);
        assertEquals(List.of("a"), bean.calledValues(), "no attempt after the deactivation");
        assertTrue(services.groups().describe(GROUP).members().isEmpty(), "the member left the group");
        assertBracketsPairedAndEndpointsReleased(bean);
    }

    /**
     * An activation stopped while a record waits out its retry backoff commits nothing past it: the record is
     * delivered again (or dead-lettered) after the next activation, never silently skipped.
     */
    @Test
    void aRecordStillFailingWhenTheActivationStopsIsNotCommitted() throws Exception {
        FakeEndpointFactory bean = activateFailingForeverWithAnHourOfBackoff();
        activations.deactivate(bean);
        assertEquals(-1, committedOffset(), "a record that was not handled is not committed");
    }

    @Test
    void aWorkManagerThatRefusesABatchDelaysDeliveryWithoutLosingIt() throws Exception {
        FakeEndpointFactory bean = new FakeEndpointFactory(false, record -> { });
        send("a", "b");
        activate(bean, spec(0));
        workManager.refusals.set(2);

        await().atMost(WAIT).until(() -> committedOffset() == 2);
        assertEquals(List.of("a", "b"), bean.calledValues(), "each record once");
        activations.deactivate(bean);
        assertBracketsPairedAndEndpointsReleased(bean);
    }

    /** A bean that always fails, on one record, activated with an hour of backoff; returns after the first failure. */
    private FakeEndpointFactory activateFailingForeverWithAnHourOfBackoff() throws Exception {
        CountDownLatch failedOnce = new CountDownLatch(1);
        FakeEndpointFactory bean = new FakeEndpointFactory(false, record -> {
            failedOnce.countDown();
            throw new IllegalStateException("always");
        });
        send("a");
        HearthActivationSpec spec = spec(1_000);
        spec.setRetryBackoffMs(3_600_000L);
        activate(bean, spec);
        assertTrue(failedOnce.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the first attempt failed");
        return bean;
    }

    private void assertBracketsPairedAndEndpointsReleased(FakeEndpointFactory bean) {
        assertEquals(bean.beforeDeliveries.get(), bean.afterDeliveries.get(),
                "every successful beforeDelivery is followed by exactly one afterDelivery");
        assertEquals(0, bean.unbracketedCalls.get(), "the bean is only called between beforeDelivery and afterDelivery");
        assertEquals(bean.created.get(), bean.released.get(), "every endpoint is released once deactivated");
    }

    @Test
    void aBeanActingAsAPrincipalGetsOnlyWhatItsAclsAllow() throws Exception {
        FakeEndpointFactory bean = new FakeEndpointFactory(false, record -> { });
        send("a", "b");
        HearthActivationSpec spec = spec(0);
        spec.setPrincipal("User:billing");
        activate(bean, spec);
        Thread.sleep(1_500);
        assertEquals(List.of(), bean.calledValues(), "without Read on its group and topic nothing is delivered");

        services.security().acls().create(List.of(
                readAcl(org.apache.kafka.common.resource.ResourceType.GROUP, GROUP),
                readAcl(org.apache.kafka.common.resource.ResourceType.TOPIC, TOPIC)));
        await().atMost(WAIT).until(() -> committedOffset() == 2);
        assertEquals(List.of("a", "b"), bean.calledValues(), "once allowed, every record arrives once");
    }

    private static org.apache.kafka.common.acl.AclBinding readAcl(org.apache.kafka.common.resource.ResourceType type,
                                                                 String name) {
        return new org.apache.kafka.common.acl.AclBinding(
                new org.apache.kafka.common.resource.ResourcePattern(type, name,
                        org.apache.kafka.common.resource.PatternType.LITERAL),
                new org.apache.kafka.common.acl.AccessControlEntry("User:billing", "*",
                        org.apache.kafka.common.acl.AclOperation.READ,
                        org.apache.kafka.common.acl.AclPermissionType.ALLOW));
    }

    private HearthActivationSpec spec(int retries) {
        HearthActivationSpec spec = new HearthActivationSpec();
        spec.setTopics(TOPIC);
        spec.setGroupId(GROUP);
        spec.setRetries(retries);
        spec.setRetryBackoffMs(1L);
        spec.setSessionTimeoutMs(6_000);
        return spec;
    }

    private void activate(FakeEndpointFactory bean, HearthActivationSpec spec) throws Exception {
        BackendServices backend = BackendServices.of(services);
        activations.activate(bean, spec, () -> backend);
    }

    private void send(String... values) {
        List<OutgoingRecord> records = new ArrayList<>();
        for (String value : values) {
            records.add(new OutgoingRecord(0, null, value.getBytes(StandardCharsets.UTF_8), Map.of(), null));
        }
        services.client().sendBatch(TOPIC, records);
    }

    /** The group's committed offset of the partition; -1 without one. */
    private long committedOffset() {
        CommittedOffset offset = services.groups().fetchOffsets(GROUP, List.of(PARTITION)).get(PARTITION);
        return offset == null ? -1 : offset.offset();
    }
}
