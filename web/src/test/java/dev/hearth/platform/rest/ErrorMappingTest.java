package dev.hearth.platform.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;

/**
 * The error mapping without a server: every domain error becomes an RFC 9457 problem with its status, a stable
 * type and a detail; a server error's message (which names files) never reaches the body; the last-resort
 * mapper says nothing about the exception.
 */
class ErrorMappingTest {

    private static final String SECRET_PATH = "/var/lib/hearth-data/topics/orders/0/00000000000000000000.log";
    private static final Pattern INTERNALS = Pattern.compile("Exception|\\bat (dev|java|org)\\.|\\.java:|/var/lib");

    @ParameterizedTest
    @EnumSource(HearthError.class)
    void everyDomainErrorIsAProblemWithItsStatusAndNoServerInternals(HearthError error) {
        HearthConnectionException failure = new HearthConnectionException(error,
                "could not write " + SECRET_PATH + ": java.io.IOException: No space left on device", Map.of("topic", "orders"));

        Response response = new HearthErrorMapper().toResponse(failure);
        JsonObject problem = problemOf(response);

        int status = HearthErrorMapper.status(error);
        assertEquals(status, response.getStatus(), error + " status");
        assertEquals(status, problem.getInt("status"), error + " status in the body");
        assertTrue(problem.getString("type").endsWith("/" + HearthErrorMapper.kind(error)), "stable type: " + problem);
        assertEquals(HearthErrorMapper.title(error), problem.getString("title"));
        assertTrue(problem.getString("instance").startsWith("urn:uuid:"), "an instance id to find the log line");
        assertEquals("orders", problem.getString("topic"), "recovery data as an extension member");
        if (status >= 500) {
            assertFalse(INTERNALS.matcher(problem.toString()).find(), error + " leaks internals: " + problem);
        } else {
            assertTrue(problem.getString("detail").contains("could not write"), "a client error explains itself");
        }
    }

    @Test
    void aFullDiskIsA507ThatSaysSo() {
        JsonObject problem = problemOf(new HearthErrorMapper().toResponse(
                new HearthConnectionException(HearthError.DISK_FULL, "Partition orders-0 rejected an append", Map.of())));
        assertEquals(507, problem.getInt("status"));
        assertTrue(problem.getString("detail").contains("no space left"), "the detail names the cause: " + problem);
    }

    @Test
    void anUnexpectedErrorIsA500WithoutItsMessageClassOrStack() {
        Response response = new UnexpectedErrorMapper().toResponse(
                new IllegalStateException("boom in " + SECRET_PATH, new NullPointerException()));
        JsonObject problem = problemOf(response);
        assertEquals(500, response.getStatus());
        assertFalse(INTERNALS.matcher(problem.toString()).find(), "no internals: " + problem);
        assertFalse(problem.toString().contains("boom"), "not even the message: " + problem);
    }

    private static JsonObject problemOf(Response response) {
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString(), "problem+json");
        return Json.createReader(new StringReader((String) response.getEntity())).readObject();
    }
}
