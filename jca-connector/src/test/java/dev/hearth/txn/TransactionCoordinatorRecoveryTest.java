package dev.hearth.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.engine.EngineConfig;
import dev.hearth.engine.InvalidProducerEpochException;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.GroupCoordinator;
import dev.hearth.group.TopicPartitionKey;

/**
 * No request and no entry of {@code __transaction_state} can stop the broker: a partition beyond the topic's
 * count is refused, and at start-up an entry that names one, or cannot be read at all, is skipped while every
 * other transaction is recovered.
 */
class TransactionCoordinatorRecoveryTest {

    @TempDir
    Path dataDir;

    @Test
    void aPartitionBeyondTheTopicIsRefused() {
        try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
             GroupCoordinator groups = new GroupCoordinator(engine, System::currentTimeMillis)) {
            engine.createTopic("orders", 3, Map.of());
            TransactionCoordinator transactions = new TransactionCoordinator(engine, groups, new ProducerIdAllocator(),
                    System::currentTimeMillis);
            TransactionCoordinator.ProducerIdAndEpoch producer = transactions.initProducerId("poison", 60_000);
            for (int partition : new int[] {3, 256, -1}) {
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, transactions.addPartitions("poison", producer.producerId(),
                        producer.producerEpoch(), List.of(new TopicPartitionKey("orders", partition))),
                        "partition " + partition + " of a 3-partition topic is refused");
            }
            assertEquals(Errors.NONE, transactions.addPartitions("poison", producer.producerId(), producer.producerEpoch(),
                    List.of(new TopicPartitionKey("orders", 2))), "a real partition is accepted");
            assertEquals(Errors.NONE, transactions.endTransaction("poison", producer.producerId(), producer.producerEpoch(),
                    true), "the transaction commits");
        }
    }

    @Test
    void aRestartSkipsPoisonedAndUnreadableEntriesAndRecoversTheRest() {
        try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
             GroupCoordinator groups = new GroupCoordinator(engine, System::currentTimeMillis)) {
            engine.createTopic("orders", 3, Map.of());
            TransactionCoordinator transactions = new TransactionCoordinator(engine, groups, new ProducerIdAllocator(),
                    System::currentTimeMillis);
            TransactionCoordinator.ProducerIdAndEpoch healthy = transactions.initProducerId("healthy", 60_000);
            transactions.addPartitions("healthy", healthy.producerId(), healthy.producerEpoch(),
                    List.of(new TopicPartitionKey("orders", 0)));
            // What an older version accepted from a hostile client: a decided transaction naming partition 256.
            TransactionMetadata poisoned = new TransactionMetadata("poison", 4242L, (short) 0, 60_000);
            poisoned.state = TransactionState.PREPARE_COMMIT;
            poisoned.partitions.add(new TopicPartitionKey("orders", 256));
            append(engine, "poison", poisoned.encode());
            append(engine, "garbage", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
        }
        // The "crash": the healthy transaction is left open; the next start must abort it and open normally.
        try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
             GroupCoordinator groups = new GroupCoordinator(engine, System::currentTimeMillis)) {
            TransactionCoordinator transactions = new TransactionCoordinator(engine, groups, new ProducerIdAllocator(),
                    System::currentTimeMillis);
            assertTrue(engine.openTransactions("orders", 0).isEmpty(), "the open transaction was aborted at start");
            assertEquals(Errors.NONE, transactions.initProducerId("poison", 60_000).error(),
                    "the poisoned transactional id can start again");
            assertEquals(Errors.NONE, transactions.initProducerId("garbage", 60_000).error(),
                    "an id whose entry was unreadable starts afresh");
            assertEquals(Errors.NONE, transactions.initProducerId("healthy", 60_000).error(), "the healthy id goes on");
        }
    }

    @Test
    void aProduceRetriedAfterTheRestartAbortedItsTransactionIsFenced() {
        TransactionCoordinator.ProducerIdAndEpoch producer;
        try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
             GroupCoordinator groups = new GroupCoordinator(engine, System::currentTimeMillis)) {
            engine.createTopic("orders", 2, Map.of());
            TransactionCoordinator transactions = new TransactionCoordinator(engine, groups, new ProducerIdAllocator(),
                    System::currentTimeMillis);
            producer = transactions.initProducerId("in-flight", 60_000);
            transactions.addPartitions("in-flight", producer.producerId(), producer.producerEpoch(),
                    List.of(new TopicPartitionKey("orders", 0), new TopicPartitionKey("orders", 1)));
            engine.append("orders", 0, transactional(producer, "written before the crash"));
        }
        // The restart aborts the open transaction. The producer's request to partition 1, in flight during the
        // crash, then arrives again: appended, it would open a transaction no coordinator knows of, which the
        // next COMMIT marker of that producer id would make visible (a partially visible transaction).
        try (LogEngine engine = LogEngine.open(EngineConfig.defaults(dataDir));
             GroupCoordinator groups = new GroupCoordinator(engine, System::currentTimeMillis)) {
            new TransactionCoordinator(engine, groups, new ProducerIdAllocator(), System::currentTimeMillis);
            assertThrows(InvalidProducerEpochException.class,
                    () -> engine.append("orders", 1, transactional(producer, "retried after the crash")),
                    "the aborted transaction's producer is fenced in every partition of the transaction");
            assertTrue(engine.openTransactions("orders", 1).isEmpty(), "no transaction hangs in partition 1");
            assertTrue(engine.openTransactions("orders", 0).isEmpty(), "nor in partition 0");
        }
    }

    private static MemoryRecords transactional(TransactionCoordinator.ProducerIdAndEpoch producer, String value) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producer.producerId(), producer.producerEpoch(), 0,
                new SimpleRecord(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static void append(LogEngine engine, String transactionalId, byte[] value) {
        engine.append(TransactionCoordinator.TOPIC, 0, MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), transactionalId.getBytes(StandardCharsets.UTF_8), value)));
    }
}
