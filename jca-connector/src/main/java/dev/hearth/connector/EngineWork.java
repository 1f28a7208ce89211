package dev.hearth.connector;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.resource.spi.work.Work;

import dev.hearth.connector.api.BrokerStatus;
import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.HearthException;
import dev.hearth.engine.LogEngine;

/**
 * The engine's life on a container thread: opens (and so recovers) the engine, then loops over its
 * background duties until released, then closes it. Holding one WorkManager thread for good is intended:
 * the adapter owns no threads of its own.
 *
 * <p>Duties per tick: flush when the periodic flush interval has passed, checkpoint recovery points every
 * {@value #CHECKPOINT_INTERVAL_MS} ms, retention every retentionCheckIntervalMs.
 *
 * <p>Thread-safety: state fields are volatile; {@link #shutdown} may be called from any thread and waits
 * for the close.
 */
final class EngineWork implements Work {

    private static final Logger LOG = Logger.getLogger(EngineWork.class.getName());
    private static final long CHECKPOINT_INTERVAL_MS = 10_000;
    private static final long MAX_TICK_MS = 1_000;
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 60;

    private final EngineConfig config;
    private final Object wakeUp = new Object();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile LogClient client;
    private volatile BrokerStatus status = new BrokerStatus(BrokerStatus.State.STARTING, "recovering the log", 0);

    EngineWork(EngineConfig config) {
        this.config = config;
    }

    EngineConfig config() {
        return config;
    }

    @Override
    public void run() {
        LogEngine engine = null;
        try {
            engine = LogEngine.open(config);
            client = new LogClient(engine);
            status = new BrokerStatus(BrokerStatus.State.RUNNING, "serving " + engine.listTopics().size() + " topic(s)",
                    engine.offlinePartitions().size());
            maintain(engine);
        } catch (RuntimeException e) {
            status = new BrokerStatus(BrokerStatus.State.FAILED, e.getMessage(), 0);
            LOG.log(Level.SEVERE, "HEARTH-0210 The Hearth log engine failed in " + config.dataDir(), e);
        } finally {
            client = null;
            if (engine != null) {
                engine.close();
            }
            if (status.state() != BrokerStatus.State.FAILED) {
                status = new BrokerStatus(BrokerStatus.State.STOPPED, "closed cleanly", 0);
            }
            finished.countDown();
        }
    }

    private void maintain(LogEngine engine) {
        long flushIntervalMs = config.flushPolicy().intervalMs();
        long tickMs = flushIntervalMs > 0 ? Math.min(flushIntervalMs, MAX_TICK_MS) : MAX_TICK_MS;
        long now = System.currentTimeMillis();
        long nextFlush = now + flushIntervalMs;
        long nextCheckpoint = now + CHECKPOINT_INTERVAL_MS;
        long nextRetention = now + config.retentionCheckIntervalMs();
        while (running) {
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(tickMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            now = System.currentTimeMillis();
            try {
                if (flushIntervalMs > 0 && now >= nextFlush) {
                    nextFlush = now + flushIntervalMs;
                    engine.flush();
                }
                if (now >= nextCheckpoint) {
                    nextCheckpoint = now + CHECKPOINT_INTERVAL_MS;
                    engine.checkpointRecoveryPoints();
                }
                if (now >= nextRetention) {
                    nextRetention = now + config.retentionCheckIntervalMs();
                    engine.runRetention();
                }
            } catch (HearthException e) {
                // A storage failure of one duty must not stop the others or the engine; it is retried next time.
                LOG.log(Level.WARNING, "HEARTH-0212 A background duty of the Hearth engine failed", e);
            }
            int offline = engine.offlinePartitions().size();
            if (offline != status.offlinePartitions()) {
                status = new BrokerStatus(BrokerStatus.State.RUNNING, offline + " partition(s) offline", offline);
            }
        }
    }

    LogClient client() {
        LogClient current = client;
        if (current == null) {
            BrokerStatus now = status;
            throw LogClient.notAvailable("The Hearth log engine is " + now.state() + ": " + now.detail());
        }
        return current;
    }

    BrokerStatus status() {
        return status;
    }

    /** Ends the loop and waits until the engine is closed. Idempotent. */
    void shutdown() {
        release();
        try {
            if (!finished.await(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.severe("HEARTH-0211 The Hearth engine did not close within " + SHUTDOWN_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void release() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }
}
