package dev.hearth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.testing.KafkaJs;
import dev.hearth.testing.SystemPackages;

/**
 * KafkaJS 2.2.4 (npm), a Kafka client written in JavaScript with its own protocol implementation, used
 * unmodified against Hearth: admin topic creation, an idempotent gzip producer with acks=all, and a consumer
 * group that reads everything back and commits. Needs Node.js and npm (Debian packages nodejs, npm) and the npm
 * registry to install KafkaJS into the build directory.
 */
class KafkaJsIT {

    private static final int RECORDS = 300;

    @Test
    void kafkaJsProducesAndConsumesInAGroup() throws Exception {
        SystemPackages.require("node", "nodejs");
        SystemPackages.require("npm", "npm");
        Path modules = KafkaJs.install(HearthServer.workDir().resolve("kafkajs"));
        Path script = Path.of(KafkaJsIT.class.getResource("/kafkajs/roundtrip.js").toURI());
        try (HearthServer server = HearthServer.onFreshDataDir("kafkajs").start()) {
            String output = KafkaJs.run(List.of("node", script.toString(), server.bootstrapServers(), "kafkajs-orders",
                    "kafkajs-group", Integer.toString(RECORDS)), modules);
            JsonObject result = Json.createReader(new StringReader(output.lines()
                    .filter(line -> line.startsWith("{")).reduce((first, last) -> last).orElseThrow(
                            () -> new AssertionError("no result line from KafkaJS:\n" + output)))).readObject();
            assertEquals(3, result.getInt("partitions"), "the topic KafkaJS created has its 3 partitions");
            List<JsonObject> seen = result.getJsonArray("seen").stream().map(JsonValue::asJsonObject).toList();
            assertEquals(RECORDS, seen.size());
            Set<String> values = new HashSet<>();
            Map<String, Integer> partitionOfKey = new HashMap<>();
            Map<Integer, Integer> lastOffset = new HashMap<>();
            for (JsonObject record : seen) {
                assertTrue(values.add(record.getString("value")), "each record once: " + record);
                assertEquals(record.getString("value"), "v" + record.getString("n"), "headers kept: " + record);
                Integer previous = partitionOfKey.putIfAbsent(record.getString("key"), record.getInt("partition"));
                assertTrue(previous == null || previous == record.getInt("partition"),
                        "a key stays in one partition: " + record);
                int offset = record.getInt("offset");
                assertTrue(offset > lastOffset.getOrDefault(record.getInt("partition"), -1),
                        "offset order within a partition: " + record);
                lastOffset.put(record.getInt("partition"), offset);
            }
            JsonObject group = new RestClient(server.baseUri())
                    .get(RestClient.CLUSTER + "/consumer-groups/kafkajs-group").object();
            assertEquals(0, group.getJsonNumber("total_lag").longValue(), "KafkaJS committed its offsets: " + group);
        }
    }
}
