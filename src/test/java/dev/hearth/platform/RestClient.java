package dev.hearth.platform;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

/**
 * Hearth's REST API as a plain HTTP client sees it: status, content type and parsed JSON body. Sends HTTP Basic
 * credentials on every request: {@link HearthServer}'s admin test user unless told otherwise.
 */
public final class RestClient {

    public static final String CLUSTER = "/api/v3/clusters/hearth";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    /** The Authorization header value, or null for none. */
    private final String authorization;

    public RestClient(URI base) {
        this(base, HearthServer.ADMIN_USER, HearthServer.ADMIN_PASSWORD);
    }

    public RestClient(URI base, String user, String password) {
        this.base = base;
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A client that sends no credentials. */
    public static RestClient anonymous(URI base) {
        return new RestClient(base, null, null);
    }

    public URI base() {
        return base;
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    public Reply post(String path, JsonValue body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    }

    public Reply put(String path, JsonValue body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    }

    public Reply postRaw(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public Reply delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE().build());
    }

    private Reply send(HttpRequest unauthenticated) {
        HttpRequest request = authorization == null ? unauthenticated
                : HttpRequest.newBuilder(unauthenticated, (name, value) -> true)
                        .header("Authorization", authorization).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().firstValue("WWW-Authenticate").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One HTTP answer. */
    public record Reply(int status, String contentType, String body, String wwwAuthenticate) {

        public Reply(int status, String contentType, String body) {
            this(status, contentType, body, "");
        }

        public JsonStructure json() {
            return Json.createReader(new StringReader(body)).read();
        }

        public JsonObject object() {
            return (JsonObject) json();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
