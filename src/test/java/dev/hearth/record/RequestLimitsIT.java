package dev.hearth.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/** A request body over the configured limit is refused with a 413 problem and changes nothing. */
class RequestLimitsIT {

    @Test
    void anOversizedBodyIsRefusedWith413AndNothingIsAppended() throws Exception {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("limits-data-" + System.nanoTime()));
        try (HearthServer server = new HearthServer(dataDir, "limits").with("hearth.http.max.body.bytes", "4096").start()) {
            RestClient rest = new RestClient(server.baseUri());
            assertEquals(201, rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                    .add("topic_name", "limited").build()).status(), "the topic is created");
            String huge = "{\"value\":{\"type\":\"STRING\",\"data\":\"" + "x".repeat(8 * 1024) + "\"}}";
            Reply refused = rest.postRaw(RestClient.CLUSTER + "/topics/limited/records", "application/json", huge);
            assertEquals(413, refused.status(), "an 8 KiB body exceeds the configured 4 KiB: " + refused.status());
            assertTrue(refused.contentType().startsWith("application/problem+json"), "the refusal is problem+json");
            assertTrue(refused.object().getString("detail").contains("hearth.http.max.body.bytes"),
                    "the detail names the setting: " + refused.body());
            Reply topic = rest.get(RestClient.CLUSTER + "/topics/limited");
            assertEquals(0, topic.object().getJsonArray("partitions").getJsonObject(0).getJsonNumber("logEndOffset").longValue(),
                    "nothing was appended");
        }
    }
}
