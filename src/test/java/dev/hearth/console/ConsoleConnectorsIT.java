package dev.hearth.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.hearth.connect.ConnectWorkerIT;
import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;

/**
 * The console's Connectors view against a Hearth running its Kafka Connect worker with the file connectors: a
 * running source and a sink whose task fails (its output directory does not exist), shown with their states,
 * workers, tasks and the failed task's trace; Pause, Resume and Delete (through the confirmation dialog) driven
 * through the buttons. One Payara and one browser for the class, signed in as the test admin.
 */
class ConsoleConnectorsIT {

    private static final String CONNECT = "/api/connect";
    private static final Duration WORKER_TIMEOUT = Duration.ofMinutes(5);

    private static HearthServer server;
    private static RestClient rest;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void startHearthWithConnectors() throws IOException {
        server = ConnectWorkerIT.connectServer(HearthServer.onFreshDataDir("console-connectors"));
        browser = ConsoleBrowser.signedInTo(server.baseUri());
        server.start();
        rest = new RestClient(server.baseUri());
        Path files = Files.createDirectories(server.dataDir().resolveSibling(server.dataDir().getFileName() + "-files"));
        Path input = Files.writeString(files.resolve("input.txt"), "one\ntwo\nthree\n");
        await("the worker lists the file connectors").atMost(WORKER_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rest.get(CONNECT + "/connector-plugins").status() == 200);
        assertEquals(201, rest.post(CONNECT + "/connectors", connector("console-source",
                "org.apache.kafka.connect.file.FileStreamSourceConnector", "file", input.toString(), "topic", "console-lines"))
                .status());
        assertEquals(201, rest.post(CONNECT + "/connectors", connector("console-sink",
                "org.apache.kafka.connect.file.FileStreamSinkConnector",
                "file", files.resolve("no-such-directory/output.txt").toString(), "topics", "console-lines")).status());
        await("the source runs and the sink's task failed").atMost(WORKER_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> taskState("console-source").equals("RUNNING") && taskState("console-sink").equals("FAILED"));
    }

    @AfterAll
    static void stopHearth() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectorsAndTasksAreListedWithStatesAndTheFailedTasksTrace() {
        browser.open("/#/connectors");
        WebElement source = row("Connectors", "console-source");
        assertEquals("RUNNING", source.findElement(By.cssSelector("[data-state]")).getAttribute("data-state"),
                "the source's state badge:\n" + browser.dom());
        assertTrue(source.getText().contains("source"), "the connector's type is shown: " + source.getText());
        WebElement failedTask = row("Tasks", "console-sink-0");
        assertEquals("FAILED", failedTask.findElement(By.cssSelector("[data-state]")).getAttribute("data-state"),
                "the sink's task is FAILED:\n" + browser.dom());
        assertTrue(failedTask.findElement(By.cssSelector("details pre")).getAttribute("textContent")
                .contains("Exception"), "the failed task's trace is there to unfold:\n" + browser.dom());
        assertEquals(List.of(), browser.consoleErrors(), "the view logs no errors in the browser console");
    }

    @Test
    void pauseResumeAndDeleteWorkThroughTheButtons() {
        browser.open("/#/connectors");
        row("Connectors", "console-source").findElement(By.xpath(".//button[normalize-space()='Pause']")).click();
        await("the source is PAUSED").atMost(WORKER_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> connectorState("console-source").equals("PAUSED"));
        browser.open("/#/connectors");
        row("Connectors", "console-source").findElement(By.xpath(".//button[normalize-space()='Resume']")).click();
        await("the source is RUNNING again").atMost(WORKER_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> connectorState("console-source").equals("RUNNING"));

        // A connector of its own to delete: the other test, in whatever order it runs, needs the two above.
        assertEquals(201, rest.post(CONNECT + "/connectors", connector("console-doomed",
                "org.apache.kafka.connect.file.FileStreamSinkConnector",
                "file", server.dataDir().resolveSibling("doomed.txt").toString(), "topics", "console-lines")).status());
        browser.open("/#/connectors");
        row("Connectors", "console-doomed").findElement(By.xpath(".//button[normalize-space()='Delete']")).click();
        browser.visible(By.id("dialog-title"));
        browser.driver().findElement(By.id("dialog-confirm")).click();
        await("the connector is deleted").atMost(WORKER_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> rest.get(CONNECT + "/connectors/console-doomed").status() == 404);
        assertEquals(List.of(), browser.consoleErrors(), "no errors in the browser console");
    }

    /** The row of a table (by its caption) whose first cell names {@code name}. */
    private static WebElement row(String caption, String name) {
        return browser.visible(By.xpath("//table[caption[normalize-space()='" + caption + "']]/tbody/tr[th[normalize-space()='"
                + name + "']]"));
    }

    private static String connectorState(String connector) {
        return rest.get(CONNECT + "/connectors/" + connector + "/status").object().getJsonObject("connector")
                .getString("state");
    }

    private static String taskState(String connector) {
        return rest.get(CONNECT + "/connectors/" + connector + "/status").object().getJsonArray("tasks")
                .getJsonObject(0).getString("state");
    }

    private static JsonObject connector(String name, String connectorClass, String key1, String value1, String key2,
                                        String value2) {
        return Json.createObjectBuilder().add("name", name).add("config", Json.createObjectBuilder()
                .add("connector.class", connectorClass).add(key1, value1).add(key2, value2)).build();
    }
}
