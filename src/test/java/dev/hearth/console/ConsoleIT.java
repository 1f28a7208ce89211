package dev.hearth.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * The admin console as a browser renders it: real headless Chromium against a real Hearth on Payara Micro
 * (hearth.war, no stream jobs), security on, the browser signed in as the test admin. Each check loads a deep
 * link in a fresh document, waits until the view has rendered and its requests have finished, and asserts on
 * the DOM they produced; dialogs are driven through Selenium and chromedriver; screenshots land in the work
 * directory for a human to look at. One Payara and one browser for the class. Skips, saying why, without
 * Chromium (Debian packages {@code chromium} and {@code chromium-driver}).
 */
class ConsoleIT {

    private static final String TOPIC = "console-orders";
    private static final String CUSTOMER = "ada-lovelace";

    private static HearthServer server;
    private static RestClient rest;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void startHearthWithRecords() throws IOException {
        Path dataDir = Files.createDirectories(HearthServer.workDir().resolve("console-data-" + System.nanoTime()));
        server = new HearthServer(dataDir, "console");
        browser = ConsoleBrowser.signedInTo(server.baseUri());
        server.start();
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
        if (browser != null) {
            browser.close();
        }
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
    void operatorCreatesAndDeletesATopicThroughDialogsAndTheAuditTrailNamesThem() throws Exception {
        String created = "console-created";
        WebDriver driver = browser.driver();
        browser.open("/#/topics");
        browser.click(By.xpath("//button[normalize-space()='+ Create topic']"));
        WebElement name = browser.visible(By.id("new-topic-name"));
        assertEquals(name, driver.switchTo().activeElement(), "the create dialog should focus its first field");
        name.sendKeys(created);
        WebElement partitionsField = driver.findElement(By.id("new-topic-partitions"));
        partitionsField.clear();
        partitionsField.sendKeys("2");
        driver.findElement(By.id("dialog-confirm")).click();
        await("the console shows the new topic " + created).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> driver.findElement(By.tagName("h1")).getText().equals(created)
                        && driver.findElement(By.xpath("//dl[@class='stats']//dt[.='Partitions']/following-sibling::dd"))
                                .getText().equals("2"));
        Reply described = topicFromList(created);
        assertEquals(200, described.status(), "the dialog should have created " + created + " over REST");
        assertEquals(HearthServer.ADMIN_USER, auditPrincipal("/#/audit", "CREATE_TOPIC", created),
                "the audit view should list the creation of " + created + " by the signed-in admin");

        browser.open("/#/topics");
        By deleteButton = By.cssSelector("button[aria-label='Delete topic " + created + "']");
        browser.click(deleteButton);
        browser.visible(By.id("dialog-title"));
        assertEquals(driver.findElement(By.id("dialog-cancel")), driver.switchTo().activeElement(),
                "a destructive confirmation should focus Cancel, so Enter does not delete");
        browser.screenshot("console-delete-confirmation.png");
        driver.findElement(By.id("dialog-cancel")).click();
        assertEquals(200, topicFromList(created).status(), "cancelling the confirmation should keep the topic");

        browser.click(deleteButton);
        browser.visible(By.id("dialog-confirm")).click();
        WebElement banner = driver.findElement(By.id("banner"));
        await("the topics table drops " + created + ", or an error shows").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> banner.isDisplayed() || driver.findElements(deleteButton).isEmpty());
        assertFalse(banner.isDisplayed(), "deleting " + created + " should not fail: " + banner.getText());
        assertFalse(driver.findElement(By.id("dialog")).isDisplayed(), "the dialog should close once the topic is deleted");
        assertEquals(404, topicFromList(created).status(), "confirming should have deleted " + created + " over REST");
        assertEquals(HearthServer.ADMIN_USER,
                auditPrincipal("/#/audit?resource_type=topic&resource_name=" + created, "DELETE_TOPIC", created),
                "the audit view filtered to " + created + " should list its deletion by the signed-in admin");
        browser.screenshot("console-audit.png");
    }

    /** The principal of the audit view's row for {@code action} on {@code resource}; fails when there is no such row. */
    private static String auditPrincipal(String link, String action, String resource) {
        browser.open(link);
        // Columns: When (th), Who, Action, Resource, Detail.
        var rows = browser.driver().findElements(By.xpath("//table/tbody/tr[td[2][normalize-space()='" + action
                + "'] and td[3]//a[normalize-space()='" + resource + "']]"));
        assertFalse(rows.isEmpty(), "the audit view at " + link + " should have a " + action + " row for " + resource
                + ":\n" + browser.dom());
        return rows.get(0).findElement(By.xpath("td[1]")).getText();
    }

    @Test
    void jobsViewWithoutJobsSaysSoWithoutErrors() throws Exception {
        String dom = dumpDom("/#/jobs");
        assertTrue(dom.contains("<h1>Stream jobs</h1>"), "the jobs view should be titled Stream jobs:\n" + dom);
        WebElement empty = browser.driver().findElement(By.id("jobs-empty"));
        assertTrue(empty.getText().startsWith("No stream jobs are deployed"),
                "a Hearth without job beans should say that no jobs are deployed: " + empty.getText());
        assertTrue(dom.contains("aria-current=\"page\">Stream jobs</a>"), "the nav should mark Stream jobs as current:\n" + dom);
        assertFalse(browser.driver().findElement(By.id("banner")).isDisplayed(), "no request of the jobs view should fail");
        assertEquals(List.of(), browser.consoleErrors(), "the jobs view should log no errors in the browser console");
        browser.screenshot("console-jobs-empty.png");
    }

    @Test
    void operatorManagesUsersAndAclsThroughTheConsole() throws Exception {
        String user = "console-user";
        String principal = "User:" + user;
        WebDriver driver = browser.driver();
        browser.open("/#/users");
        browser.click(By.xpath("//button[normalize-space()='+ Add user']"));
        WebElement name = browser.visible(By.id("user-name"));
        assertEquals(name, driver.switchTo().activeElement(), "the add-user dialog should focus its first field");
        name.sendKeys(user);
        driver.findElement(By.id("user-password")).sendKeys("console-Secret-1");
        driver.findElement(By.id("dialog-confirm")).click();
        By deleteUser = By.cssSelector("button[aria-label='Delete user " + user + "']");
        await("the users table lists " + user).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> !driver.findElements(deleteUser).isEmpty());
        assertTrue(browser.dom().contains("SCRAM-SHA-512"), "the table shows the user's SCRAM mechanisms:\n" + browser.dom());
        assertFalse(browser.dom().contains("console-Secret-1"), "and never a password");
        assertEquals(200, new RestClient(server.baseUri(), user, "console-Secret-1").get(RestClient.CLUSTER + "/topics")
                .status(), "the user added in the console logs in over REST");
        browser.screenshot("console-users.png");

        browser.open("/#/acls");
        browser.click(By.xpath("//button[normalize-space()='+ Add ACL']"));
        WebElement principalField = browser.visible(By.id("acl-principal"));
        principalField.clear();
        principalField.sendKeys(principal);
        driver.findElement(By.id("acl-resource-name")).sendKeys(TOPIC);
        driver.findElement(By.id("dialog-confirm")).click();
        By deleteAcl = By.cssSelector("button[aria-label='Delete ACL ALLOW READ on TOPIC " + TOPIC + " for " + principal + "']");
        await("the ACLs table lists the new ACL").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> !driver.findElements(deleteAcl).isEmpty());
        Reply acls = rest.get(RestClient.CLUSTER + "/acls?principal=" + principal);
        assertEquals(1, acls.object().getJsonArray("data").size(), "the dialog created the ACL over REST: " + acls);
        assertEquals(200, new RestClient(server.baseUri(), user, "console-Secret-1")
                .get(RestClient.CLUSTER + "/topics/" + TOPIC + "/partitions/0/records?offset=0").status(),
                "and it lets the user read the topic");

        browser.open("/#/acls?principal=" + principal);
        assertFalse(driver.findElements(deleteAcl).isEmpty(), "the filtered deep link shows the ACL:\n" + browser.dom());
        browser.screenshot("console-acls.png");
        browser.click(deleteAcl);
        browser.visible(By.id("dialog-confirm")).click();
        await("the ACLs table drops the ACL").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> driver.findElements(deleteAcl).isEmpty());
        assertEquals(0, rest.get(RestClient.CLUSTER + "/acls?principal=" + principal).object().getJsonArray("data").size(),
                "confirming deleted the ACL over REST");

        browser.open("/#/users");
        browser.click(deleteUser);
        browser.visible(By.id("dialog-confirm")).click();
        await("the users table drops " + user).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> driver.findElements(deleteUser).isEmpty());
        assertEquals(401, new RestClient(server.baseUri(), user, "console-Secret-1").get(RestClient.CLUSTER + "/topics")
                .status(), "the deleted user no longer logs in");
        assertFalse(driver.findElement(By.id("banner")).isDisplayed(), "no request failed");
        assertEquals(List.of(), browser.consoleErrors(), "the users and ACLs views log no errors in the browser console");
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

    /** The DOM of a deep link once its view has rendered, as Chromium's {@code --dump-dom} would print it. */
    private static String dumpDom(String link) {
        return browser.open(link).dom();
    }

    private static void screenshot(String link, String fileName) throws IOException {
        browser.open(link).screenshot(fileName);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
