package dev.tillit.keycloak.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium, one browser for the whole test JVM (starting
 * Chromium per test would cost seconds each). Tests clear cookies instead of restarting it.
 */
public final class Browser {

    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);

    private static ChromeDriver driver;

    private Browser() {
    }

    public static synchronized WebDriver get() {
        if (driver == null) {
            driver = start();
            Runtime.getRuntime().addShutdownHook(new Thread(driver::quit));
        }
        // Every test starts signed out: clear the cookies of all sites, not just the current page's.
        driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", java.util.Map.of("headers", java.util.Map.of()));
        driver.manage().window().setSize(DESKTOP);
        return driver;
    }

    /**
     * The browser as if it reached Keycloak through the trusted proxy from {@code address}: every
     * request carries {@code X-Forwarded-For}, which the suite's server honours from loopback
     * only ({@code proxy-headers=xforwarded}, {@code proxy-trusted-addresses}). Lets per-address
     * limits be tested from distinct addresses. Reset by the next {@link #get()}.
     */
    public static WebDriver from(String address) {
        ChromeDriver chrome = (ChromeDriver) get();
        chrome.executeCdpCommand("Network.setExtraHTTPHeaders",
                java.util.Map.of("headers", java.util.Map.of("X-Forwarded-For", address)));
        return chrome;
    }

    /**
     * A fresh private address (10.0.0.0/8), for tests of per-address limits. Private, because the
     * realm requires HTTPS for external clients (sslRequired=external) and the suite speaks HTTP.
     */
    public static String freshIpv4() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    /**
     * A second, separate browser (its own profile and cookies), e.g. the user's phone; the caller
     * quits it. Starts at phone width.
     */
    public static ChromeDriver newSession() {
        ChromeDriver chrome = launch();
        chrome.manage().window().setSize(PHONE);
        return chrome;
    }

    private static ChromeDriver start() {
        ChromeDriver chrome = launch();
        chrome.executeCdpCommand("Network.enable", java.util.Map.of());
        return chrome;
    }

    private static ChromeDriver launch() {
        String chromedriver = System.getProperty("tillit.chromedriver", "/usr/bin/chromedriver");
        String chromium = System.getProperty("tillit.chromium", "/usr/lib/chromium/chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--hide-scrollbars", "--lang=en-US",
                // A camera that exists and is allowed: Chromium's test pattern, for the guided selfie.
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return chrome;
    }

    /**
     * After a click that leaves {@code element}'s page: waits for that page to go, then for the bot
     * check (which the page solves and sends by itself) to be passed, so the next page is the one the
     * test means. Pages without a bot check go straight through.
     */
    public static void pastBotCheck(WebDriver driver, WebElement element) {
        awaitGone(driver, element, Duration.ofSeconds(15));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            try {
                return d.findElements(By.id("tillit-bot-check-form")).isEmpty()
                        && "complete".equals(((ChromeDriver) d).executeScript("return document.readyState"));
            } catch (org.openqa.selenium.WebDriverException navigating) {
                return false;
            }
        });
    }

    /**
     * Waits until {@code element}'s page has been replaced. Chromium says so in two ways: the element
     * is stale, or (while the new document is being built) its node "does not belong to the
     * document". Selenium's {@code stalenessOf} knows only the first and fails on the second.
     */
    public static void awaitGone(WebDriver driver, WebElement element, Duration timeout) {
        new WebDriverWait(driver, timeout).until(d -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException gone) {
                return true;
            } catch (org.openqa.selenium.WebDriverException replaced) {
                if (isReplacedNode(replaced)) {
                    return true;
                }
                throw replaced;
            }
        });
    }

    private static boolean isReplacedNode(org.openqa.selenium.WebDriverException e) {
        return String.valueOf(e.getMessage()).contains("does not belong to the document");
    }

    /**
     * The element {@code by} once it is visible (for up to 15 s). An element found just as the page is
     * replaced can go stale, or Chromium answers that its node "does not belong to the document",
     * while its visibility is asked; both mean "look again", not failure.
     */
    public static WebElement waitFor(WebDriver driver, By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
            try {
                WebElement element = d.findElement(by);
                return element.isDisplayed() ? element : null;
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException notYet) {
                return null;
            } catch (org.openqa.selenium.WebDriverException replaced) {
                if (isReplacedNode(replaced)) {
                    return null;
                }
                throw replaced;
            }
        });
    }

    /**
     * The text of the visible element {@code by}. An element found just as the page is replaced goes
     * stale while it is read; this looks it up again instead of failing (for up to 15 s).
     */
    public static String textOf(WebDriver driver, By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
            try {
                WebElement element = d.findElement(by);
                return element.isDisplayed() ? element.getText() : null;
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException notYet) {
                return null;
            } catch (org.openqa.selenium.WebDriverException replaced) {
                if (isReplacedNode(replaced)) {
                    return null;
                }
                throw replaced;
            }
        });
    }

    /**
     * The page title ({@code #kc-page-title}) once it reads {@code expected}, or whatever it last read
     * after 15 s, for the caller's assertion to show. Right after a click the old page's title can
     * still be found and then go stale while it is read; this wait looks again instead of failing.
     */
    public static String pageTitle(WebDriver driver, String expected) {
        String[] seen = {null};
        try {
            new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
                try {
                    java.util.List<WebElement> titles = d.findElements(By.id("kc-page-title"));
                    seen[0] = titles.isEmpty() ? null : titles.get(0).getText();
                } catch (org.openqa.selenium.StaleElementReferenceException navigating) {
                    return false;
                }
                return expected.equals(seen[0]);
            });
        } catch (org.openqa.selenium.TimeoutException notThere) {
            // fall through: the assertion reports what the page said
        }
        return seen[0];
    }

    /** Pages of the Tillit login theme (sign-in, sign-up, codes, reset, required actions), not Keycloak's consoles. */
    private static boolean ourLoginTheme(WebDriver driver) {
        String url = driver.getCurrentUrl();
        return url != null && url.contains("/realms/") && !url.contains("/account") && !url.contains("/admin/")
                && !driver.findElements(By.cssSelector("link[href*='/login/tillit/css/tillit.css']")).isEmpty();
    }

    /**
     * Saves the current page at desktop and phone width as {@code <dir>/<name>-<width>.png}
     * (full page height, so nothing below the fold is missed), then restores the desktop size. On the
     * Tillit login theme's pages, axe-core checks each width for WCAG 2.1 A/AA violations first.
     */
    public static void screenshots(WebDriver driver, String dir, String name) {
        long started = System.nanoTime();
        try {
            shootBothWidths(driver, dir, name);
        } finally {
            GALLERY_NANOS.addAndGet(System.nanoTime() - started);
            GALLERY_CALLS.incrementAndGet();
        }
    }

    /** What the screenshots and their accessibility checks cost this test JVM, printed when it ends (CI's time budget). */
    private static final java.util.concurrent.atomic.AtomicLong GALLERY_NANOS = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicInteger GALLERY_CALLS = new java.util.concurrent.atomic.AtomicInteger();

    static {
        // A file, not stdout: the build reads it back (run-tests.sh prints it with the slowest classes).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(Artifacts.dir(".").resolve("screenshot-cost.txt"), String.format(java.util.Locale.ROOT,
                        "%d screens (2 widths each, accessibility checked on ours), %.1f s%n",
                        GALLERY_CALLS.get(), GALLERY_NANOS.get() / 1e9));
            } catch (IOException | RuntimeException ignored) {
                // a figure for people, never a reason to fail the run
            }
        }));
    }

    private static void shootBothWidths(WebDriver driver, String dir, String name) {
        for (Dimension size : new Dimension[] {DESKTOP, PHONE}) {
            driver.manage().window().setSize(size);
            Object height = ((ChromeDriver) driver).executeScript(
                    "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
            int fullHeight = Math.max(size.getHeight(), ((Number) height).intValue());
            driver.manage().window().setSize(new Dimension(size.getWidth(), fullHeight));
            if (ourLoginTheme(driver)) {
                Accessibility.check(driver, dir, name + "-" + size.getWidth());
            }
            File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
            Path target = Artifacts.dir("screenshots/" + dir).resolve(name + "-" + size.getWidth() + ".png");
            try {
                Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        driver.manage().window().setSize(DESKTOP);
    }
}
