package dev.hearth.connector.inbound;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.client.BackendServices;
import dev.hearth.connector.client.GroupFeed;
import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.client.OffsetReset;
import dev.hearth.connector.client.RetryWithBackoff;
import dev.hearth.group.GroupMembershipException;
import dev.hearth.group.TopicPartitionKey;
import dev.hearth.security.Principals;

/**
 * Drives one message-driven bean activation: a member of its consumer group (shared with Kafka consumers
 * and other activations) that reads the partitions assigned to it and delivers their records.
 *
 * <p>Guarantees: records of a partition are delivered in offset order (with {@code ordering=key}, in order
 * per key, keys in parallel); a partition is delivered by one thread at a time and, through the group, by
 * one member at a time; an offset is committed only after its record was handled (delivered, or published
 * to the dead-letter topic after the retries), so a crash redelivers and never skips. A transacted bean with an
 * offset table ({@link OffsetTable}) never sees a record twice: records the table shows as applied are skipped
 * and the group's offset then moves to the table's. On a rebalance all in-flight work finishes and commits before
 * the member rejoins (eager protocol).
 *
 * <p>Threads: this Work holds one WorkManager thread for the activation's life; batches run as further
 * Works, at most {@code maxConcurrency} at once. {@link #release} stops it; {@link #awaitStopped} waits
 * until every batch finished and the member left the group.
 */
final class RecordDispatcher implements Work {

    /** What a delivery comes to when the activation stopped before its records were handled (compared by identity). */
    private static final EndpointInvoker.Outcome STOPPED = EndpointInvoker.Outcome.failed(
            new IllegalStateException("the activation stopped before the records were handled"));

    private static final Logger LOG = Logger.getLogger(RecordDispatcher.class.getName());
    private static final long IDLE_WAIT_MS = 50;
    private static final int MAX_BATCH_BYTES = 1 << 20;
    /** How often a bean whose principal may not read its group looks again, and warns at most. */
    private static final long AUTHORIZATION_RECHECK_MS = 5_000;
    private static final long AUTHORIZATION_WARNING_INTERVAL_MS = 60_000;
    /** The address ACLs see for an in-process consumer. */
    private static final String LOCAL_HOST = "127.0.0.1";

    private final String name;
    private final ActivationSettings settings;
    private final EndpointInvoker invoker;
    private final Supplier<BackendServices> services;
    private final WorkManager workManager;
    private final DeliveryCounters counters;
    private final Semaphore slots;
    private final Set<TopicPartitionKey> inFlight = ConcurrentHashMap.newKeySet();
    private final RetryWithBackoff retries;
    private final Object wakeUp = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    /** When the last HEARTH-0737 warning was logged (ms); rate-limits it. */
    private volatile long lastAuthorizationWarningMs;

    RecordDispatcher(String name, ActivationSettings settings, EndpointInvoker invoker, Supplier<BackendServices> services,
                     WorkManager workManager, DeliveryCounters counters) {
        this.name = name;
        this.settings = settings;
        this.invoker = invoker;
        this.services = services;
        this.workManager = workManager;
        this.counters = counters;
        this.slots = new Semaphore(settings.ordering() == Ordering.KEY ? 1 : settings.maxConcurrency());
        this.retries = new RetryWithBackoff(settings.retries(), settings.retryBackoffMs(), () -> running, this::pause);
    }

    @Override
    public void run() {
        try {
            while (running) {
                BackendServices engine = awaitEngine();
                if (engine == null) {
                    return;
                }
                if (!authorized(engine, AclOperation.READ, ResourceType.GROUP, settings.groupId())) {
                    pause(AUTHORIZATION_RECHECK_MS);
                    continue;
                }
                try {
                    deliverAsMember(engine);
                } catch (GroupMembershipException | HearthConnectionException e) {
                    LOG.log(Level.WARNING, "HEARTH-0720 Activation " + name + " lost its group membership; rejoining", e);
                    pause(1_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            invoker.releaseIdleEndpoints();
            stopped.countDown();
        }
    }

    private void deliverAsMember(BackendServices engine) throws InterruptedException {
        GroupFeed feed = engine.feeds().open(new GroupFeed.Spec(settings.groupId(), "mdb-" + name,
                () -> subscribedTopics(engine), settings.sessionTimeoutMs(), offsetReset(), name));
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(engine.client(), settings.deadLetterTopic());
        Runnable quiesce = this::awaitInFlightUninterruptibly;
        try {
            while (running) {
                Set<TopicPartitionKey> owned = feed.poll(quiesce);
                boolean busy = false;
                for (TopicPartitionKey partition : owned) {
                    if (!inFlight.contains(partition) && slots.tryAcquire()) {
                        Dispatch outcome = dispatch(engine, feed, deadLetters, partition);
                        if (outcome != Dispatch.DELIVERING) {
                            slots.release();
                        }
                        busy |= outcome != Dispatch.IDLE;
                    }
                }
                if (!busy) {
                    synchronized (wakeUp) {
                        wakeUp.wait(IDLE_WAIT_MS);
                    }
                }
            }
        } finally {
            awaitInFlight();
            feed.close();
        }
    }

    /** What one look at a partition came to. */
    private enum Dispatch {
        /** Nothing beyond the position: wait for appends. */
        IDLE,
        /** A batch of records went to the bean. */
        DELIVERING,
        /** Only markers, aborted or compacted-away batches: the position moved past them; look again at once. */
        SKIPPED
    }

    /** Starts a batch for the partition if it has records beyond its position. */
    private Dispatch dispatch(BackendServices engine, GroupFeed feed, DeadLetterPublisher deadLetters,
                              TopicPartitionKey partition) {
        long position = feed.position(partition);
        LogClient.ReadBatch read;
        try {
            read = feed.read(partition, settings.maxPollRecords(), MAX_BATCH_BYTES);
        } catch (HearthConnectionException e) {
            LOG.fine(() -> "Activation " + name + ": reading " + partition + " failed: " + e.getMessage());
            return Dispatch.IDLE;
        }
        List<HearthRecord> records = read.records();
        if (records.isEmpty()) {
            if (read.nextOffset() > position) {
                feed.advance(partition, read.nextOffset());
                return Dispatch.SKIPPED;
            }
            return Dispatch.IDLE;
        }
        inFlight.add(partition);
        Runnable batch = () -> deliverBatch(engine, feed, deadLetters, partition, records);
        try {
            workManager.scheduleWork(new BatchWork(batch));
        } catch (WorkException e) {
            inFlight.remove(partition);
            LOG.log(Level.WARNING, "HEARTH-0722 The WorkManager refused a delivery batch; retrying", e);
            return Dispatch.IDLE;
        }
        return Dispatch.DELIVERING;
    }

    private void deliverBatch(BackendServices engine, GroupFeed feed, DeadLetterPublisher deadLetters,
                              TopicPartitionKey partition, List<HearthRecord> records) {
        try {
            // Records below skipBelow are applied already (the bean's offset table said so): the consumer seeks past them.
            // The first delivery after the assignment may find the table behind: the consumer goes back to it.
            long skipBelow = -1;
            long rewindTo = -1;
            boolean mayRewind = invoker.offsetsInDatabase() && feed.claimFirstDelivery(partition);
            if (invoker.deliversBatches()) {
                EndpointInvoker.Outcome outcome = deliverWithRetries(engine, feed, deadLetters, records, true, mayRewind);
                if (outcome == STOPPED) {
                    return;
                }
                skipBelow = outcome.appliedBelow();
                rewindTo = outcome.rewindTo();
            } else if (settings.ordering() == Ordering.KEY && settings.maxConcurrency() > 1) {
                if (!deliverByKey(engine, feed, deadLetters, records)) {
                    return;
                }
            } else {
                long handledBelow = -1;
                for (HearthRecord record : records) {
                    if (!running) {
                        commitHandledOnStop(engine, feed, partition, handledBelow);
                        return;
                    }
                    if (record.offset() >= skipBelow) {
                        EndpointInvoker.Outcome outcome = deliverWithRetries(engine, feed, deadLetters,
                                List.of(record), false, mayRewind);
                        if (outcome == STOPPED) {
                            commitHandledOnStop(engine, feed, partition, handledBelow);
                            return;
                        }
                        handledBelow = Math.max(record.offset() + 1, outcome.appliedBelow());
                        mayRewind = false;
                        skipBelow = Math.max(skipBelow, outcome.appliedBelow());
                        rewindTo = outcome.rewindTo();
                        if (rewindTo >= 0) {
                            break;
                        }
                    }
                }
            }
            if (rewindTo >= 0) {
                long back = rewindTo;
                LOG.warning(() -> "HEARTH-0726 Activation " + name + ": the offset table of " + partition + " is at "
                        + back + ", behind the group's offset " + records.get(0).offset() + " (the database lost its "
                        + "last commits); delivering again from " + back);
                feed.rewind(partition, back);
                return;
            }
            long next = Math.max(records.get(records.size() - 1).offset() + 1, skipBelow);
            // Transacted deliveries with the XA offset commit have committed already; with the offset table the
            // group's offset follows the table after the fact (a crash before it only costs skipped re-reads).
            if (!xaCommitsOffsets(engine)) {
                if (!feed.commit(partition, next)) {
                    // The partition moved to another member during the batch; it continues from the last commit.
                    LOG.info(() -> "HEARTH-0723 Activation " + name + ": commit of " + partition + " refused; the "
                            + "partition's new owner redelivers from the last committed offset");
                    return;
                }
            }
            feed.advance(partition, next);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "HEARTH-0724 Activation " + name + ": delivery of " + partition + " failed; "
                    + "it restarts from the last committed offset", e);
            feed.forget(partition);
        } finally {
            inFlight.remove(partition);
            slots.release();
            synchronized (wakeUp) {
                wakeUp.notifyAll();
            }
        }
    }

    /**
     * The activation stopped in the middle of a batch of single-record deliveries: commits the records it handled, so
     * that the partition's next owner does not deliver them again (it continues from {@code handledBelow}).
     */
    private void commitHandledOnStop(BackendServices engine, GroupFeed feed, TopicPartitionKey partition,
                                     long handledBelow) {
        if (handledBelow >= 0 && !xaCommitsOffsets(engine) && feed.commit(partition, handledBelow)) {
            feed.advance(partition, handledBelow);
        }
    }

    /**
     * Lanes by key hash: each lane in offset order, lanes in parallel; returns when all lanes are done.
     *
     * @return false if the activation stopped before every record was handled (nothing may be committed)
     */
    private boolean deliverByKey(BackendServices engine, GroupFeed feed, DeadLetterPublisher deadLetters,
                                 List<HearthRecord> records) {
        java.util.concurrent.atomic.AtomicBoolean completed = new java.util.concurrent.atomic.AtomicBoolean(true);
        int laneCount = settings.maxConcurrency();
        List<List<HearthRecord>> lanes = new ArrayList<>();
        for (int i = 0; i < laneCount; i++) {
            lanes.add(new ArrayList<>());
        }
        for (HearthRecord record : records) {
            int lane = record.key() == null ? 0 : Math.floorMod(java.util.Arrays.hashCode(record.key()), laneCount);
            lanes.get(lane).add(record);
        }
        CountDownLatch done = new CountDownLatch(laneCount);
        for (List<HearthRecord> lane : lanes) {
            Work laneWork = new BatchWork(() -> {
                try {
                    for (HearthRecord record : lane) {
                        if (!running
                                || deliverWithRetries(engine, feed, deadLetters, List.of(record), false, false) == STOPPED) {
                            completed.set(false);
                            break;
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            try {
                workManager.scheduleWork(laneWork);
            } catch (WorkException e) {
                laneWork.run();
            }
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while delivering by key", e);
        }
        return completed.get();
    }

    /**
     * Delivers one record ({@code batch} false) or a batch to a {@code HearthBatchListener}, retrying the whole of it
     * with exponential backoff; after the retries each record is dead-lettered, so one poison record never stalls its
     * partition.
     *
     * @return the last attempt's outcome ({@link EndpointInvoker.Outcome#DELIVERED} once dead-lettered), or
     *         {@link #STOPPED} when the activation stopped before the records were handled: the caller then commits
     *         nothing, so they are delivered again from the last committed offset
     */
    private EndpointInvoker.Outcome deliverWithRetries(BackendServices engine, GroupFeed feed,
                                                       DeadLetterPublisher deadLetters,
                                                       List<HearthRecord> records, boolean batch, boolean mayRewind) {
        HearthRecord last = records.get(records.size() - 1);
        DeliveryCounters.Counters counted = counters.of(settings.groupId(), last.topic());
        return retries.run(() -> {
            EndpointInvoker.Outcome outcome = batch
                    ? invoker.deliverBatch(records, engine.xaOffsets(), settings.groupId(), mayRewind)
                    : invoker.deliver(last, engine.xaOffsets(), settings.groupId(), mayRewind);
            if (outcome.failure() == null) {
                counted.deliveries.add(outcome.rewindTo() >= 0 ? 0 : outcome.appliedBelow() < 0 ? records.size()
                        : records.stream().filter(record -> record.offset() >= outcome.appliedBelow()).count());
            } else {
                counted.failures.increment();
            }
            return outcome;
        }, outcome -> outcome.failure() != null,
                outcome -> deadLetter(feed, deadLetters, records, batch, outcome.failure(), counted),
                STOPPED);
    }

    /** After the last retry: every record to the dead-letter topic, and (transacted) the offset past them committed. */
    private EndpointInvoker.Outcome deadLetter(GroupFeed feed, DeadLetterPublisher deadLetters,
                                               List<HearthRecord> records, boolean batch, Throwable failure,
                                               DeliveryCounters.Counters counted) {
        HearthRecord last = records.get(records.size() - 1);
        if (batch) {
            LOG.warning(() -> "HEARTH-0727 Activation " + name + ": a batch of " + records.size() + " record(s) of "
                    + last.topic() + "-" + last.partition() + " up to offset " + last.offset() + " failed "
                    + (settings.retries() + 1) + " time(s); published to " + deadLetters.topicFor(last.topic())
                    + ": " + failure);
        } else {
            LOG.warning(() -> "HEARTH-0725 Activation " + name + ": " + last.topic() + "-" + last.partition()
                    + "@" + last.offset() + " failed " + (settings.retries() + 1) + " time(s); published to "
                    + deadLetters.topicFor(last.topic()) + ": " + failure);
        }
        for (HearthRecord record : records) {
            deadLetters.publish(record, failure);
        }
        counted.deadLettered.add(records.size());
        if (invoker.transacted()) {
            feed.commitHandled(new TopicPartitionKey(last.topic(), last.partition()), last.offset() + 1);
        }
        return EndpointInvoker.Outcome.DELIVERED;
    }

    /** Whether a transacted delivery commits its offset itself, as an XA branch (no offset table, a backend with one). */
    private boolean xaCommitsOffsets(BackendServices engine) {
        return invoker.transacted() && !invoker.offsetsInDatabase() && engine.xaOffsets() != null;
    }

    private OffsetReset offsetReset() {
        return switch (settings.startFrom()) {
            case EARLIEST -> OffsetReset.EARLIEST;
            case LATEST -> OffsetReset.LATEST;
            case TIMESTAMP -> OffsetReset.toTimestamp(settings.startTimestamp());
        };
    }

    /** The topics to consume: those named or matching, of which the bean's principal may read. */
    private Set<String> subscribedTopics(BackendServices engine) {
        Set<String> topics = new LinkedHashSet<>();
        if (settings.topicPattern() == null) {
            for (String topic : settings.topics()) {
                if (authorized(engine, AclOperation.READ, ResourceType.TOPIC, topic)) {
                    topics.add(topic);
                }
            }
        } else {
            for (String topic : engine.client().topicNames()) {
                if (!topic.startsWith("__") && settings.topicPattern().matcher(topic).matches()
                        && engine.security().authorize(settings.principal(), LOCAL_HOST, AclOperation.READ,
                                ResourceType.TOPIC, topic)) {
                    topics.add(topic);
                }
            }
        }
        return topics;
    }

    /** Whether the bean's principal may do this, as a Kafka consumer would need to; warns (rate-limited) if not. */
    private boolean authorized(BackendServices engine, AclOperation operation, ResourceType type, String resourceName) {
        if (engine.security().authorize(settings.principal(), LOCAL_HOST, operation, type, resourceName)) {
            return true;
        }
        long now = System.currentTimeMillis();
        if (now - lastAuthorizationWarningMs >= AUTHORIZATION_WARNING_INTERVAL_MS) {
            lastAuthorizationWarningMs = now;
            LOG.warning(() -> "HEARTH-0737 Activation " + name + " acts as " + Principals.text(settings.principal())
                    + ", which may not " + operation + " " + type + " " + resourceName + ": "
                    + (type == ResourceType.GROUP ? "nothing is delivered" : "its records are not delivered")
                    + " until an ACL allows it (activation property 'principal')");
        }
        return false;
    }

    private BackendServices awaitEngine() throws InterruptedException {
        while (running) {
            BackendServices engine = services.get();
            if (engine != null) {
                return engine;
            }
            pause(200);
        }
        return null;
    }

    /** {@link #awaitInFlight} for a feed's rebalance; an interrupt ends the wait and is kept for the driving loop. */
    private void awaitInFlightUninterruptibly() {
        try {
            awaitInFlight();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitInFlight() throws InterruptedException {
        while (!inFlight.isEmpty()) {
            synchronized (wakeUp) {
                wakeUp.wait(IDLE_WAIT_MS);
            }
        }
    }

    private void pause(long millis) {
        synchronized (wakeUp) {
            try {
                wakeUp.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void release() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Waits until the activation stopped delivering and left its group. */
    boolean awaitStopped(long timeoutMs) throws InterruptedException {
        return stopped.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** A batch (or lane) of deliveries as container Work. */
    private record BatchWork(Runnable task) implements Work {
        @Override
        public void run() {
            task.run();
        }

        @Override
        public void release() {
            // Batches end by themselves; the dispatcher's running flag makes them stop early.
        }
    }
}
