package dev.hearth.connect.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;

import org.apache.kafka.connect.errors.AlreadyExistsException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.rest.errors.BadRequestException;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.rest.Problem;

/** Connect's failures as Hearth problems that Connect tooling still reads: status, error_code and message. */
class ConnectErrorMapperTest {

    @Test
    void anUnknownConnectorIsA404WithConnectsMembers() {
        JsonObject problem = problemOf(new ConnectErrorMapper().toResponse(
                new NotFoundException("Connector lines not found")), 404);
        assertEquals(404, problem.getInt("error_code"), problem.toString());
        assertEquals("Connector lines not found", problem.getString("message"), problem.toString());
        assertTrue(problem.getString("type").endsWith("/connect-not-found"), problem.toString());
    }

    @Test
    void anExistingConnectorIsA409() {
        problemOf(new ConnectErrorMapper().toResponse(new AlreadyExistsException("Connector lines already exists")), 409);
    }

    @Test
    void anInvalidConfigIsA400WithConnectsValidationMessage() {
        String validation = "Connector configuration is invalid and contains the following 1 error(s):\n"
                + "Must configure one of topics or topics.regex";
        JsonObject problem = problemOf(new ConnectErrorMapper().toResponse(new BadRequestException(validation)), 400);
        assertEquals(validation, problem.getString("message"), "Connect's own wording reaches the client");
        assertEquals(validation, problem.getString("detail"));
        assertEquals(400, problem.getInt("error_code"));
    }

    @Test
    void anUnexpectedFailureIsA500WhoseMessageStaysInTheLog() {
        JsonObject problem = problemOf(new ConnectErrorMapper().toResponse(
                new ConnectException("Failed to read /var/lib/hearth/x: java.io.IOException")), 500);
        assertFalse(problem.toString().contains("/var/lib"), "no file names in the answer: " + problem);
        assertEquals(500, problem.getInt("error_code"));
    }

    private static JsonObject problemOf(Response response, int status) {
        assertEquals(status, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        JsonObject problem = Json.createReader(new StringReader((String) response.getEntity())).readObject();
        assertEquals(status, problem.getInt("status"), problem.toString());
        return problem;
    }
}
