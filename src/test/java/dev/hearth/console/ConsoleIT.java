package dev.hearth.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;
import dev.hearth.platform.SystemPackages;

/**
 * The admin console as a browser renders it: real headless Chromium against a real Hearth on Payara Micro.
 * Each check loads a deep link with {@code --dump-dom}, letting the page's scripts and REST calls run within
 * a virtual-time budget, and asserts on the DOM they produced; screenshots land in the work directory for a
 * human to look at. The create and delete dialogs are driven through Selenium and chromedriver. Skips, saying
 * why, without Chromium (Debian packages {@code chromium} and {@code chromium-driver}).
 */
class ConsoleIT {

    private static final String TOPIC = "console-orders";
    private static final String CUSTOMER = "ada-lovelace";
    /** Virtual time the page gets to load, call the API and render; the poller's 2 s timers fit in it. */
    private static final int VIRTUAL_TIME_BUDGET_MS = 10_000;

    private static HearthServer server;
    private static RestClient rest;

    @BeforeAll
    static void startHearthWithRecords() throws IOException {
        SystemPackages.require("chromium", "chromium");
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("console-data-" + System.nanoTime()));
        // Chromium's --dump-dom cannot answer a Basic prompt: this server runs with the API's security off.
        server = new HearthServer(dataDir, "console").with("hearth.security.enabled", "false").start();
        rest = new RestClient(server.baseUri());
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", TOPIC).add("partitions_count", 3).build());
        assertEquals(201, created.status(), "topic creation should answer 201: " + created);
        var records = Json.createArrayBuilder();
        for (int order = 1; order <= 5; order++) {
            String value = "{\"order\":" + order + ",\"customer\":\"" + CUSTOMER + "\",\"total\":" + (order * 10) + "}";
            records.add(Json.createObjectBuilder()
                    .add("partition_id", 0)
                    .add("key", Json.createObjectBuilder().add("type", "STRING").add("data", "order-" + order))
                    .add("value", Json.createObjectBuilder().add("type", "BINARY").add("data", base64(value)))
                    .add("headers", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("name", "trace-id").add("value", base64("trace-" + order)))));
        }
        Reply produced = rest.post(RestClient.CLUSTER + "/topics/" + TOPIC + "/records", records.build());
        assertEquals(200, produced.status(), "producing the sample records should succeed: " + produced);
    }

    @AfterAll
    static void stopHearth() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void topicsTableListsTheTopicWithItsPartitionCount() throws Exception {
        String dom = dumpDom("/#/topics");
        assertTrue(dom.contains("href=\"#/topics/" + TOPIC + "\""), "the topics table should link to " + TOPIC + ":\n" + dom);
        assertTrue(Pattern.compile(">" + TOPIC + "</a></th><td class=\"num\">3</td>").matcher(dom).find(),
                "the topics table should show 3 partitions in the row of " + TOPIC + ":\n" + dom);
        assertTrue(dom.contains("Delete topic " + TOPIC), "each topic row should offer a labelled delete button:\n" + dom);
    }

    @Test
    void messageDeepLinkShowsPartitionsAndPrettyPrintedRecords() throws Exception {
        String dom = dumpDom("/#/topics/" + TOPIC + "/messages?partition=0&offset=0");
        assertTrue(dom.contains("<h1>" + TOPIC + "</h1>"), "the topic view should be titled with the topic name:\n" + dom);
        assertTrue(dom.contains("<dt>Partitions</dt><dd>3</dd>"), "the topic view should count 3 partitions:\n" + dom);
        assertTrue(dom.contains("Partition 0, offsets 0–4"), "the message browser should read offsets 0-4 of partition 0:\n" + dom);
        assertTrue(dom.contains("\"customer\": \"" + CUSTOMER + "\""),
                "a base64 JSON value should be decoded and pretty-printed:\n" + dom);
        assertTrue(dom.contains("order-3") && dom.contains("trace-3"), "keys and headers should be decoded to text:\n" + dom);
        screenshot("/#/topics/" + TOPIC + "/messages?partition=0&offset=0", "console-messages.png");
    }

    @Test
    void overviewCountsTopicsAndPartitions() throws Exception {
        // What the console must show: the cluster summary when the server has one, else the topic list's totals.
        Reply summary = rest.get(RestClient.CLUSTER);
        long topics;
        long partitions;
        if (summary.status() == 200) {
            topics = summary.object().getJsonNumber("topics_count").longValue();
            partitions = summary.object().getJsonNumber("partitions_count").longValue();
        } else {
            var list = rest.get(RestClient.CLUSTER + "/topics").object().getJsonArray("data");
            topics = list.size();
            partitions = list.stream().mapToLong(t -> t.asJsonObject().getInt("partitions_count")).sum();
        }
        String dom = dumpDom("/#/");
        assertTrue(dom.contains("<dt>Topics</dt><dd>" + topics + "</dd>"), "the overview should count " + topics + " topics:\n" + dom);
        assertTrue(dom.contains("<dt>Partitions</dt><dd>" + partitions + "</dd>"),
                "the overview should count " + partitions + " partitions:\n" + dom);
        assertTrue(dom.contains("id=\"produce-chart\"") && dom.contains("id=\"lag-chart\""),
                "the overview should carry the produce-rate and lag charts:\n" + dom);
        screenshot("/#/", "console-overview.png");
    }

    @Test
    void operatorCreatesAndDeletesATopicThroughDialogs() throws Exception {
        SystemPackages.require("chromedriver", "chromium-driver");
        String created = "console-created";
        ChromeOptions options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,900", "--user-data-dir="
                                + Files.createTempDirectory(HearthServer.workDir(), "chromium-profile-"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .withLogFile(HearthServer.workDir().resolve("chromedriver.log").toFile())
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(url("/#/topics"));
            click(browser, By.xpath("//button[normalize-space()='+ Create topic']"));
            WebElement name = visible(browser, By.id("new-topic-name"));
            assertEquals(name, browser.switchTo().activeElement(), "the create dialog should focus its first field");
            name.sendKeys(created);
            WebElement partitionsField = browser.findElement(By.id("new-topic-partitions"));
            partitionsField.clear();
            partitionsField.sendKeys("2");
            browser.findElement(By.id("dialog-confirm")).click();
            await("the console shows the new topic " + created).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> browser.findElement(By.tagName("h1")).getText().equals(created)
                            && browser.findElement(By.xpath("//dl[@class='stats']//dt[.='Partitions']/following-sibling::dd"))
                                    .getText().equals("2"));
            Reply described = topicFromList(created);
            assertEquals(200, described.status(), "the dialog should have created " + created + " over REST");

            browser.get(url("/#/topics"));
            By deleteButton = By.cssSelector("button[aria-label='Delete topic " + created + "']");
            click(browser, deleteButton);
            visible(browser, By.id("dialog-title"));
            assertEquals(browser.findElement(By.id("dialog-cancel")), browser.switchTo().activeElement(),
                    "a destructive confirmation should focus Cancel, so Enter does not delete");
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    HearthServer.workDir().resolve("console-delete-confirmation.png"), StandardCopyOption.REPLACE_EXISTING);
            browser.findElement(By.id("dialog-cancel")).click();
            assertEquals(200, topicFromList(created).status(), "cancelling the confirmation should keep the topic");

            click(browser, deleteButton);
            visible(browser, By.id("dialog-confirm")).click();
            WebElement banner = browser.findElement(By.id("banner"));
            await("the topics table drops " + created + ", or an error shows").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> banner.isDisplayed() || browser.findElements(deleteButton).isEmpty());
            assertFalse(banner.isDisplayed(), "deleting " + created + " should not fail: " + banner.getText());
            assertFalse(browser.findElement(By.id("dialog")).isDisplayed(), "the dialog should close once the topic is deleted");
            assertEquals(404, topicFromList(created).status(), "confirming should have deleted " + created + " over REST");
        } finally {
            browser.quit();
        }
    }

    /** 200 with the topic when the topic list has it, else 404: independent of the describe route. */
    private static Reply topicFromList(String name) {
        Reply list = rest.get(RestClient.CLUSTER + "/topics");
        return list.object().getJsonArray("data").stream()
                .filter(t -> t.asJsonObject().getString("topic_name").equals(name))
                .findFirst()
                .map(t -> new Reply(200, list.contentType(), t.toString()))
                .orElse(new Reply(404, list.contentType(), list.body()));
    }

    private static WebElement visible(WebDriver browser, By locator) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static void click(WebDriver browser, By locator) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(locator)).click();
    }

    @Test
    void aGroupsLagIsShownPerPartition() throws Exception {
        Reply reset = rest.post(RestClient.CLUSTER + "/consumer-groups/console-readers/offsets:reset",
                Json.createObjectBuilder().add("to", "offsets").add("offsets", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("topic_name", TOPIC).add("partition_id", 0).add("offset", 2)))
                        .build());
        assertEquals(200, reset.status(), "committing offset 2 for a new group should succeed: " + reset);
        String dom = dumpDom("/#/groups/console-readers");
        assertTrue(dom.contains("console-readers"), "the group page names the group");
        assertTrue(java.util.regex.Pattern.compile("value=\"3\"[^>]*aria-label=\"lag of " + TOPIC + " partition 0\"")
                .matcher(dom).find(), "partition 0 shows a lag of 3 (5 records, committed offset 2)");
        screenshot("/#/groups/console-readers", "console-group-lag.png");
    }

    @Test
    void problemDetailsOfAFailedRequestAppearInTheBanner() throws Exception {
        String dom = dumpDom("/#/topics/no-such-topic");
        assertTrue(Pattern.compile("<div id=\"banner\" class=\"banner\" role=\"alert\">").matcher(dom).find(),
                "the error banner should be shown (not hidden) for an unknown topic:\n" + dom);
        assertTrue(dom.contains("Unknown topic or partition"), "the banner should show the problem's title:\n" + dom);
        assertTrue(dom.contains("no-such-topic"), "the banner should show the problem's detail naming the topic:\n" + dom);
    }

    private static String dumpDom(String link) throws Exception {
        return new String(chromium(List.of("--dump-dom", url(link))), StandardCharsets.UTF_8);
    }

    private static void screenshot(String link, String fileName) throws Exception {
        Path png = HearthServer.workDir().resolve(fileName).toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(List.of("--hide-scrollbars", "--window-size=1280,900", "--screenshot=" + png, url(link)));
        assertTrue(Files.size(png) > 10_000, "Chromium should have written a screenshot to " + png);
        System.out.println("Console screenshot: " + png);
    }

    private static String url(String link) {
        return URI.create(server.baseUri() + link).toString();
    }

    /** Runs headless Chromium to completion on a fresh profile; answers its standard output. */
    private static byte[] chromium(List<String> arguments) throws Exception {
        Path profile = Files.createTempDirectory(HearthServer.workDir(), "chromium-profile-");
        Path log = HearthServer.workDir().resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS));
        command.addAll(arguments);
        Path output = Files.createTempFile(HearthServer.workDir(), "chromium-", ".out");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 2 minutes: " + command + "; see " + log);
        }
        assertEquals(0, process.exitValue(), "Chromium should exit normally: " + command + "; see " + log);
        return Files.readAllBytes(output);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
