package dev.hearth.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * Managing Hearth through the console, in real headless Chromium against a real Hearth on Payara Micro, security
 * on (issue 17): topic configs, record headers, message search and seek by time, per-partition offset resets with a
 * preview, the console's own sign-in page and sign-out, and the small things that were broken (the broker card, a
 * stray "null", the topic-name pattern, the banner under dialogs, the lag card, tables at narrow widths). Every check
 * drives the page as a person would and then asks the REST API what actually happened. One Payara and two browsers
 * (the admin's, and an anonymous one that signs in) for the class. Skips without Chromium.
 */
class ConsoleManageIT {

    private static final String TOPIC = "manage-orders";
    private static final String GROUP = "manage-readers";
    /** Record i (from 0) of partition 0 has this timestamp plus i minutes: far from now, so seeking by time is exact. */
    private static final long FIRST_TIMESTAMP_MS = 1_700_000_000_000L;
    private static final int RECORDS_IN_PARTITION_0 = 5;
    private static final int RECORDS_IN_OTHER_PARTITIONS = 3;

    private static HearthServer server;
    private static RestClient rest;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void startHearthWithRecordsAndAGroup() throws IOException {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("console-manage-data-" + System.nanoTime()));
        server = new HearthServer(dataDir, "console-manage");
        browser = ConsoleBrowser.signedInTo(server.baseUri());
        server.start();
        rest = new RestClient(server.baseUri());
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", TOPIC).add("partitions_count", 3).build());
        assertEquals(201, created.status(), "topic creation should answer 201: " + created);
        var records = Json.createArrayBuilder();
        for (int i = 0; i < RECORDS_IN_PARTITION_0; i++) {
            records.add(record(0, "order-" + i, "{\"order\":" + i + ",\"customer\":\"customer-" + i + "\"}")
                    .add("timestamp", FIRST_TIMESTAMP_MS + i * 60_000L));
        }
        for (int partition = 1; partition <= 2; partition++) {
            for (int i = 0; i < RECORDS_IN_OTHER_PARTITIONS; i++) {
                records.add(record(partition, "p" + partition + "-" + i, "plain text " + i));
            }
        }
        Reply produced = rest.post(RestClient.CLUSTER + "/topics/" + TOPIC + "/records", records.build());
        assertEquals(200, produced.status(), "producing the sample records should succeed: " + produced);
        Reply committed = rest.post(RestClient.CLUSTER + "/consumer-groups/" + GROUP + "/offsets:reset", Json.createObjectBuilder()
                .add("to", "latest").add("topics", Json.createArrayBuilder().add(TOPIC)).build());
        assertEquals(200, committed.status(), "committing the log end offsets for " + GROUP + " should succeed: " + committed);
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
    void overviewNamesTheBrokerAndItsLagCardFollowsTheChart() {
        Reply cluster = rest.get(RestClient.CLUSTER);
        int brokerId = cluster.object().getJsonObject("broker").getInt("broker_id");
        String dom = browser.open("/#/").dom();
        assertTrue(dom.contains("broker " + brokerId), "the broker card should name broker " + brokerId + ":\n" + dom);
        assertFalse(dom.contains("undefined"), "nothing on the overview should read 'undefined':\n" + dom);

        long lagBefore = totalLag();
        Reply reset = rest.post(RestClient.CLUSTER + "/consumer-groups/lag-readers/offsets:reset", Json.createObjectBuilder()
                .add("to", "offsets").add("offsets", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("topic_name", TOPIC).add("partition_id", 0).add("offset", 2))).build());
        assertEquals(200, reset.status(), "committing offset 2 for lag-readers should succeed: " + reset);
        long lagAfter = totalLag();
        assertEquals(lagBefore + RECORDS_IN_PARTITION_0 - 2, lagAfter, "the new group adds 3 records of lag");
        WebElement lagCard = browser.driver().findElement(By.id("total-lag"));
        await("the lag card, without a reload, shows the total lag " + lagAfter).atMost(Duration.ofSeconds(30))
                .until(() -> lagCard.getText().equals("total lag " + lagAfter));
        assertEquals(List.of(), browser.consoleErrors(), "the overview logs no errors in the browser console");
    }

    @Test
    void aFreshPageDrawsTheRecentPastThatTheServerKept() {
        int kept = 10;
        await("the server has kept " + kept + " activity samples (2 s apart)").atMost(Duration.ofSeconds(60))
                .until(() -> rest.get(RestClient.CLUSTER + "/activity").object().getJsonArray("data").size() >= kept);
        browser.open("/#/");
        // The page samples every 2 s too, but could not have gathered this many of its own in the time allowed.
        await("a fresh overview's produce chart starts with the server's samples").atMost(Duration.ofSeconds(12))
                .until(() -> ((Number) browser.script("const chart = window.Chart && Chart.getChart('produce-chart');"
                        + " return chart ? chart.data.labels.length : -1;")).intValue() >= kept);
        assertEquals(List.of(), browser.consoleErrors(), "seeding the charts logs no errors in the browser console");
    }

    @Test
    void theTopicNamePatternIsValidForTheBrowserAndRefusesBadNames() {
        browser.open("/#/topics");
        browser.click(By.xpath("//button[normalize-space()='+ Create topic']"));
        browser.visible(By.id("new-topic-name"));
        // Chromium compiles the pattern attribute with the 'v' flag and ignores a pattern that does not compile.
        Object verdict = browser.script("""
                const input = document.getElementById('new-topic-name');
                try { new RegExp(input.pattern, 'v'); } catch (e) { return 'the pattern does not compile with v: ' + e.message; }
                input.value = 'bad name!';
                const refused = input.validity.patternMismatch;
                input.value = 'good.name-1_x';
                const accepted = !input.validity.patternMismatch;
                input.value = '';
                return refused && accepted ? 'ok' : 'refused bad name: ' + refused + ', accepted good name: ' + accepted;
                """);
        assertEquals("ok", verdict, "the topic-name pattern should work in Chromium");
        browser.driver().findElement(By.id("dialog-cancel")).click();
    }

    @Test
    void anErrorOfADialogShowsAboveTheDialogAndStaysAfterItCloses() throws IOException {
        WebDriver driver = browser.driver();
        browser.open("/#/topics");
        browser.click(By.xpath("//button[normalize-space()='+ Create topic']"));
        browser.visible(By.id("new-topic-name")).sendKeys(TOPIC);
        driver.findElement(By.id("dialog-confirm")).click();
        WebElement banner = driver.findElement(By.id("banner"));
        await("the banner reports that " + TOPIC + " exists").atMost(Duration.ofSeconds(30)).until(banner::isDisplayed);
        Object onTop = browser.script("""
                const banner = document.getElementById('banner');
                const r = banner.getBoundingClientRect();
                return !!banner.closest('dialog[open]') && banner.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
                """);
        assertEquals(Boolean.TRUE, onTop, "the banner should be in the open dialog, on top, not under its backdrop");
        browser.screenshot("console-banner-in-dialog.png");
        driver.findElement(By.id("dialog-cancel")).click();
        assertTrue(banner.isDisplayed(), "the error stays on the page once the dialog closes");
        assertEquals(Boolean.TRUE, browser.script("return !document.getElementById('banner').closest('dialog');"),
                "and the banner is back outside the dialog");
        driver.findElement(By.id("banner-close")).click();
    }

    @Test
    void operatorPreviewsAResetAndResetsChosenPartitionsOnly() throws IOException {
        WebDriver driver = browser.driver();
        browser.open("/#/groups/" + GROUP);
        browser.click(By.xpath("//button[normalize-space()='Reset offsets']"));
        WebElement body = browser.visible(By.id("dialog-body"));
        assertFalse(body.getText().contains("null"), "the reset dialog of a group without members should not read 'null': "
                + body.getText());
        driver.findElement(By.id("reset-to-earliest")).click();
        driver.findElement(By.id("reset-preview-button")).click();
        By partition1 = By.cssSelector("input[aria-label='Reset " + TOPIC + " partition 1']");
        By offset0 = By.cssSelector("input[aria-label='New offset of " + TOPIC + " partition 0']");
        By offset2 = By.cssSelector("input[aria-label='New offset of " + TOPIC + " partition 2']");
        browser.visible(partition1);
        assertEquals("0", driver.findElement(offset0).getAttribute("value"), "earliest previews offset 0 for partition 0");
        assertEquals(Map.of(0, 5L, 1, 3L, 2, 3L), committedOffsets(), "a preview commits nothing");
        driver.findElement(partition1).click();
        WebElement offset = driver.findElement(offset2);
        offset.clear();
        offset.sendKeys("1");
        browser.screenshot("console-reset-preview.png");
        driver.findElement(By.id("dialog-confirm")).click();
        await("the dialog closes once the offsets are reset").atMost(Duration.ofSeconds(30))
                .until(() -> !driver.findElement(By.id("dialog")).isDisplayed());
        assertFalse(driver.findElement(By.id("banner")).isDisplayed(), "the reset should not fail");
        assertEquals(Map.of(0, 0L, 1, 3L, 2, 1L), committedOffsets(),
                "partition 0 goes to its earliest offset, partition 1 (left out) keeps 3, partition 2 gets the 1 typed in");
        assertEquals(List.of(), browser.consoleErrors(), "the group view logs no errors in the browser console");
    }

    @Test
    void aDryRunResetCommitsNothingAndAMalformedOneIsAProblem() {
        Reply preview = rest.post(RestClient.CLUSTER + "/consumer-groups/dry-readers/offsets:reset", Json.createObjectBuilder()
                .add("to", "latest").add("topics", Json.createArrayBuilder().add(TOPIC)).add("dry_run", true).build());
        assertEquals(200, preview.status(), "a dry run answers 200: " + preview);
        assertTrue(preview.object().getBoolean("dry_run"), "and says it was one: " + preview);
        assertEquals(3, preview.object().getJsonArray("data").size(), "with the 3 partitions of " + TOPIC + ": " + preview);
        assertEquals(RECORDS_IN_PARTITION_0, preview.object().getJsonArray("data").getJsonObject(0).getJsonNumber("new_offset").longValue(),
                "partition 0's new offset would be its log end: " + preview);
        assertEquals(404, rest.get(RestClient.CLUSTER + "/consumer-groups/dry-readers").status(),
                "the dry run created no group");
        Reply malformed = rest.post(RestClient.CLUSTER + "/consumer-groups/dry-readers/offsets:reset", Json.createObjectBuilder()
                .add("to", "latest").add("dry_run", "yes").build());
        assertEquals(400, malformed.status(), "a dry_run that is not a boolean is refused: " + malformed);
        assertTrue(malformed.contentType().startsWith("application/problem+json"), "as a problem: " + malformed);
    }

    @Test
    void operatorSetsEditsAndResetsATopicConfig() {
        WebDriver driver = browser.driver();
        browser.open("/#/topics/" + TOPIC);
        browser.click(By.id("config-add"));
        browser.visible(By.id("config-name")).sendKeys("retention.ms");
        driver.findElement(By.id("config-value")).sendKeys("3600000");
        driver.findElement(By.id("dialog-confirm")).click();
        By edit = By.cssSelector("button[aria-label='Edit config retention.ms']");
        // The API describes every known config with its effective value: the row is there before and after.
        By value = By.xpath("//section[@id='configs']//tr[th//code[.='retention.ms']]/td[1]");
        await("the configs table shows retention.ms = 3600000").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> driver.findElement(value).getText().equals("3600000"));
        assertEquals("3600000", topicConfigs().getString("retention.ms", null), "the dialog set retention.ms over REST");

        browser.click(edit);
        WebElement field = browser.visible(By.id("config-value"));
        assertEquals(field, driver.switchTo().activeElement(), "editing a config focuses its value");
        field.clear();
        field.sendKeys("soon");
        driver.findElement(By.id("dialog-confirm")).click();
        WebElement banner = driver.findElement(By.id("banner"));
        await("the banner explains the rejected value").atMost(Duration.ofSeconds(30)).until(banner::isDisplayed);
        assertTrue(driver.findElement(By.id("dialog")).isDisplayed(), "a rejected value keeps the dialog open to correct it");
        assertEquals("3600000", topicConfigs().getString("retention.ms", null), "a rejected value changes nothing");
        driver.findElement(By.id("dialog-cancel")).click();
        driver.findElement(By.id("banner-close")).click();

        browser.open("/#/topics/" + TOPIC);
        browser.click(By.cssSelector("button[aria-label='Reset config retention.ms to its default']"));
        browser.visible(By.id("dialog-confirm")).click();
        await("the configs table no longer shows 3600000 for retention.ms").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> !driver.findElement(value).getText().equals("3600000"));
        assertNotEquals("3600000", topicConfigs().getString("retention.ms", null), "resetting went back to the default");
        assertEquals(List.of(), browser.consoleErrors(), "the topic view logs no errors in the browser console");
    }

    @Test
    void operatorProducesARecordWithHeadersAndBrowsesThem() {
        WebDriver driver = browser.driver();
        browser.open("/#/topics/" + TOPIC);
        browser.click(By.xpath("//button[normalize-space()='Produce record']"));
        new Select(browser.visible(By.id("produce-partition"))).selectByValue("1");
        driver.findElement(By.id("produce-key")).sendKeys("with-headers");
        driver.findElement(By.id("produce-value")).sendKeys("{\"hello\":\"world\"}");
        driver.findElement(By.id("produce-headers")).sendKeys("trace-id: abc-123\nsource: console");
        driver.findElement(By.id("dialog-confirm")).click();
        await("the message browser shows the produced record's headers").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> browser.awaitSettled().dom().contains("abc-123"));
        String dom = browser.dom();
        assertTrue(dom.contains("<dt>trace-id</dt>") && dom.contains("<dt>source</dt>"), "both headers are listed:\n" + dom);
        Reply read = rest.get(RestClient.CLUSTER + "/topics/" + TOPIC + "/partitions/1/records?offset=" + RECORDS_IN_OTHER_PARTITIONS);
        var headers = read.object().getJsonArray("data").getJsonObject(0).getJsonArray("headers");
        assertEquals("trace-id", headers.getJsonObject(0).getString("name"), "the first header went over REST: " + read);
        assertEquals("abc-123", new String(Base64.getDecoder().decode(headers.getJsonObject(0).getString("value")),
                StandardCharsets.UTF_8), "with its value: " + read);
        assertEquals(List.of(), browser.consoleErrors(), "producing logs no errors in the browser console");
    }

    @Test
    void operatorSearchesKeysAndValuesAndSeeksByTime() throws IOException {
        WebDriver driver = browser.driver();
        browser.open("/#/topics/" + TOPIC + "/messages?partition=0&offset=0");
        driver.findElement(By.id("search-text")).sendKeys("customer-3");
        driver.findElement(By.id("search")).click();
        WebElement summary = browser.visible(By.id("search-summary"));
        assertTrue(summary.getText().startsWith("1 match for \"customer-3\""), "one record's value holds customer-3: "
                + summary.getText());
        assertTrue(browser.dom().contains("order-3"), "the match is listed with its key:\n" + browser.dom());
        browser.screenshot("console-search.png");

        // Record 2 of partition 0 is at FIRST_TIMESTAMP_MS + 2 minutes; seek there, in the browser's own time zone.
        browser.script("""
                const d = new Date(arguments[0]);
                const pad = n => String(n).padStart(2, '0');
                document.getElementById('browse-time').value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
                    + `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
                """, FIRST_TIMESTAMP_MS + 2 * 60_000L);
        driver.findElement(By.id("browse-seek")).click();
        await("the browser shows partition 0 from offset 2").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> browser.awaitSettled().dom().contains("Partition 0, offsets 2–4"));
        assertTrue(browser.driver().getCurrentUrl().endsWith("partition=0&offset=2"), "the address is a deep link to offset 2");
        assertEquals(List.of(), browser.consoleErrors(), "searching and seeking log no errors in the browser console");

        assertEquals(400, rest.get(RestClient.CLUSTER + "/topics/" + TOPIC + "/records:search?text=x&max_scanned_records=100001")
                .status(), "a search may not read more than 100 000 records");
        Reply noText = rest.get(RestClient.CLUSTER + "/topics/" + TOPIC + "/records:search");
        assertEquals(400, noText.status(), "a search needs a text: " + noText);
        assertTrue(noText.contentType().startsWith("application/problem+json"), "answered as a problem: " + noText);
        Reply bounded = rest.get(RestClient.CLUSTER + "/topics/" + TOPIC + "/records:search?text=order&partition=0&max_scanned_records=2");
        assertEquals(2, bounded.object().getJsonNumber("scanned_records").longValue(), "the scan stops at its limit: " + bounded);
        assertFalse(bounded.object().getBoolean("complete"), "and says it did not reach the end: " + bounded);
    }

    @Test
    void aPersonSignsInThroughTheConsolesPageAndSignsOut() throws Exception {
        try (ConsoleBrowser person = ConsoleBrowser.anonymous(server.baseUri())) {
            WebDriver driver = person.driver();
            person.open("/#/topics");
            assertEquals("Sign in to Hearth", driver.findElement(By.tagName("h1")).getText(),
                    "without credentials the console shows its sign-in page, not a browser prompt");
            driver.findElement(By.id("sign-in-user")).sendKeys(HearthServer.ADMIN_USER);
            driver.findElement(By.id("sign-in-password")).sendKeys("not-the-password");
            driver.findElement(By.id("sign-in")).click();
            await("a wrong password is explained").atMost(Duration.ofSeconds(30))
                    .until(() -> driver.findElement(By.id("sign-in-error")).getText().equals("The user name or password is wrong."));
            WebElement password = driver.findElement(By.id("sign-in-password"));
            password.clear();
            password.sendKeys(HearthServer.ADMIN_PASSWORD);
            driver.findElement(By.id("sign-in")).click();
            await("the topics view once signed in").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> driver.findElement(By.tagName("h1")).getText().equals("Topics"));
            assertEquals("Signed in as " + HearthServer.ADMIN_USER, driver.findElement(By.id("session-user")).getText(),
                    "the top bar names the signed-in user");
            person.screenshot("console-signed-in.png");

            person.open("/#/groups");
            assertEquals("Consumer groups", driver.findElement(By.tagName("h1")).getText(), "the tab stays signed in");
            await("the live status works with the console's credentials").atMost(Duration.ofSeconds(30))
                    .until(() -> driver.findElement(By.id("live-text")).getText().startsWith("Live"));

            driver.findElement(By.id("sign-out")).click();
            person.awaitSettled();
            assertEquals("Sign in to Hearth", driver.findElement(By.tagName("h1")).getText(), "signing out shows the sign-in page");
            assertEquals(null, person.script("return sessionStorage.getItem('hearth.credentials');"),
                    "signing out forgets the credentials");
            person.open("/#/topics");
            assertEquals("Sign in to Hearth", driver.findElement(By.tagName("h1")).getText(), "and they are not sent again");
            assertEquals(List.of(), person.consoleErrors(), "signing in and out logs no errors in the browser console");
        }
    }

    @Test
    void a401ToTheConsoleCarriesNoBasicChallenge() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI topics = server.baseUri().resolve(RestClient.CLUSTER + "/topics");
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(topics).header("X-Requested-With", "XMLHttpRequest").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, script.statusCode(), "no credentials is a 401");
        assertTrue(script.headers().firstValue("WWW-Authenticate").isEmpty(),
                "a request from a script gets no Basic challenge, so the browser does not prompt: " + script.headers());
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(topics).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(plain.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                "other clients still get the challenge: " + plain.headers());
    }

    @Test
    void everyViewFitsNarrowWindowsWithTablesScrollingInsideTheirFrame() throws IOException {
        List<String> views = List.of("/#/", "/#/topics", "/#/topics/" + TOPIC, "/#/topics/" + TOPIC + "/messages?partition=0&offset=0",
                "/#/groups", "/#/groups/" + GROUP, "/#/jobs", "/#/audit", "/#/users", "/#/acls");
        try {
            for (int widthPx : new int[] {800, 600}) {
                browser.resize(widthPx, 900);
                Map<String, Object> scrollingTables = new HashMap<>();
                for (String view : views) {
                    browser.open(view);
                    Object layout = browser.script("""
                            const width = document.documentElement.clientWidth;
                            const overflow = document.documentElement.scrollWidth - width;
                            const cut = [...document.querySelectorAll('.table-wrap')]
                                .filter(w => w.getBoundingClientRect().right > width + 1 || getComputedStyle(w).overflowX !== 'auto').length;
                            return overflow + ' px of page overflow, ' + cut + ' table(s) past the edge or not scrollable';
                            """);
                    assertEquals("0 px of page overflow, 0 table(s) past the edge or not scrollable", layout,
                            view + " at " + widthPx + " px should fit the window");
                    scrollingTables.put(view, browser.script("return [...document.querySelectorAll('.table-wrap')]"
                            + ".filter(w => w.scrollWidth > w.clientWidth).length;"));
                    assertEquals(List.of(), browser.consoleErrors(), view + " at " + widthPx + " px logs no errors");
                }
                assertNotEquals(0L, scrollingTables.get("/#/topics/" + TOPIC),
                        "the partitions table is wider than " + widthPx + " px and scrolls inside its frame");
                browser.open("/#/topics/" + TOPIC).screenshot("console-topic-" + widthPx + "px.png");
                browser.open("/#/").screenshot("console-overview-" + widthPx + "px.png");
            }
        } finally {
            browser.resize(1280, 900);
        }
    }

    private static long totalLag() {
        return rest.get(RestClient.CLUSTER + "/consumer-groups").object().getJsonArray("data").stream()
                .mapToLong(g -> g.asJsonObject().getJsonNumber("total_lag").longValue()).sum();
    }

    private static Map<Integer, Long> committedOffsets() {
        Map<Integer, Long> offsets = new HashMap<>();
        rest.get(RestClient.CLUSTER + "/consumer-groups/" + GROUP).object().getJsonArray("offsets").forEach(o -> offsets.put(
                o.asJsonObject().getInt("partition_id"), o.asJsonObject().getJsonNumber("committed_offset").longValue()));
        return offsets;
    }

    private static JsonObject topicConfigs() {
        return rest.get(RestClient.CLUSTER + "/topics").object().getJsonArray("data").stream()
                .map(t -> t.asJsonObject())
                .filter(t -> t.getString("topic_name").equals(TOPIC))
                .findFirst().orElseThrow().getJsonObject("configs");
    }

    private static jakarta.json.JsonObjectBuilder record(int partition, String key, String value) {
        return Json.createObjectBuilder()
                .add("partition_id", partition)
                .add("key", Json.createObjectBuilder().add("type", "STRING").add("data", key))
                .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", value));
    }
}
