package dev.hearth.connector.inbound;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.client.LogClient;
import dev.hearth.connector.api.DeadLetters;
import dev.hearth.connector.api.HearthRecord;
import dev.hearth.connector.api.OutgoingRecord;

/**
 * Publishes a record that failed every delivery attempt to the dead-letter topic (the configured one, or
 * {@code <source topic>.DLT}), keeping its key, value and headers and adding the headers of {@link DeadLetters}
 * that say where it came from and why it failed. The topic is created (one partition) when missing. Thread-safe.
 */
final class DeadLetterPublisher {

    private final LogClient client;
    /** The configured dead-letter topic, or null for the default {@code <topic>.DLT} per source topic. */
    private final String configuredTopic;
    /** Dead-letter topics known to exist: each is looked up (on a cluster, a metadata request) once, not per record. */
    private final Set<String> existing = ConcurrentHashMap.newKeySet();

    DeadLetterPublisher(LogClient client, String configuredTopic) {
        this.client = client;
        this.configuredTopic = configuredTopic;
    }

    /** Where a failed record of {@code sourceTopic} goes. */
    String topicFor(String sourceTopic) {
        return configuredTopic != null ? configuredTopic : DeadLetters.topicFor(sourceTopic);
    }

    void publish(HearthRecord record, Throwable failure) {
        String topic = topicFor(record.topic());
        if (!existing.contains(topic)) {
            if (!client.topicNames().contains(topic)) {
                try {
                    client.createTopic(topic, 1, Map.of());
                } catch (HearthConnectionException e) {
                    if (e.error() != HearthError.TOPIC_ALREADY_EXISTS) {
                        throw e;
                    }
                    // Created concurrently by another activation: fine.
                }
            }
            existing.add(topic);
        }
        Throwable cause = rootCause(failure);
        Map<String, byte[]> headers = new LinkedHashMap<>(record.headers());
        headers.put(DeadLetters.ORIGINAL_TOPIC, utf8(record.topic()));
        headers.put(DeadLetters.ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
        headers.put(DeadLetters.ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        headers.put(DeadLetters.ERROR_CLASS, utf8(cause.getClass().getName()));
        headers.put(DeadLetters.ERROR_MESSAGE, utf8(String.valueOf(cause.getMessage())));
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        headers.put(DeadLetters.ERROR_STACKTRACE, utf8(trace.toString()));
        client.sendBatch(topic, List.of(new OutgoingRecord(0, record.key(), record.value(), headers, record.timestamp())));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
