package dev.hearth.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a flush at a fixed rate on one daemon thread, standing in for the scheduler that drives
 * {@code LogEngine.flush()} in production (the engine starts no threads of its own).
 *
 * <p>A failed flush stops the schedule and is rethrown by {@link #close}, so the trial fails at tear-down
 * instead of reporting figures for bytes that never reached the disk.
 *
 * <p>Thread-safety: {@link #close} may be called from any thread, once.
 */
final class BackgroundFlusher implements AutoCloseable {

    /** A flush, such as {@code engine::flush} or {@code () -> channel.force(true)}. */
    @FunctionalInterface
    interface Flush {
        void run() throws Exception;
    }

    /** No background flush, for modes that force every batch themselves. */
    static final BackgroundFlusher NONE = new BackgroundFlusher(null);

    private final ScheduledExecutorService executor;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private BackgroundFlusher(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static BackgroundFlusher every(long intervalMs, String threadName, Flush flush) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        BackgroundFlusher flusher = new BackgroundFlusher(executor);
        executor.scheduleAtFixedRate(() -> {
            try {
                flush.run();
            } catch (Exception e) {
                flusher.failure.compareAndSet(null, e);
                throw new IllegalStateException("background flush failed", e);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return flusher;
    }

    @Override
    public void close() throws Exception {
        if (executor == null) {
            return;
        }
        // shutdown, not shutdownNow: interrupting a thread inside FileChannel.force closes the channel.
        executor.shutdown();
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("background flush did not stop within 30 s");
        }
        Exception failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }
}
