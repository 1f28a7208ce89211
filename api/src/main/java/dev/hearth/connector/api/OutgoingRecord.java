package dev.hearth.connector.api;

import java.util.Map;

/**
 * A record to send.
 *
 * @param partition explicit partition, or null to choose by key
 * @param timestamp CreateTime in epoch millis, or null for now
 */
public record OutgoingRecord(Integer partition, byte[] key, byte[] value, Map<String, byte[]> headers, Long timestamp) {

    public OutgoingRecord {
        headers = headers == null ? Map.of() : headers;
    }

    public static OutgoingRecord of(byte[] key, byte[] value) {
        return new OutgoingRecord(null, key, value, Map.of(), null);
    }
}
