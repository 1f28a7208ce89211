package dev.hearth.kafka;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kafka's request-handler threads ({@code num.io.threads}): every request runs here, appends and their fsync,
 * reads, topic creation and group work included, so that the network threads only read, decode, encode and
 * write, and a slow disk or a large CreateTopics never stalls another connection's socket.
 *
 * <p>Two kinds of task share one queue. A <em>request</em> ({@link #submitRequest}) is submitted by a network
 * thread and takes one of {@code queued.max.requests} slots until a handler thread picks it up; when every slot
 * is taken the submitting network thread blocks, as Kafka's do, which stops it reading and so pushes back on
 * every client it serves. A <em>continuation</em> ({@link #execute}) is work that completes a request already
 * admitted (a parked fetch woken by an append or by its time-out); it takes no slot and never blocks, since it
 * is submitted by handler threads themselves, which must not wait for their own queue. Continuations are
 * bounded by the requests in progress (at most one per connection).
 *
 * <p>The threads are long-running tasks of the caller's {@link Executor} (JCA Work on the container's
 * WorkManager inside the adapter). Thread-safety: every method may be called from any thread; {@link #close} is
 * idempotent and waits (a few seconds at most) for the handler threads to finish the task they run.
 */
final class RequestHandlerPool implements Executor, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RequestHandlerPool.class.getName());
    private static final Runnable STOP = () -> { };
    private static final long CLOSE_WAIT_MS = 5_000;

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    /** Free slots of queued.max.requests: requests submitted and not yet taken by a handler thread. */
    private final Semaphore requestSlots;
    private final int threads;
    private final CountDownLatch stopped;
    private volatile boolean closed;

    private RequestHandlerPool(int threads, int queuedMaxRequests) {
        this.threads = threads;
        this.requestSlots = new Semaphore(queuedMaxRequests);
        this.stopped = new CountDownLatch(threads);
    }

    /** Starts {@code threads} handler threads on {@code executor}. */
    static RequestHandlerPool start(int threads, int queuedMaxRequests, Executor executor) {
        RequestHandlerPool pool = new RequestHandlerPool(threads, queuedMaxRequests);
        for (int i = 0; i < threads; i++) {
            try {
                executor.execute(pool::runHandler);
            } catch (RejectedExecutionException e) {
                pool.close();
                throw e;
            }
        }
        return pool;
    }

    /**
     * Queues a request, blocking while {@code queued.max.requests} requests wait for a handler thread.
     *
     * @return false if the pool is closed and the request was not queued
     */
    boolean submitRequest(Runnable request) throws InterruptedException {
        while (!closed) {
            if (requestSlots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                queue.add(() -> {
                    requestSlots.release();
                    request.run();
                });
                return true;
            }
        }
        return false;
    }

    /** Queues a continuation of an admitted request; never blocks. */
    @Override
    public void execute(Runnable continuation) {
        if (closed) {
            throw new RejectedExecutionException("The Kafka request handlers are stopped");
        }
        queue.add(continuation);
    }

    /** Requests waiting for a handler thread (for tests and metrics). */
    int queuedRequests() {
        return queue.size();
    }

    private void runHandler() {
        try {
            while (true) {
                Runnable task = queue.take();
                if (task == STOP) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // Request tasks turn failures into error responses; this is a defect, not a client's doing.
                    LOG.log(Level.SEVERE, "HEARTH-0404 A Kafka request handler task failed", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (int i = 0; i < threads; i++) {
            queue.add(STOP);
        }
        try {
            if (!stopped.await(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "HEARTH-0405 Kafka request handler threads still busy " + CLOSE_WAIT_MS
                        + " ms after stop; leaving them to finish their current request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
