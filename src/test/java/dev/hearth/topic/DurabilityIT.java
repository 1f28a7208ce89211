package dev.hearth.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Records acknowledged by Hearth survive a clean stop (SIGTERM) and a kill -9 of Payara Micro: after each
 * restart on the same data directory every record reads back identical, at the offset it was given.
 */
class DurabilityIT {

    private static final String TOPIC = "durable-orders";
    private static final String RECORDS = RestClient.CLUSTER + "/topics/" + TOPIC + "/records";

    /** What was acknowledged: "partition/offset" -> the record as sent (key, value, header), in offset order. */
    private final Map<String, String> acknowledged = new TreeMap<>();

    @Test
    void acknowledgedRecordsSurviveCleanStopAndKillNine() throws Exception {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("durability-data-" + System.nanoTime()));
        try (HearthServer server = new HearthServer(dataDir, "durability-1").start()) {
            RestClient rest = new RestClient(server.baseUri());
            Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                    .add("topic_name", TOPIC).add("partitions_count", 3).build());
            assertEquals(201, created.status(), "topic creation should answer 201: " + created);
            produce(rest, 0, 300);
            int exit = server.stop();
            assertTrue(exit == 0 || exit == 143, "Payara Micro should end normally on SIGTERM (143 = after its "
                    + "shutdown hooks), not " + exit + "; see " + server.logFile());
        }
        assertTrue(Files.exists(dataDir.resolve(".clean-shutdown")),
                "a SIGTERM stop should close the engine cleanly and leave the clean-shutdown marker");

        try (HearthServer server = new HearthServer(dataDir, "durability-2").start()) {
            RestClient rest = new RestClient(server.baseUri());
            assertEquals(acknowledged, readAll(rest), "after a clean restart every acknowledged record reads back identical");
            produce(rest, 300, 200);
            server.kill();
        }
        assertFalse(Files.exists(dataDir.resolve(".clean-shutdown")),
                "kill -9 gives the engine no chance to write the clean-shutdown marker");

        try (HearthServer server = new HearthServer(dataDir, "durability-3").start()) {
            RestClient rest = new RestClient(server.baseUri());
            assertTrue(server.log().contains("HEARTH-0110"), "the restart after kill -9 should log that it recovers");
            assertEquals(acknowledged, readAll(rest), "after kill -9 and restart every acknowledged record reads back identical");
            produce(rest, 500, 30);
            assertEquals(acknowledged, readAll(rest), "appends after recovery continue at the right offsets");
        }
    }

    /** Sends {@code count} records in requests of 25, remembering each receipt. */
    private void produce(RestClient rest, int first, int count) {
        for (int start = first; start < first + count; start += 25) {
            JsonArrayBuilder batch = Json.createArrayBuilder();
            List<String> sent = new ArrayList<>();
            for (int i = start; i < Math.min(start + 25, first + count); i++) {
                String key = "customer-" + (i % 17);
                String value = "{\"order\":" + i + ",\"note\":\"caf\u00e9 #" + i + "\"}";
                String header = "trace-" + i;
                batch.add(Json.createObjectBuilder()
                        .add("key", Json.createObjectBuilder().add("type", "STRING").add("data", key))
                        .add("value", Json.createObjectBuilder().add("type", "BINARY").add("data", base64(value)))
                        .add("headers", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add("name", "trace").add("value", base64(header)))));
                sent.add(key + "|" + value + "|" + header);
            }
            Reply reply = rest.post(RECORDS, batch.build());
            assertEquals(200, reply.status(), "produce should succeed: " + reply);
            JsonArray receipts = (JsonArray) reply.json();
            for (int i = 0; i < receipts.size(); i++) {
                JsonObject receipt = receipts.getJsonObject(i);
                acknowledged.put(position(receipt.getInt("partition_id"), receipt.getJsonNumber("offset").longValue()),
                        sent.get(i));
            }
        }
    }

    private static Map<String, String> readAll(RestClient rest) {
        Map<String, String> stored = new TreeMap<>();
        for (int partition = 0; partition < 3; partition++) {
            Reply reply = rest.get(RestClient.CLUSTER + "/topics/" + TOPIC + "/partitions/" + partition
                    + "/records?offset=0&max_records=10000");
            assertEquals(200, reply.status(), "reading partition " + partition + " should succeed: " + reply);
            for (JsonValue item : reply.object().getJsonArray("data")) {
                JsonObject record = item.asJsonObject();
                String key = decode(record.getJsonObject("key").getString("data"));
                String value = decode(record.getJsonObject("value").getString("data"));
                String header = decode(record.getJsonArray("headers").getJsonObject(0).getString("value"));
                stored.put(position(partition, record.getJsonNumber("offset").longValue()), key + "|" + value + "|" + header);
            }
        }
        return stored;
    }

    private static String position(int partition, long offset) {
        return partition + "/" + String.format("%08d", offset);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
