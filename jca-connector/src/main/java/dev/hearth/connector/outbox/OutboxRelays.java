package dev.hearth.connector.outbox;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Runs the relays of every shard of one outbox: one long-running task per shard on the given executor (inside the
 * adapter, its WorkManager), each of which takes its shard's lease when it is free, publishes with an
 * {@link OutboxRelay} while it holds it, and otherwise waits for it. Started by the adapter, outside any transaction.
 *
 * <p>A task that fails (database or cluster unavailable, a record the cluster refuses) closes its relay, waits
 * (100 ms doubling to 10 s) and starts a new relay, which re-reads the progress from Kafka; the first failure of a
 * run is logged as HEARTH-0754, the recovery as HEARTH-0755. A task whose shard is leased by another instance tries
 * again every half lease; one fenced by, or whose lease was taken by, another instance (HEARTH-0756) waits a lease
 * first. An idle relay looks for rows every {@link OutboxConfig#pollIntervalMs()}, or at once after {@link #wakeUp};
 * wake-ups do not shorten the other waits, so frequent commits do not make waiting instances hammer the lease table.
 *
 * <p>Threads: one executor thread per shard for as long as the relays run, plus kafka-clients' own network thread
 * per producer (kafka-clients starts it; it ends with the producer).
 *
 * <p>Thread-safety: {@link #wakeUp}, {@link #wakeUpAfterCommit} and {@link #close} may be called from any thread; a
 * shard's relay is confined to its task's thread.
 */
public final class OutboxRelays implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelays.class.getName());
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 10_000;
    /** How long {@link #close} waits for the tasks to end. */
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final List<ShardTask> tasks = new ArrayList<>();
    private final CountDownLatch ended;
    /** Counted down by {@link #close}: ends the waits for a lease or after a failure, which wake-ups do not. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;

    private OutboxRelays(DataSource dataSource, OutboxConfig config) {
        this.dataSource = dataSource;
        this.config = config;
        this.ended = new CountDownLatch(config.shards());
    }

    /**
     * Creates the outbox's tables where missing (on this thread, which must not be in a JTA transaction), then
     * starts one task per shard on {@code executor}, each of which holds a thread until {@link #close}.
     *
     * @throws SQLException if the tables cannot be created; nothing is started then
     */
    public static OutboxRelays start(DataSource dataSource, OutboxConfig config, Executor executor)
            throws SQLException {
        OutboxTables.create(dataSource, config.shards());
        OutboxRelays relays = new OutboxRelays(dataSource, config);
        for (int shard = 0; shard < config.shards(); shard++) {
            relays.tasks.add(relays.new ShardTask(shard));
        }
        int scheduled = 0;
        try {
            for (ShardTask task : relays.tasks) {
                executor.execute(task);
                scheduled++;
            }
        } catch (RuntimeException e) {
            for (int i = scheduled; i < relays.tasks.size(); i++) {
                relays.ended.countDown();
            }
            relays.close();
            throw e;
        }
        LOG.info(() -> "HEARTH-0750 Outbox " + config.name() + " relays " + config.shards() + " shard(s) to the "
                + "cluster as instance " + config.instanceId() + ", progress in " + config.progressTopic());
        return relays;
    }

    /** Makes idle relays look for new rows now (for instance after a transaction that appended committed). */
    public void wakeUp() {
        for (ShardTask task : tasks) {
            task.wake.release();
        }
    }

    /**
     * A synchronization that wakes the relays up once the transaction it is registered with committed, so that its
     * records are published without waiting for the next poll (register it with the transaction that appended).
     */
    public Synchronization wakeUpAfterCommit() {
        return new Synchronization() {
            @Override
            public void beforeCompletion() {
                // The records are written by then; nothing to flush.
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    wakeUp();
                }
            }
        };
    }

    /**
     * Stops every relay: open transactions are abandoned (the next relay aborts them; their rows stay in the table)
     * and leases released. Returns once the tasks ended, or after 10 s (HEARTH-0757). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        for (ShardTask task : tasks) {
            task.wake.release();
            OutboxRelay relay = task.relay;
            if (relay != null) {
                relay.closeAbruptly();
            }
        }
        try {
            if (!ended.await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "HEARTH-0757 " + ended.getCount() + " relay(s) of outbox " + config.name()
                        + " did not stop within " + CLOSE_TIMEOUT_MS + " ms; they stop at their next step");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop of one shard; runs on one executor thread until {@link #close}. */
    private final class ShardTask implements Runnable {
        private final int shard;
        /** Released to end an idle wait early. */
        private final Semaphore wake = new Semaphore(0);
        /** The relay in use, for {@link #close} to interrupt its blocking calls. */
        private volatile OutboxRelay relay;
        /** Failures since the last successful start; 0 when healthy. */
        private int failures;
        /** Set when this task's thread was interrupted: the task ends, the other shards go on. */
        private boolean interrupted;

        ShardTask(int shard) {
            this.shard = shard;
        }

        @Override
        public void run() {
            try {
                while (!closed && !interrupted) {
                    runOneRelay();
                }
            } finally {
                ended.countDown();
            }
        }

        private void runOneRelay() {
            OutboxRelay current = new OutboxRelay(dataSource, config, shard);
            relay = current;
            long waitMs = 0;
            try {
                if (closed) {
                    return;
                }
                current.start();
                if (failures > 0) {
                    int failed = failures;
                    LOG.info(() -> "HEARTH-0755 The relay of outbox " + config.name() + " shard " + shard
                            + " runs again after " + failed + " failed attempt(s)");
                    failures = 0;
                }
                while (!closed && !interrupted) {
                    if (current.publishNextBatch() == 0) {
                        awaitWake(config.pollIntervalMs());
                    }
                }
            } catch (OutboxLeaseException e) {
                waitMs = config.leaseMs() / 2;
                if (current.nextSeq() >= 0) {
                    LOG.info(() -> "HEARTH-0756 " + e.getMessage() + "; this instance stops relaying it");
                }
            } catch (ProducerFencedException e) {
                waitMs = config.leaseMs();
                LOG.info(() -> "HEARTH-0756 The relay of outbox " + config.name() + " shard " + shard
                        + " was fenced by a newer relay of the shard; this instance stops relaying it");
            } catch (SQLException | KafkaException | IllegalStateException e) {
                if (!closed) {
                    failures++;
                    waitMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(failures - 1, 10));
                    Level level = failures == 1 ? Level.WARNING : Level.FINE;
                    LOG.log(level, "HEARTH-0754 The relay of outbox " + config.name() + " shard " + shard
                            + " failed and restarts from the progress in Kafka (attempt " + failures + ")", e);
                }
            } finally {
                relay = null;
                current.close();
            }
            if (waitMs > 0) {
                awaitClose(waitMs);
            }
        }

        /** An idle relay's wait: ends early on {@link #wakeUp} or {@link #close}. */
        private void awaitWake(long timeoutMs) {
            try {
                if (wake.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                onInterrupt();
            }
        }

        /** The wait for a lease or after a failure: ends early only on {@link #close}. */
        private void awaitClose(long timeoutMs) {
            try {
                closing.await(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                onInterrupt();
            }
        }

        private void onInterrupt() {
            Thread.currentThread().interrupt();
            interrupted = true;
            if (!closed) {
                LOG.warning(() -> "HEARTH-0758 The relay task of outbox " + config.name() + " shard " + shard
                        + " was interrupted and ends; this instance publishes the shard no more until restarted");
            }
        }
    }
}
