package dev.hearth.connector.inbound;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;

import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.HearthRecordListener;

/**
 * Hand-written stand-ins for what an application server gives the adapter's inbound side: a {@link WorkManager} on
 * plain threads, a {@link MessageEndpointFactory} whose endpoints count every bracket call, and, for transacted
 * delivery, the transaction manager's part (start, end, prepare, commit or roll back the {@link XAResource} the
 * adapter passes to {@code createEndpoint}). No mocking framework: each fake does what the container does, and
 * records it.
 *
 * <p>Thread-safety: every counter is atomic and every queue concurrent; deliveries run on the work manager's threads
 * while the test thread reads the counts.
 */
final class DeliveryFakes {

    private DeliveryFakes() {
    }

    /** What the bean does with a record; throwing makes the delivery fail. */
    @FunctionalInterface
    interface Bean {
        void onRecord(HearthRecord record);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A WorkManager on a cached thread pool; counts the Works that are running. */
    static final class FakeWorkManager implements WorkManager {

        private final ExecutorService threads = Executors.newCachedThreadPool();
        final AtomicInteger running = new AtomicInteger();
        /** When positive, that many further scheduleWork calls are refused. */
        final AtomicInteger refusals = new AtomicInteger();

        @Override
        public void doWork(Work work) {
            work.run();
        }

        @Override
        public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
            work.run();
        }

        @Override
        public long startWork(Work work) throws WorkException {
            scheduleWork(work);
            return 0;
        }

        @Override
        public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener)
                throws WorkException {
            scheduleWork(work);
            return 0;
        }

        @Override
        public void scheduleWork(Work work) throws WorkException {
            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new WorkException("refused by the test");
            }
            running.incrementAndGet();
            threads.execute(() -> {
                try {
                    work.run();
                } finally {
                    running.decrementAndGet();
                }
            });
        }

        @Override
        public void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener)
                throws WorkException {
            scheduleWork(work);
        }

        void shutdown() throws InterruptedException {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Creates {@link FakeEndpoint}s around one {@link Bean}; counts them and every call on them. */
    static final class FakeEndpointFactory implements MessageEndpointFactory {

        private final boolean transacted;
        private final Bean bean;
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final AtomicInteger beforeDeliveries = new AtomicInteger();
        final AtomicInteger afterDeliveries = new AtomicInteger();
        /** Deliveries that were inside a before/after bracket; a call outside one is a bug the tests look for. */
        final AtomicInteger unbracketedCalls = new AtomicInteger();
        final AtomicInteger commits = new AtomicInteger();
        final AtomicInteger rollbacks = new AtomicInteger();
        /** When positive, that many further beforeDelivery calls fail (as when the container cannot begin a transaction). */
        final AtomicInteger failingBeforeDeliveries = new AtomicInteger();
        /** Every record the bean was called with, in call order. */
        final ConcurrentLinkedQueue<HearthRecord> calls = new ConcurrentLinkedQueue<>();
        private final AtomicInteger xids = new AtomicInteger();

        FakeEndpointFactory(boolean transacted, Bean bean) {
            this.transacted = transacted;
            this.bean = bean;
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
            created.incrementAndGet();
            return new FakeEndpoint(this, xaResource);
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
            return createEndpoint(xaResource);
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return transacted;
        }

        @Override
        public String getActivationName() {
            return "fake-bean";
        }

        @Override
        public Class<?> getEndpointClass() {
            return FakeEndpoint.class;
        }

        List<String> calledValues() {
            return calls.stream().map(record -> text(record.value())).toList();
        }
    }

    /** A Xid the fake transaction manager makes per delivery. */
    private record FakeXid(int formatId, byte[] globalTransactionId, byte[] branchQualifier) implements Xid {
        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return globalTransactionId;
        }

        @Override
        public byte[] getBranchQualifier() {
            return branchQualifier;
        }
    }

    /**
     * One endpoint: the bean behind a container proxy. With an XAResource it plays the transaction manager around the
     * delivery: start in beforeDelivery; end, then prepare and commit (or roll back when the bean threw) in
     * afterDelivery.
     */
    static final class FakeEndpoint implements MessageEndpoint, HearthRecordListener {

        private final FakeEndpointFactory factory;
        private final XAResource xa;
        private boolean inDelivery;
        private boolean rollbackOnly;
        private Xid xid;
        private boolean released;

        FakeEndpoint(FakeEndpointFactory factory, XAResource xa) {
            this.factory = factory;
            this.xa = xa;
        }

        @Override
        public void beforeDelivery(Method method) throws NoSuchMethodException, ResourceException {
            if (released) {
                throw new IllegalStateException("beforeDelivery on a released endpoint");
            }
            if (factory.failingBeforeDeliveries.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ResourceException("the test's container could not begin the delivery");
            }
            factory.beforeDeliveries.incrementAndGet();
            inDelivery = true;
            rollbackOnly = false;
            if (factory.transacted) {
                xid = new FakeXid(7, new byte[] {(byte) factory.xids.incrementAndGet()}, new byte[] {1});
                try {
                    if (xa != null) {
                        xa.start(xid, XAResource.TMNOFLAGS);
                    }
                } catch (XAException e) {
                    throw new ResourceException(e);
                }
            }
        }

        @Override
        public void onRecord(HearthRecord record) {
            if (!inDelivery) {
                factory.unbracketedCalls.incrementAndGet();
            }
            factory.calls.add(record);
            try {
                factory.bean.onRecord(record);
            } catch (RuntimeException e) {
                rollbackOnly = true;
                throw e;
            }
        }

        @Override
        public void afterDelivery() throws ResourceException {
            factory.afterDeliveries.incrementAndGet();
            inDelivery = false;
            if (!factory.transacted) {
                return;
            }
            try {
                if (xa != null) {
                    xa.end(xid, rollbackOnly ? XAResource.TMFAIL : XAResource.TMSUCCESS);
                    if (!rollbackOnly && xa.prepare(xid) == XAResource.XA_OK) {
                        xa.commit(xid, false);
                    } else if (rollbackOnly) {
                        xa.rollback(xid);
                    }
                }
                (rollbackOnly ? factory.rollbacks : factory.commits).incrementAndGet();
            } catch (XAException e) {
                throw new ResourceException(e);
            }
        }

        @Override
        public void release() {
            if (!released) {
                released = true;
                factory.released.incrementAndGet();
            }
        }
    }
}
