package dev.hearth.audit.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.audit.entity.AuditEntry;
import dev.hearth.connector.api.HearthRecord;

class KafkaAuditRecordsTest {

    private static HearthRecord record(long offset, String value) {
        return new HearthRecord(KafkaAuditRecords.TOPIC, 0, offset, 1_700_000_000_000L, null,
                value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void aRecordBecomesAnEntryWithItsOffsetAndTheUsersName() {
        AuditEntry entry = KafkaAuditRecords.toEntry(record(7, "{\"occurredAt\":\"2026-12-06T09:00:00.123Z\","
                + "\"principal\":\"User:alice\",\"clientAddress\":\"10.0.0.7\",\"action\":\"CREATE_ACLS\","
                + "\"resourceType\":\"acl\",\"resourceName\":\"TOPIC:PREFIXED:orders-\","
                + "\"detail\":\"ALLOW User:bob READ from *\"}"));
        assertEquals(Instant.parse("2026-12-06T09:00:00.123Z"), entry.occurredAt());
        assertEquals("alice", entry.principal(), "a User principal is stored by name, as HTTP entries are");
        assertEquals("10.0.0.7", entry.clientAddress());
        assertEquals(AuditAction.CREATE_ACLS.name(), entry.action());
        assertEquals("acl", entry.resourceType());
        assertEquals("TOPIC:PREFIXED:orders-", entry.resourceName());
        assertEquals("ALLOW User:bob READ from *", entry.detail());
        assertEquals(7L, entry.sourceOffset(), "the source offset makes the copy exactly-once");
    }

    @Test
    void anUnreadableRecordIsStoredNotSkipped() {
        AuditEntry entry = KafkaAuditRecords.toEntry(record(9, "not json"));
        assertEquals(KafkaAuditRecords.UNREADABLE, entry.action());
        assertEquals("not json", entry.detail(), "the raw value is kept");
        assertEquals(9L, entry.sourceOffset(), "and the copy moves past it");
        assertNull(entry.clientAddress());
    }

    @Test
    void otherPrincipalTypesKeepTheirType() {
        assertEquals("Group:ops", KafkaAuditRecords.principal("Group:ops"));
        assertEquals("ANONYMOUS", KafkaAuditRecords.principal("User:ANONYMOUS"));
    }

    @Test
    void actionsKeepTheirOrderForTheMergeWithTheRestSide() {
        AuditAction[] actions = AuditAction.values();
        assertEquals("RUN_JOB_BOUNDED", actions[9].name(), "the existing actions keep their places");
        assertEquals("CREATE_ACLS,DELETE_ACLS,ALTER_USER,DELETE_USER,WRITE_OFFSETS,DELETE_OFFSETS,DELETE_RECORDS,"
                        + "ABORT_TRANSACTION",
                String.join(",", java.util.Arrays.stream(actions).skip(10).map(Enum::name).toList()));
    }
}
