package dev.hearth.platform;

import static dev.hearth.platform.HearthServer.freePort;
import static dev.hearth.platform.HearthServer.requiredFile;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hearth.platform.userapp.FailingStartupBean;
import dev.hearth.platform.userapp.GreetingServlet;

/**
 * A user's applications deployed next to Hearth the documented way: {@code bin/hearth [archive | directory]...}
 * itself, as a process on a fresh data directory and free ports. The script runs the reactor's archives and Payara
 * Micro jar (HEARTH_RAR, HEARTH_WAR, HEARTH_PAYARA_MICRO_JAR), so it neither builds nor downloads. Readiness names
 * an application that failed to deploy, which Payara Micro itself only logs; with good applications only, it is UP.
 */
class UserDeploymentIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newHttpClient();
    /** The bin/hearth process of the running test, if any. */
    private Process hearth;
    private Path logFile;

    @AfterEach
    void stop() throws InterruptedException {
        if (hearth != null && hearth.isAlive()) {
            hearth.destroy(); // SIGTERM, as Ctrl-C: the script exec'd Java, so this reaches Payara Micro
            if (!hearth.waitFor(2, TimeUnit.MINUTES)) {
                hearth.destroyForcibly();
            }
        }
    }

    @Test
    void readinessIsDownAndNamesTheApplicationThatFailedToDeploy() throws Exception {
        Path dir = Files.createDirectories(HearthServer.workDir().resolve("user-deployment-" + System.nanoTime()));
        int httpPort = freePort();
        start("user-deployment-failed", httpPort, greetingWar(dir).toString(), paymentsWar(dir).toString());

        JsonObject deployments = await("hearth-deployments reports the failed application (log: " + logFile + ")")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> deploymentsCheck(readiness(httpPort)), check -> check.getJsonObject("data").containsKey("failed"));

        HttpResponse<String> ready = readiness(httpPort);
        assertEquals(503, ready.statusCode(), "readiness is DOWN while a requested application failed: " + ready.body());
        assertEquals("DOWN", json(ready.body()).getString("status"), ready.body());
        JsonObject data = deployments.getJsonObject("data");
        assertEquals("DOWN", deployments.getString("status"), "the deployments check is DOWN: " + deployments);
        assertEquals("payments", data.getString("failed"), "it names the application that failed, only that one: " + deployments);
        assertEquals("hearth,greeting", data.getString("started"), "Hearth and the good application started: " + deployments);
        assertEquals("UP", check(ready.body(), "hearth-engine").getString("status"), "the engine itself is fine: " + ready.body());
        assertEquals("hello from a user's application", get(httpPort, "/greeting/hello").body(),
                "the good application next to the failed one serves requests");
    }

    @Test
    void readinessIsUpOnceEveryApplicationOfADeploymentDirectoryStarted() throws Exception {
        Path dir = Files.createDirectories(HearthServer.workDir().resolve("user-deployment-" + System.nanoTime()));
        greetingWar(dir);
        int httpPort = freePort();
        start("user-deployment-directory", httpPort, dir.toString());

        // Polled often: Payara serves health seconds before Hearth's application starts, and an UP in that window
        // (checks that cannot run yet left out) would show here as an UP without the deployments check.
        HttpResponse<String> ready = await("readiness UP with the directory's application started (log: " + logFile + ")")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> readiness(httpPort), reply -> reply.statusCode() == 200);

        JsonObject deployments = deploymentsCheck(ready);
        assertEquals("UP", deployments.getString("status"), deployments.toString());
        assertEquals("hearth,greeting", deployments.getJsonObject("data").getString("started"),
                "the directory's WAR is deployed after Hearth and started: " + deployments);
        assertFalse(deployments.getJsonObject("data").containsKey("failed"), deployments.toString());
        assertEquals("UP", check(ready.body(), "hearth-engine").getString("status"), ready.body());
        assertEquals(200, get(httpPort, "/greeting/hello").statusCode(), "the directory's application serves requests");
    }

    @Test
    void anEarIsRefusedWithWhereItCanBeDeployed() throws Exception {
        Path dir = Files.createDirectories(HearthServer.workDir().resolve("user-deployment-" + System.nanoTime()));
        Path ear = Files.write(dir.resolve("shop.ear"), new byte[] {'P', 'K', 5, 6});
        Path dataDir = dir.resolve("data");

        Refusal refusal = refused("user-deployment-ear", dataDir, ear.toString());

        assertTrue(refusal.output().contains("Payara Micro cannot deploy an EAR") && refusal.output().contains("Payara Server"),
                "the message says why and where an EAR does deploy: " + refusal.output());
        assertFalse(Files.exists(dataDir), "nothing was started, not even a data directory created");
    }

    @Test
    void twoApplicationsWithOneNameAreRefused() throws Exception {
        Path dir = Files.createDirectories(HearthServer.workDir().resolve("user-deployment-" + System.nanoTime()));
        Path first = greetingWar(Files.createDirectories(dir.resolve("a")));
        Path second = greetingWar(Files.createDirectories(dir.resolve("b")));
        Path named = dir.resolve("hearth.war");
        Files.copy(first, named);

        Refusal sameName = refused("user-deployment-same-name", dir.resolve("data"), first.toString(), second.toString());
        assertTrue(sameName.output().contains("an application named 'greeting' is already deployed"), sameName.output());
        Refusal hearthName = refused("user-deployment-hearth-name", dir.resolve("data"), named.toString());
        assertTrue(hearthName.output().contains("an application named 'hearth' is already deployed"), hearthName.output());
    }

    private record Refusal(int exitCode, String output) {
    }

    /** Runs bin/hearth expecting it to refuse its arguments before starting anything. */
    private Refusal refused(String name, Path dataDir, String... arguments) throws Exception {
        start(name, freePort(), dataDir, arguments);
        assertTrue(hearth.waitFor(1, TimeUnit.MINUTES), "bin/hearth refuses at once; see " + logFile);
        String output = Files.readString(logFile);
        assertEquals(2, hearth.exitValue(), "exit code 2 (usage error): " + output);
        return new Refusal(hearth.exitValue(), output);
    }

    private void start(String name, int httpPort, String... arguments) throws IOException {
        start(name, httpPort, HearthServer.workDir().resolve(name + "-data-" + System.nanoTime()), arguments);
    }

    private void start(String name, int httpPort, Path dataDir, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", script().toString()));
        command.addAll(List.of(arguments));
        logFile = HearthServer.workDir().resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
        Map<String, String> environment = builder.environment();
        environment.put("HEARTH_DATA_DIR", dataDir.toString());
        environment.put("HEARTH_HTTP_PORT", Integer.toString(httpPort));
        environment.put("HEARTH_KAFKA_PORT", Integer.toString(freePort()));
        environment.put("HEARTH_RAR", requiredFile("hearth.rar"));
        environment.put("HEARTH_WAR", requiredFile("hearth.war"));
        environment.put("HEARTH_PAYARA_MICRO_JAR", requiredFile("payara.microJar"));
        environment.put("HEARTH_JAVA_OPTS", "-Xmx512m");
        hearth = builder.start();
    }

    /** bin/hearth of this source tree: next to the pre-boot command file the build names. */
    private static Path script() {
        return Path.of(requiredFile("hearth.preboot")).toAbsolutePath().resolveSibling("hearth");
    }

    private HttpResponse<String> readiness(int httpPort) throws IOException, InterruptedException {
        if (!hearth.isAlive()) {
            throw new AssertionError("bin/hearth exited with " + hearth.exitValue() + "; see " + logFile);
        }
        return get(httpPort, "/health/ready");
    }

    private HttpResponse<String> get(int httpPort, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The hearth-deployments check of a readiness response; fails (so that an await retries) while it is absent. */
    private static JsonObject deploymentsCheck(HttpResponse<String> readiness) {
        return check(readiness.body(), "hearth-deployments");
    }

    private static JsonObject check(String health, String name) {
        return json(health).getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(check -> check.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + health));
    }

    private static JsonObject json(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }

    /** A good application: a servlet, nothing else. */
    private static Path greetingWar(Path dir) {
        File target = dir.resolve("greeting.war").toFile();
        ShrinkWrap.create(WebArchive.class, "greeting.war").addClass(GreetingServlet.class)
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }

    /** An application that fails to deploy: its start-up bean throws. */
    private static Path paymentsWar(Path dir) {
        File target = dir.resolve("payments.war").toFile();
        ShrinkWrap.create(WebArchive.class, "payments.war").addClass(FailingStartupBean.class)
                .as(ZipExporter.class).exportTo(target, true);
        return target.toPath();
    }
}
