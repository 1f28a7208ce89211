package dev.hearth.connect.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/** No worker: a 503 problem, with Connect's members, that says how to enable it when it is switched off. */
class ConnectWorkerUnavailableMapperTest {

    @Test
    void aDisabledWorkerIsA503SayingHowToEnableIt() {
        Response response = new ConnectWorkerUnavailableMapper().toResponse(new ConnectWorkerUnavailableException(
                "The Kafka Connect worker is disabled: start Hearth with hearth.connect.enabled=true", true));
        JsonObject problem = Json.createReader(new StringReader((String) response.getEntity())).readObject();

        assertEquals(503, response.getStatus());
        assertTrue(problem.getString("type").endsWith("/connect-disabled"), problem.toString());
        assertTrue(problem.getString("detail").contains("hearth.connect.enabled=true"), problem.toString());
        assertEquals(503, problem.getInt("error_code"), problem.toString());
        assertEquals(problem.getString("detail"), problem.getString("message"), problem.toString());
    }

    @Test
    void aStartingWorkerIsA503OfAnotherType() {
        Response response = new ConnectWorkerUnavailableMapper().toResponse(
                new ConnectWorkerUnavailableException("The Kafka Connect worker is starting", false));
        JsonObject problem = Json.createReader(new StringReader((String) response.getEntity())).readObject();

        assertEquals(503, response.getStatus());
        assertTrue(problem.getString("type").endsWith("/connect-unavailable"), problem.toString());
    }
}
