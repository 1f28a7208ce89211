package dev.hearth.record.boundary;

import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import dev.hearth.connector.api.HearthRecord;

/**
 * A stored record as the HTTP API returns it, wherever it was read (a partition, a group member's poll):
 * {@code topic_name}, {@code partition_id}, {@code offset}, {@code timestamp}, key and value as
 * {@code {"type": "BINARY", "data": "<base64>"}} or null, headers as {@code [{"name", "value": "<base64>"}]}.
 * Stateless.
 */
public final class RecordJson {

    private RecordJson() {
    }

    public static JsonObject toJson(HearthRecord record) {
        JsonArrayBuilder headers = Json.createArrayBuilder();
        record.headers().forEach((name, value) -> {
            JsonObjectBuilder header = Json.createObjectBuilder().add("name", name);
            if (value == null) {
                header.addNull("value");
            } else {
                header.add("value", Base64.getEncoder().encodeToString(value));
            }
            headers.add(header);
        });
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("topic_name", record.topic())
                .add("partition_id", record.partition())
                .add("offset", record.offset())
                .add("timestamp", record.timestamp())
                .add("headers", headers);
        addBinary(json, "key", record.key());
        addBinary(json, "value", record.value());
        return json.build();
    }

    private static void addBinary(JsonObjectBuilder json, String member, byte[] bytes) {
        if (bytes == null) {
            json.addNull(member);
        } else {
            json.add(member, Json.createObjectBuilder().add("type", "BINARY")
                    .add("data", Base64.getEncoder().encodeToString(bytes)));
        }
    }
}
