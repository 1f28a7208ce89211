package dev.hearth.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import dev.hearth.engine.TopicConfig;
import dev.hearth.engine.TopicExistsException;
import dev.hearth.engine.log.LogEngine;

/**
 * The Kafka side of Hearth's audit trail: every change made through the Kafka protocol (topics created, deleted,
 * altered; offsets written by a non-member or deleted; groups deleted; records deleted; transactions aborted; ACLs and
 * SCRAM users changed) is appended, before its
 * request is answered, to the internal topic {@value #NAME}. The application side
 * ({@code dev.hearth.audit.control.KafkaAuditImport}) copies each record into the audit table, storing its
 * offset in the same transaction, so every change reaches the trail exactly once even across crashes.
 *
 * <p>Format: partition 0 only; no key; the value is one UTF-8 JSON object
 * <pre>
 *   {"occurredAt":"2026-12-06T09:00:00.123Z","principal":"User:alice","clientAddress":"10.0.0.7",
 *    "action":"CREATE_TOPIC","resourceType":"topic","resourceName":"orders","detail":"partitions=3"}
 * </pre>
 * {@code action} is the name of an {@code AuditAction}; {@code detail} may be empty. The record timestamp is
 * {@code occurredAt} in milliseconds. The topic is created on the first change with one partition,
 * {@code cleanup.policy=delete} and {@code retention.ms=-1} (kept forever: the copy into the table is the reader,
 * and a record must not disappear before it was copied).
 *
 * <p>Failure: the change is already made when it is recorded. An append that fails is logged (HEARTH-0450) with
 * everything the record held, never hidden, and the request is still answered with the change's outcome.
 *
 * <p>Thread-safety: thread-safe; the engine orders appends to the partition.
 */
final class KafkaAuditTopic {

    static final String NAME = "__hearth_audit";
    private static final Logger LOG = Logger.getLogger(KafkaAuditTopic.class.getName());

    private final LogEngine engine;
    /** Wall-clock time in milliseconds since the epoch. */
    private final LongSupplier clock;
    /** Set once the topic is known to exist: saves a lookup per change. */
    private volatile boolean created;

    KafkaAuditTopic(LogEngine engine, LongSupplier clock) {
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * Records one change, durably per the engine's flush policy, on the calling thread.
     *
     * @param caller       who made it
     * @param action       an {@code AuditAction} name, e.g. {@code CREATE_TOPIC}
     * @param resourceType {@code topic}, {@code group}, {@code acl} or {@code user}
     * @param detail       what changed, human-readable; may be empty
     */
    void record(RequestAuthorizer.Caller caller, String action, String resourceType, String resourceName,
                String detail) {
        long now = clock.getAsLong();
        String json = "{\"occurredAt\":" + quote(Instant.ofEpochMilli(now).toString())
                + ",\"principal\":" + quote(caller.principalText())
                + ",\"clientAddress\":" + quote(caller.host())
                + ",\"action\":" + quote(action)
                + ",\"resourceType\":" + quote(resourceType)
                + ",\"resourceName\":" + quote(resourceName)
                + ",\"detail\":" + quote(detail == null ? "" : detail) + "}";
        try {
            maybeCreate();
            engine.append(NAME, 0, MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(now, null, json.getBytes(StandardCharsets.UTF_8))));
        } catch (RuntimeException e) {
            created = false; // deleted by an operator, perhaps: created again by the next change
            LOG.severe(() -> "HEARTH-0450 Cannot record a Kafka-side change in " + NAME + " (" + e
                    + "); the change was made: " + json);
        }
    }

    private void maybeCreate() {
        if (created) {
            return;
        }
        if (!engine.topicExists(NAME)) {
            try {
                engine.createTopic(NAME, 1, Map.of(TopicConfig.RETENTION_MS, "-1"));
            } catch (TopicExistsException e) {
                // Created by a concurrent change: that is what was wanted.
            }
        }
        created = true;
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
