package dev.hearth.connector.client;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.hearth.engine.EngineTestSupport;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.engine.log.TopicAutoCreation;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.kafka.RequestLatencies;
import dev.hearth.security.HearthSecurity;
import dev.hearth.security.SecuritySettings;
import dev.hearth.txn.ProducerIdAllocator;
import dev.hearth.txn.TransactionCoordinator;

/**
 * For the adapter's unit tests: what {@code EngineWork} runs inside the server (a real engine in a temporary
 * directory, group and transaction coordinators, the client and the XA offset log) without the server, with the
 * coordinators ticked every {@value #TICK_MS} ms as EngineWork ticks them. No Kafka listener; no asynchronous sends.
 *
 * <p>Thread-safety: open and close from the test thread; the services are as thread-safe as in the adapter.
 */
public final class RunningEngine implements AutoCloseable {

    private static final long TICK_MS = 50;

    private final LogEngine engine;
    private final GroupCoordinator groups;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final EngineServices services;

    public RunningEngine(Path dataDir) {
        engine = LogEngine.open(EngineTestSupport.config(dataDir));
        groups = new GroupCoordinator(engine, System::currentTimeMillis);
        TransactionCoordinator transactions = new TransactionCoordinator(engine, groups,
                new ProducerIdAllocator(engine.maxProducerId()), System::currentTimeMillis);
        EngineClient client = new EngineClient(engine, groups, "hearth-test", null, -1, new TopicAutoCreation(false, 1));
        services = new EngineServices(engine, groups, client, new XaOffsetLog(engine, groups), transactions,
                new AppendSignal(), null, new RequestLatencies(), HearthSecurity.start(dataDir,
                        SecuritySettings.read(key -> java.util.Optional.empty(), java.util.List.of())));
        ticker.scheduleWithFixedDelay(() -> {
            groups.tick();
            transactions.tick();
        }, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    public EngineServices services() {
        return services;
    }

    @Override
    public void close() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        groups.close();
        engine.close();
    }
}
