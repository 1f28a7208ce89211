package dev.hearth.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.group.TopicPartitionKey;

/**
 * Kafka's {@code transactional.id.expiration.ms}: an id with nothing open or prepared, idle past the expiration,
 * is forgotten (ListTransactions no longer shows it, also after a restart) and its next InitProducerId starts
 * afresh; an id with an open or an XA-prepared transaction is never forgotten, however old.
 */
class TransactionalIdExpiryTest {

    private static final long EXPIRATION_MS = 60_000;

    @TempDir
    Path dataDir;

    private final AtomicLong clock = new AtomicLong(1_000_000);

    @Test
    void idleIdsAreForgottenDurablyWhileOpenAndPreparedOnesStay() {
        long firstProducerId;
        try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
             GroupCoordinator groups = new GroupCoordinator(engine, clock::get)) {
            engine.createTopic("orders", 1, Map.of());
            TransactionCoordinator transactions = coordinator(engine, groups);
            TransactionCoordinator.ProducerIdAndEpoch committed = transactions.initProducerId("xa:done", 600_000);
            firstProducerId = committed.producerId();
            transactions.addPartitions("xa:done", committed.producerId(), committed.producerEpoch(), orders());
            assertEquals(Errors.NONE, transactions.endTransaction("xa:done", committed.producerId(),
                    committed.producerEpoch(), true));
            transactions.initProducerId("never-used", 600_000);
            TransactionCoordinator.ProducerIdAndEpoch open = transactions.initProducerId("open", 600_000);
            transactions.addPartitions("open", open.producerId(), open.producerEpoch(), orders());
            TransactionCoordinator.ProducerIdAndEpoch prepared = transactions.initProducerId("xa:prepared", 600_000);
            transactions.addPartitions("xa:prepared", prepared.producerId(), prepared.producerEpoch(), orders());
            assertEquals(Errors.NONE, transactions.prepare("xa:prepared", prepared.producerId(), prepared.producerEpoch()));

            clock.addAndGet(EXPIRATION_MS); // exactly the expiration: not yet past it
            transactions.tick();
            assertEquals(List.of("never-used", "open", "xa:done", "xa:prepared"), ids(transactions));

            clock.addAndGet(1);
            transactions.tick();
            assertEquals(List.of("open", "xa:prepared"), ids(transactions),
                    "the idle ids are forgotten; the open one (its timeout is longer) and the prepared one stay");
            assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, transactions.addPartitions("xa:done", committed.producerId(),
                    committed.producerEpoch(), orders()), "the forgotten id's old producer is unknown");
        }
        try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
             GroupCoordinator groups = new GroupCoordinator(engine, clock::get)) {
            TransactionCoordinator transactions = coordinator(engine, groups);
            assertTrue(ids(transactions).containsAll(List.of("open", "xa:prepared")), "recovered: " + ids(transactions));
            assertTrue(!ids(transactions).contains("xa:done") && !ids(transactions).contains("never-used"),
                    "the tombstones survive a restart: " + ids(transactions));
            TransactionCoordinator.ProducerIdAndEpoch again = transactions.initProducerId("xa:done", 600_000);
            assertEquals(Errors.NONE, again.error());
            assertNotEquals(firstProducerId, again.producerId(), "a forgotten id starts with a new producer id");
            assertEquals(Errors.NONE, transactions.decide("xa:prepared", true), "the prepared branch is still decidable");
        }
    }

    /** Single-use ids (an XA branch's) go sooner, once complete; every other id keeps Kafka's expiration. */
    @Test
    void singleUseIdsAreForgottenSoonerOnceComplete() {
        try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
             GroupCoordinator groups = new GroupCoordinator(engine, clock::get)) {
            engine.createTopic("orders", 1, Map.of());
            TransactionCoordinator transactions = new TransactionCoordinator(engine, groups,
                    new ProducerIdAllocator(), clock::get, new TransactionalIdExpiry(EXPIRATION_MS, "xa:", 1_000));
            for (String id : List.of("xa:branch", "producer")) {
                TransactionCoordinator.ProducerIdAndEpoch producer = transactions.initProducerId(id, 600_000);
                transactions.addPartitions(id, producer.producerId(), producer.producerEpoch(), orders());
                assertEquals(Errors.NONE, transactions.decide(id, true));
            }
            TransactionCoordinator.ProducerIdAndEpoch open = transactions.initProducerId("xa:open", 600_000);
            transactions.addPartitions("xa:open", open.producerId(), open.producerEpoch(), orders());
            clock.addAndGet(1_001);
            transactions.tick();
            assertEquals(List.of("producer", "xa:open"), ids(transactions),
                    "the completed branch is forgotten; an open branch and an ordinary id stay");
            assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, transactions.decide("xa:branch", true),
                    "a repeated commit of the forgotten branch: unknown (XAER_NOTA to the transaction manager)");
        }
    }

    private TransactionCoordinator coordinator(LogEngine engine, GroupCoordinator groups) {
        return new TransactionCoordinator(engine, groups, new ProducerIdAllocator(engine.maxProducerId()), clock::get,
                new TransactionalIdExpiry(EXPIRATION_MS, null, 0));
    }

    private static List<TopicPartitionKey> orders() {
        return List.of(new TopicPartitionKey("orders", 0));
    }

    private static List<String> ids(TransactionCoordinator transactions) {
        return transactions.listTransactions().stream().map(TransactionDescription::transactionalId).sorted().toList();
    }
}
