package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/**
 * queued.max.requests: a submitting network thread blocks while that many requests wait for a handler thread,
 * and continues once one is taken; continuations never block; close stops the threads.
 */
class RequestHandlerPoolTest {

    @Test
    void aFullQueueBlocksTheSubmitterUntilAHandlerTakesARequest() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        RequestHandlerPool pool = RequestHandlerPool.start(1, 2, threads);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        try {
            assertTrue(pool.submitRequest(() -> {
                running.countDown();
                awaitQuietly(release);
            }), "the first request is taken by the only handler thread");
            assertTrue(running.await(10, TimeUnit.SECONDS), "the handler runs it");
            assertTrue(pool.submitRequest(() -> { }), "one request queued");
            assertTrue(pool.submitRequest(() -> { }), "two requests queued: the limit");
            CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.submitRequest(() -> { });
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            assertThrows(TimeoutException.class, () -> third.get(500, TimeUnit.MILLISECONDS),
                    "a third request blocks its submitter while two wait");
            pool.execute(() -> { }); // a continuation is queued even now, without blocking
            release.countDown();
            assertTrue(third.get(10, TimeUnit.SECONDS), "it is queued once the handler takes one");
        } finally {
            release.countDown();
            pool.close();
            threads.shutdown();
        }
        assertFalse(pool.submitRequest(() -> { }), "a closed pool takes no request");
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }), "nor a continuation");
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "the handler threads ended");
        assertEquals(0, pool.queuedRequests(), "nothing left behind but the stop signals taken");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
