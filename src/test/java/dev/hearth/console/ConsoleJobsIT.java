package dev.hearth.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.hearth.job.StreamJobIT;
import dev.hearth.platform.HearthServer;
import dev.hearth.platform.RestClient;
import dev.hearth.platform.RestClient.Reply;

/**
 * The console's stream-job views against a Hearth that deploys StreamJobIT's two jobs ("clicks-per-user" over
 * topic clicks, "payment-enrichment" over payments and accounts): the jobs table, a job's plan, tasks and live
 * charts, and Pause, Resume and Reset driven through the buttons and the confirmation dialog. One Payara and one
 * browser for the class, signed in as the test admin.
 */
class ConsoleJobsIT {

    private static final String JOBS = RestClient.CLUSTER + "/jobs";

    private static HearthServer server;
    private static RestClient rest;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void startHearthWithJobs() throws IOException {
        server = HearthServer.onFreshDataDir("console-jobs").deploying(StreamJobIT.jobsWar("hearth-console-jobs.war"));
        browser = ConsoleBrowser.signedInTo(server.baseUri());
        server.start();
        rest = new RestClient(server.baseUri());
        // Readiness can answer while the web module is still starting its job runtime: wait for the API itself.
        await("the REST API answers").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> rest.get(RestClient.CLUSTER + "/topics").status() == 200);
        createTopic("clicks", 2);
        createTopic("accounts", 1);
        createTopic("payments", 1);
        await("both jobs run once their source topics exist").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> state("clicks-per-user").equals("RUNNING") && state("payment-enrichment").equals("RUNNING"));
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
    void jobsTableListsBothJobsWithTheirState() {
        browser.open("/#/jobs");
        for (String job : List.of("clicks-per-user", "payment-enrichment")) {
            List<WebElement> rows = browser.driver().findElements(
                    By.xpath("//table/tbody/tr[th/a[@href='#/jobs/" + job + "']]"));
            assertEquals(1, rows.size(), "the jobs table should have one row linking to " + job + ":\n" + browser.dom());
            assertEquals("RUNNING", rows.get(0).findElement(By.cssSelector("[data-state]")).getAttribute("data-state"),
                    "the row of " + job + " should carry its state badge");
        }
        assertEquals(List.of(), browser.consoleErrors(), "the jobs view should log no errors in the browser console");
    }

    @Test
    void jobDetailShowsThePlanAndPauseResumeAndResetDriveTheJob() throws Exception {
        String job = "payment-enrichment";
        browser.open("/#/jobs/clicks-per-user");
        assertTrue(browser.driver().findElement(By.id("job-plan")).getText().contains("repartition"),
                "the plan of clicks-per-user should show its repartition between stages:\n" + browser.dom());
        assertTrue(browser.driver().findElement(By.id("job-rate-chart")).isDisplayed()
                        && browser.driver().findElement(By.id("job-lag-chart")).isDisplayed(),
                "the job view should carry the throughput and lag charts");
        browser.screenshot("console-job.png");

        browser.open("/#/jobs/" + job);
        browser.click(By.xpath("//button[normalize-space()='Pause']"));
        awaitBadge("PAUSED");
        assertEquals("PAUSED", state(job), "Pause in the console should pause " + job + " over REST");
        assertTrue(browser.driver().findElement(By.xpath("//button[normalize-space()='Resume']")).isEnabled(),
                "Resume should be enabled once the job is paused");

        browser.click(By.xpath("//button[normalize-space()='Resume']"));
        await("the console shows " + job + " resumed").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> !badge().equals("PAUSED"));
        assertFalse(state(job).equals("PAUSED"), "Resume in the console should resume " + job + " over REST");

        browser.click(By.xpath("//button[normalize-space()='Reset…']"));
        browser.visible(By.id("dialog-title"));
        WebElement earliest = browser.driver().findElement(By.id("job-reset-to-earliest"));
        assertEquals(earliest, browser.driver().switchTo().activeElement(),
                "the reset dialog should focus its first choice, as the group reset dialog does");
        assertTrue(earliest.isSelected(), "reprocessing from the earliest records should be the default");
        browser.driver().findElement(By.id("dialog-confirm")).click();
        WebElement dialog = browser.driver().findElement(By.id("dialog"));
        WebElement banner = browser.driver().findElement(By.id("banner"));
        await("the reset dialog closes, or an error shows").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> !dialog.isDisplayed() || banner.isDisplayed());
        assertFalse(banner.isDisplayed(), "resetting " + job + " should not fail: " + banner.getText());
        await("the reset job runs again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> state(job).equals("RUNNING"));
        assertEquals(List.of(), browser.consoleErrors(), "the job view should log no errors in the browser console");
    }

    /** Regression: a job with more than one task made the detail view throw (the API sends {@code stage} as a number). */
    @Test
    void jobDetailListsEveryTaskOfAJobWithSeveralStagesAndPartitions() {
        String job = "clicks-per-user";
        for (int partition = 0; partition < 2; partition++) {
            Reply produced = rest.post(RestClient.CLUSTER + "/topics/clicks/records", Json.createObjectBuilder()
                    .add("partition_id", partition)
                    .add("value", Json.createObjectBuilder().add("type", "STRING").add("data", "console-user-" + partition
                            + ",1700000000000")).build());
            assertEquals(200, produced.status(), produced.toString());
        }
        await(job + " has tasks on several stages and partitions").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> rest.get(JOBS + "/" + job).object().getJsonArray("tasks").size() >= 2);
        int tasks = rest.get(JOBS + "/" + job).object().getJsonArray("tasks").size();
        browser.open("/#/jobs/" + job);
        await("the console lists the tasks of " + job).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> browser.driver().findElements(By.xpath(
                        "//table[caption[normalize-space()='Tasks of " + job + "']]/tbody/tr")).size() >= tasks);
        assertTrue(browser.driver().findElement(By.id("job-plan")).isDisplayed(),
                "the plan should show next to the tasks:\n" + browser.dom());
        assertEquals(List.of(), browser.consoleErrors(), "the job view should log no errors in the browser console");
    }

    private static void awaitBadge(String state) {
        await("the console shows the job " + state).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> badge().equals(state));
    }

    private static String badge() {
        return browser.driver().findElement(By.id("job-state")).getText();
    }

    private static String state(String job) {
        Reply reply = rest.get(JOBS + "/" + job);
        assertEquals(200, reply.status(), reply.toString());
        return reply.object().getString("state");
    }

    private static void createTopic(String topic, int partitions) {
        Reply created = rest.post(RestClient.CLUSTER + "/topics", Json.createObjectBuilder()
                .add("topic_name", topic).add("partitions_count", partitions).build());
        assertEquals(201, created.status(), created.toString());
    }
}
