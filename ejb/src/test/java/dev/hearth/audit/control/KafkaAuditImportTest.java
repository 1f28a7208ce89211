package dev.hearth.audit.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.hearth.audit.entity.AuditEntry;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.platform.control.LogConnections;

/** The copy's resume-after-the-last-stored-offset logic, with the table and the log replaced by lists. */
class KafkaAuditImportTest {

    /** The audit topic's records. */
    final List<HearthRecord> log = new ArrayList<>();
    /** The audit table: what committed. */
    final List<AuditEntry> table = new ArrayList<>();
    /** Makes the next transaction fail, as a crash before the commit would. */
    boolean failNextCommit;

    final KafkaAuditImport copier = new KafkaAuditImport();

    KafkaAuditImportTest() {
        copier.trail = new AuditTrail() {
            @Override
            public long lastKafkaOffset() {
                return table.stream().mapToLong(AuditEntry::sourceOffset).max().orElse(-1);
            }

            @Override
            public void recordFromKafka(List<AuditEntry> entries) {
                if (failNextCommit) {
                    failNextCommit = false;
                    throw new IllegalStateException("rolled back");
                }
                table.addAll(entries);
            }
        };
        copier.connections = new LogConnections() {
            @Override
            public <T> T apply(Function<HearthConnection, T> work) {
                return work.apply((HearthConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {HearthConnection.class}, (proxy, method, args) -> {
                            if (!method.getName().equals("read")) {
                                throw new UnsupportedOperationException(method.getName());
                            }
                            if (log.isEmpty()) {
                                throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION,
                                        "no such topic", Map.of());
                            }
                            long offset = (Long) args[2];
                            int max = (Integer) args[3];
                            return log.stream().filter(r -> r.offset() >= offset).limit(max).toList();
                        }));
            }
        };
    }

    void append(String action) {
        String json = "{\"occurredAt\":\"2026-12-06T09:00:00Z\",\"principal\":\"User:alice\",\"clientAddress\":\"::1\","
                + "\"action\":\"" + action + "\",\"resourceType\":\"topic\",\"resourceName\":\"t\",\"detail\":\"\"}";
        log.add(new HearthRecord("__hearth_audit", 0, log.size(), 0, null, json.getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    List<String> actions() {
        return table.stream().map(AuditEntry::action).toList();
    }

    @Test
    void eachRecordIsCopiedOnceAcrossRunsAndFailedTransactions() {
        copier.copyEverySecond();
        assertEquals(List.of(), actions(), "no topic yet: nothing to copy, and no failure");

        append("CREATE_TOPIC");
        append("ALTER_TOPIC_CONFIGS");
        copier.copyEverySecond();
        copier.copyEverySecond();
        assertEquals(List.of("CREATE_TOPIC", "ALTER_TOPIC_CONFIGS"), actions(), "copied once, however often it runs");

        append("DELETE_TOPIC");
        failNextCommit = true;
        copier.copyEverySecond();
        assertEquals(2, table.size(), "a rolled-back batch leaves nothing");
        copier.copyEverySecond();
        assertEquals(List.of("CREATE_TOPIC", "ALTER_TOPIC_CONFIGS", "DELETE_TOPIC"), actions(),
                "the next run copies it, from the offset after the last one stored");
        assertEquals(List.of(0L, 1L, 2L), table.stream().map(AuditEntry::sourceOffset).toList());
    }

    @Test
    void aBacklogLargerThanOneBatchIsCopiedInOneRun() {
        for (int i = 0; i < KafkaAuditImport.BATCH_RECORDS * 2 + 3; i++) {
            append("CREATE_TOPIC");
        }
        copier.copyEverySecond();
        assertEquals(KafkaAuditImport.BATCH_RECORDS * 2 + 3, table.size(), "every record, in batches");
    }

    @Test
    void copyNextBatchSurfacesAFailedCommit() {
        append("CREATE_TOPIC");
        failNextCommit = true;
        assertThrows(IllegalStateException.class, copier::copyNextBatch);
    }
}
