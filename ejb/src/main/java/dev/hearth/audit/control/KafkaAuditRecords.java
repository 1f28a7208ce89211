package dev.hearth.audit.control;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import dev.hearth.audit.entity.AuditEntry;
import dev.hearth.connector.api.HearthRecord;

/**
 * Turns a record of the connector's Kafka-side audit topic ({@value #TOPIC}, written by
 * {@code dev.hearth.kafka.KafkaAuditTopic}) into an audit entry. The record's value is one UTF-8 JSON object:
 * {@code occurredAt} (ISO-8601 instant), {@code principal} ({@code User:alice}), {@code clientAddress},
 * {@code action} (an {@link AuditAction} name), {@code resourceType}, {@code resourceName}, {@code detail}.
 *
 * <p>A {@code User:} principal is stored by its name alone, as HTTP entries store their caller, so one user's
 * changes read the same whichever protocol made them; other principal types keep their {@code Type:name} form.
 * A record that cannot be read still becomes an entry ({@code UNREADABLE_KAFKA_RECORD}, its raw value as the
 * detail): the copy must go past it, and nothing may be dropped silently.
 *
 * <p>Thread-safety: stateless.
 */
final class KafkaAuditRecords {

    /** The topic, partition 0, that the connector's Kafka listener appends its changes to. */
    static final String TOPIC = "__hearth_audit";
    static final String UNREADABLE = "UNREADABLE_KAFKA_RECORD";

    private KafkaAuditRecords() {
    }

    static AuditEntry toEntry(HearthRecord record) {
        String value = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
        try (JsonReader reader = Json.createReader(new StringReader(value))) {
            JsonObject json = reader.readObject();
            String action = json.getString("action");
            if (action.length() > 40) {
                throw new JsonException("action longer than 40 characters");
            }
            return AuditEntry.fromKafka(Instant.parse(json.getString("occurredAt")),
                    principal(json.getString("principal")), json.getString("clientAddress", null), action,
                    json.getString("resourceType"), json.getString("resourceName"), json.getString("detail", ""),
                    record.offset());
        } catch (JsonException | ClassCastException | NullPointerException | java.time.DateTimeException e) {
            return AuditEntry.fromKafka(Instant.ofEpochMilli(record.timestamp()), "unknown", null, UNREADABLE,
                    "audit", TOPIC + "@" + record.offset(), value, record.offset());
        }
    }

    /** {@code User:alice} becomes {@code alice}; {@code Group:ops} stays as it is. */
    static String principal(String kafkaPrincipal) {
        return kafkaPrincipal.startsWith("User:") ? kafkaPrincipal.substring("User:".length()) : kafkaPrincipal;
    }
}
