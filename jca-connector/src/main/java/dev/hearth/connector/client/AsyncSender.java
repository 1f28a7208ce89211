package dev.hearth.connector.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.OutgoingRecord;
import dev.hearth.connector.api.ProduceReceipt;

/**
 * Appends for {@code sendAsync}: sends wait in a queue of at most {@value #MAX_PENDING_SENDS}, and at most
 * {@value #MAX_DRAINERS} container Works (from the adapter's WorkManager) drain it, each append completing
 * its future once durable per the flush policy. Concurrent drainers share fsyncs, as concurrent appends do.
 * No thread is held while the queue is empty, and none is started per call: a Work starts only when the
 * queue gains a send and fewer than the maximum drain.
 *
 * <p>A full queue fails the send at once with NOT_AVAILABLE (retriable) rather than blocking the caller.
 * Futures complete on the drainer's thread: callers must not block in their callbacks.
 *
 * <p>Thread-safety: {@link #submit} from any thread. Invariant: {@code drainers} counts Works that are
 * scheduled or running; whenever it drops, the queue is re-checked, so no send is stranded.
 */
public final class AsyncSender {

    static final int MAX_PENDING_SENDS = 10_000;
    static final int MAX_DRAINERS = 4;

    private final LogClient client;
    private final Executor executor;
    private final ConcurrentLinkedQueue<PendingSend> queue = new ConcurrentLinkedQueue<>();
    /** Free places in the queue. */
    private final Semaphore capacity = new Semaphore(MAX_PENDING_SENDS);
    private final AtomicInteger drainers = new AtomicInteger();

    public AsyncSender(LogClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    public CompletableFuture<List<ProduceReceipt>> submit(String topic, List<OutgoingRecord> records) {
        CompletableFuture<List<ProduceReceipt>> future = new CompletableFuture<>();
        if (!capacity.tryAcquire()) {
            future.completeExceptionally(new HearthConnectionException(HearthError.NOT_AVAILABLE, MAX_PENDING_SENDS
                    + " asynchronous sends are already pending; retry when some have completed", Map.of()));
            return future;
        }
        queue.add(new PendingSend(topic, List.copyOf(records), future));
        maybeStartDrainer();
        return future;
    }

    private void maybeStartDrainer() {
        while (!queue.isEmpty()) {
            int running = drainers.get();
            if (running >= MAX_DRAINERS) {
                return;
            }
            if (drainers.compareAndSet(running, running + 1)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    drainers.decrementAndGet();
                    failQueued(e);
                }
                return;
            }
        }
    }

    private void drain() {
        try {
            PendingSend send;
            while ((send = queue.poll()) != null) {
                capacity.release();
                try {
                    send.future().complete(client.sendBatch(send.topic(), send.records()));
                } catch (RuntimeException e) {
                    send.future().completeExceptionally(e);
                }
            }
        } finally {
            drainers.decrementAndGet();
            maybeStartDrainer();
        }
    }

    /** The WorkManager refused: nothing would drain the queue, so its sends fail now instead of never. */
    private void failQueued(RejectedExecutionException cause) {
        if (drainers.get() > 0) {
            return;
        }
        PendingSend send;
        while ((send = queue.poll()) != null) {
            capacity.release();
            send.future().completeExceptionally(new HearthConnectionException(HearthError.NOT_AVAILABLE,
                    "The WorkManager refused to run asynchronous sends: " + cause.getMessage(), Map.of()));
        }
    }

    private record PendingSend(String topic, List<OutgoingRecord> records, CompletableFuture<List<ProduceReceipt>> future) {
    }
}
