package dev.hearth.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.hearth.platform.HearthServer;
import dev.hearth.testing.SystemPackages;

/**
 * Headless Chromium driven through chromedriver (Debian {@code chromium}, {@code chromium-driver}), either
 * {@link #anonymous} (it signs in through the console's page) or {@link #signedInTo signed in} as
 * {@link HearthServer#ADMIN_USER}: every request of the tab carries that user's Basic credentials (set over the
 * DevTools protocol, as a proxy or a browser's own credentials would), so the console runs as in production,
 * security on. Each page records its uncaught errors, unhandled rejections, failed resource loads and
 * {@code console.error} calls for {@link #consoleErrors()}. One browser per test class; not thread-safe.
 */
final class ConsoleBrowser implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Installed before any page script runs: collects what a developer would see in red in the console. */
    private static final String ERROR_RECORDER = """
            window.__consoleErrors = [];
            addEventListener('error', e => __consoleErrors.push(e.message
                || 'failed to load ' + (e.target && (e.target.src || e.target.href))), true);
            addEventListener('unhandledrejection', e => __consoleErrors.push('unhandled rejection: ' + e.reason));
            const consoleError = console.error.bind(console);
            console.error = (...args) => { __consoleErrors.push(args.join(' ')); consoleError(...args); };
            """;
    /** True once a view has rendered: a heading in main and no spinner (a request still running). */
    private static final String SETTLED = "return document.readyState === 'complete' && !document.getElementById('boot')"
            + " && !!document.querySelector('#main h1') && !document.querySelector('#main .spinner, dialog[open] .spinner');";

    private final ChromeDriver driver;
    private final URI base;

    private ConsoleBrowser(ChromeDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    /**
     * Starts Chromium signed in as the admin of the Hearth at {@code base} (which need not be up yet); skips the
     * test when Chromium or chromedriver is missing.
     */
    static ConsoleBrowser signedInTo(URI base) throws IOException {
        return start(base, true);
    }

    /**
     * Starts Chromium with no credentials of its own, as a person opening the console: it must sign in through the
     * console's page. Skips the test when Chromium or chromedriver is missing.
     */
    static ConsoleBrowser anonymous(URI base) throws IOException {
        return start(base, false);
    }

    private static ConsoleBrowser start(URI base, boolean signedIn) throws IOException {
        SystemPackages.require("chromium", "chromium");
        SystemPackages.require("chromedriver", "chromium-driver");
        ChromeOptions options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,900", "--hide-scrollbars", "--user-data-dir="
                                + Files.createTempDirectory(HearthServer.workDir(), "chromium-profile-"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .withLogFile(HearthServer.workDir().resolve("chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            if (signedIn) {
                String credentials = HearthServer.ADMIN_USER + ":" + HearthServer.ADMIN_PASSWORD;
                driver.executeCdpCommand("Network.enable", Map.of());
                driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))));
            }
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ERROR_RECORDER));
            return new ConsoleBrowser(driver, base);
        } catch (RuntimeException e) {
            driver.quit();
            throw e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Loads {@code link} (a path and hash of the console) in a fresh document and waits until the view has rendered. */
    ConsoleBrowser open(String link) {
        // A hash-only change would keep the old document; about:blank in between makes every open a fresh load.
        driver.get("about:blank");
        driver.get(url(link));
        return awaitSettled();
    }

    /** Waits until the current view has rendered and its requests have finished. */
    ConsoleBrowser awaitSettled() {
        new WebDriverWait(driver, WAIT).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(SETTLED));
        return this;
    }

    /** The rendered DOM, serialized as Chromium's {@code --dump-dom} does. */
    String dom() {
        return (String) driver.executeScript("return document.documentElement.outerHTML;");
    }

    /** What the page's scripts reported as errors since it loaded. */
    @SuppressWarnings("unchecked")
    List<String> consoleErrors() {
        Object errors = driver.executeScript("return window.__consoleErrors || ['the error recorder did not run'];");
        return (List<String>) errors;
    }

    WebElement visible(By locator) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    void click(By locator) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(locator)).click();
    }

    /** Resizes the window to {@code widthPx} × {@code heightPx} CSS pixels, e.g. to check a narrow layout. */
    void resize(int widthPx, int heightPx) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(widthPx, heightPx));
    }

    /** Runs {@code script} in the page and answers its result. */
    Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Saves a PNG of the current page in the work directory, for a human to look at. */
    void screenshot(String fileName) throws IOException {
        Path png = HearthServer.workDir().resolve(fileName).toAbsolutePath();
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(png) > 10_000, "Chromium should have written a screenshot to " + png);
        System.out.println("Console screenshot: " + png);
    }

    String url(String link) {
        return URI.create(base + link).toString();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
