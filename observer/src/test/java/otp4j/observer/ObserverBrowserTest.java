package otp4j.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import otp4j.behaviour.GenServer;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.testing.NodeExtension;

/**
 * The web view end to end, in headless Chromium: the process list, a process page, the
 * supervision tree and a table's contents show what the node holds; an injected script does not
 * run. Takes a screenshot of every page into {@code target/screenshots}.
 *
 * <p>Needs the distribution's {@code chromium} and {@code chromium-driver} packages (Debian:
 * {@code apt-get install chromium chromium-driver}); without them it is skipped. Selenium is
 * given both paths, so it never downloads a browser or a driver.
 */
@ExtendWith(NodeExtension.class)
class ObserverBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** Markup a process name and a table value carry; if it ever ran, it would set window.pwned. */
    private static final String INJECTED = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

    private WebDriver browser;

    @BeforeEach
    void openBrowser(@TempDir Path profile) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: no browser. Install Debian's chromium and chromium-driver (apt-get install chromium"
                        + " chromium-driver; .ci/run does so) to run the observer's end-to-end test");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void everyPageShowsWhatTheNodeHoldsAndRunsNoInjectedScript(Node node, AttachedProcess me) throws IOException {
        Shop.startApplication();
        GenServer.call(Shop.whereis("orders"), "first");
        Shop.Tables tables = Shop.createTables();
        tables.cache().insert(INJECTED, 9);
        Pid injected = node.spawn(() -> Proc.receive(Matcher.type(Void.class)));
        Proc.register(INJECTED, injected);
        Proc.send(injected, INJECTED);
        Files.createDirectories(SCREENSHOTS);
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withActions(true)
                .withServerState(true).withTrace(true).withMessages(true))) {
            o.server().sampleNow();
            browser.get(o.url() + "#token=" + o.token().orElseThrow());

            // Processes: every row the node has, the injected name as text.
            await(b -> b.findElement(By.id("proc-count")).getText().contains("of " + node.processes().size()));
            WebElement filter = browser.findElement(By.id("filter"));
            filter.sendKeys("orders");
            String orders = Shop.whereis("orders").toString();
            await(b -> rows(b, "#processes tbody tr").size() == 1
                    && orders.equals(b.findElement(By.cssSelector("#processes tbody tr")).getAttribute("data-pid")));
            clear(filter);
            filter.sendKeys("<img");
            // The injected name, shown as text.
            await(b -> rows(b, "#processes tbody tr").size() == 1
                    && b.findElement(By.cssSelector("#processes tbody td.name")).getText().startsWith(INJECTED));
            clear(filter);
            await(b -> rows(b, "#processes tbody tr").size() == Math.min(50, node.processes().size()));
            await(b -> {
                b.findElement(By.cssSelector("th[data-column='messageQueueLength']")).click();
                return true;
            });
            await(b -> b.findElement(By.cssSelector("th.sorted")).getAttribute("data-column")
                    .equals("messageQueueLength"));
            screenshot("processes");

            // A process page.
            Pid ordersPid = Shop.whereis("orders");
            browser.get(o.url() + "#/process/" + ordersPid);
            await(b -> b.findElement(By.id("process-pid")).getText().equals(ordersPid.toString()));
            // The details are redrawn each refresh: read them in one go.
            await(b -> b.findElement(By.id("state")).getText().equals("orders=1 password=<redacted>")
                    && !b.findElement(By.id("stack")).getText().isEmpty());
            assertThat(browser.findElements(By.id("kill"))).hasSize(1);
            screenshot("process");

            // The injected process's page: its name and its queued message as text.
            browser.get(o.url() + "#/process/" + injected);
            await(b -> b.findElement(By.id("process-name")).getText().equals(INJECTED)
                    && b.findElement(By.id("messages")).getText().equals(INJECTED));
            screenshot("process-injected");

            // Applications: the tree, with its restart counts.
            browser.get(o.url() + "#/applications");
            await(b -> b.findElement(By.id("trees")).getText().contains("shop_sup"));
            String trees = browser.findElement(By.id("trees")).getText();
            assertThat(trees).contains("Application shop", "orders", "workers", "w1", "w2", "rest_for_one",
                    "0 restarts");
            assertThat(browser.findElements(By.cssSelector("#trees ul.tree li"))).hasSize(5); // shop_sup, orders, workers, w1, w2
            assertThat(browser.findElement(By.id("applications")).getText()).contains("shop", "1.2.3", "a shop");
            screenshot("applications");

            // Tables, and a table's contents.
            browser.get(o.url() + "#/tables");
            await(b -> rows(b, "#tables tbody tr").size() == 3);
            await(b -> {
                b.findElement(By.linkText("cache")).click();
                return true;
            });
            await(b -> b.findElement(By.id("table-name")).getText().equals("cache"));
            await(b -> rows(b, "#table-rows tbody tr").size() == 4);
            List<String> keys = browser.findElements(By.cssSelector("#table-rows td.key")).stream()
                    .map(WebElement::getText).toList();
            assertThat(keys).containsExactlyInAnyOrder("a", "b", "c", INJECTED);
            screenshot("table");

            browser.get(o.url() + "#/system");
            await(b -> b.findElement(By.id("view")).getText().contains("processes"));
            screenshot("system");
            browser.get(o.url() + "#/load");
            await(b -> !b.findElements(By.cssSelector("#charts canvas")).isEmpty());
            screenshot("load");

            // Trace: start from the server's page, call it, see the events.
            browser.get(o.url() + "#/process/" + ordersPid);
            await(b -> !b.findElements(By.id("trace")).isEmpty());
            await(b -> {
                b.findElement(By.id("trace")).click();
                return true;
            });
            await(b -> b.getCurrentUrl().endsWith("#/trace") && b.findElement(By.id("view")).getText().contains("tracing"));
            GenServer.call(ordersPid, "traced");
            await(b -> rows(b, "#trace-events tbody tr").size() >= 2
                    && b.findElement(By.id("trace-events")).getText().contains("order 2: traced"));
            screenshot("trace");

            assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
            try {
                browser.switchTo().alert();
                throw new AssertionError("an alert is open: injected markup ran");
            } catch (NoAlertPresentException expected) {
                // nothing ran
            }
        }
        Proc.exit(injected, Reason.KILL);
        tables.cache().delete();
        tables.prices().delete();
        tables.secrets().delete();
    }

    /**
     * Waits until the page shows what {@code condition} looks for: each check is a round trip to
     * the browser, repeated until it holds, failing after {@link #DEADLINE}.
     */
    private void await(Function<WebDriver, Boolean> condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        RuntimeException last = null;
        for (;;) {
            try {
                if (condition.apply(browser)) {
                    return;
                }
            } catch (NoSuchElementException | StaleElementReferenceException e) {
                last = e; // the page is being redrawn
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the page did not show what was expected within " + DEADLINE.toSeconds()
                        + " s; it shows:\n" + browser.findElement(By.tagName("body")).getText(), last);
            }
        }
    }

    /** Empties a field as a user does, so that the page hears it (WebElement.clear fires no input event). */
    private static void clear(WebElement field) {
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    }

    private static List<WebElement> rows(WebDriver b, String css) {
        return b.findElements(By.cssSelector(css));
    }

    private void screenshot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }
}
