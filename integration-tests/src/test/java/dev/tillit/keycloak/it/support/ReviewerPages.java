package dev.tillit.keycloak.it.support;

import java.time.Duration;
import java.util.List;

import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The reviewers' page ({@code /realms/<realm>/tillit-kyc-review/}) as a reviewer uses it in the browser. */
public final class ReviewerPages {

    public static final String CLIENT_ID = "tillit-kyc-review";

    private ReviewerPages() {
    }

    public static String url(ManagedRealm realm) {
        return realm.getBaseUrl() + "/tillit-kyc-review/";
    }

    /** Opens the page in {@code language} (kc_locale, as its language links do). */
    public static void open(WebDriver browser, ManagedRealm realm, String language) {
        browser.get(url(realm) + "?kc_locale=" + language);
        Browser.waitFor(browser, By.cssSelector("#tillit-review-sign-in-button:enabled"));
    }

    /**
     * "Sign in", Keycloak's sign-in form and the authenticator app's code (a reviewer made by
     * {@link KycReviewApi#reviewer}), and back to the page: the queue, or the page's alert.
     */
    public static void signIn(WebDriver browser, String email, String password) throws InterruptedException {
        signIn(browser, email, password, KycReviewApi.totpSecret(email));
    }

    /** As {@link #signIn(WebDriver, String, String)}; {@code totpSecret} null for an account without a second factor. */
    public static void signIn(WebDriver browser, String identifier, String password, String totpSecret) throws InterruptedException {
        browser.findElement(By.id("tillit-review-sign-in-button")).click();
        Browser.waitFor(browser, By.id("username")).sendKeys(identifier);
        browser.findElement(By.id("password")).sendKeys(password);
        WebElement login = browser.findElement(By.id("kc-login"));
        login.click();
        Browser.pastBotCheck(browser, login);
        if (totpSecret != null) {
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.unused(totpSecret));
            browser.findElement(By.id("kc-login")).click();
        }
        wait(browser).until(d -> d.findElement(By.id("tillit-review-queue")).isDisplayed()
                || d.findElement(By.id("tillit-review-alert")).isDisplayed());
    }

    /** The page's alert, or "" when none is shown. */
    public static String alert(WebDriver browser) {
        WebElement alert = browser.findElement(By.id("tillit-review-alert"));
        return alert.isDisplayed() ? alert.getText() : "";
    }

    public static String notice(WebDriver browser) {
        WebElement notice = browser.findElement(By.id("tillit-review-notice"));
        return notice.isDisplayed() ? notice.getText() : "";
    }

    /** The case ids listed, in order. */
    @SuppressWarnings("unchecked")
    public static List<String> listed(WebDriver browser) {
        // Read in one go: the list is rebuilt while the queue loads, which would stale elements read one by one.
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#tillit-review-cases li')).map(li => li.dataset.caseId)");
    }

    /** Waits until the queue lists {@code caseId}. */
    public static void awaitListed(WebDriver browser, String caseId) {
        wait(browser).until(d -> listed(d).contains(caseId));
    }

    /** Opens a case from the queue and waits for its pictures: each shown from a blob: URL, decoded. */
    public static void openCase(WebDriver browser, String caseId, int pictures) {
        browser.findElement(By.cssSelector("li[data-case-id='" + caseId + "'] button")).click();
        Browser.waitFor(browser, By.id("tillit-review-case"));
        wait(browser).until(d -> d.findElements(By.cssSelector(".tillit-review-picture-loaded")).size() == pictures);
    }

    /** The picture's src and its decoded width (0 if it did not decode). */
    public static List<Object> picture(WebDriver browser, String kind) {
        WebElement img = browser.findElement(By.cssSelector("#tillit-review-picture-" + kind + " img"));
        Object width = ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img);
        return List.of(img.getAttribute("src"), ((Number) width).intValue());
    }

    public static String field(WebDriver browser, String name) {
        return browser.findElement(By.id("tillit-review-field-" + name)).getText();
    }

    public static void choose(WebDriver browser, String outcome) {
        browser.findElement(By.id("tillit-review-outcome-" + outcome)).click();
    }

    public static void tick(WebDriver browser, String group, String value) {
        browser.findElement(By.id("tillit-review-" + group + "-" + value)).click();
    }

    /** Sends the decision form and waits for the page's answer (a notice, an alert or the form's error). */
    public static void confirm(WebDriver browser) {
        browser.findElement(By.id("tillit-review-decide-button")).click();
        wait(browser).until(d -> !notice(d).isEmpty() || !alert(d).isEmpty()
                || d.findElement(By.id("tillit-review-decide-error")).isDisplayed());
    }

    public static String formError(WebDriver browser) {
        WebElement error = browser.findElement(By.id("tillit-review-decide-error"));
        return error.isDisplayed() ? error.getText() : "";
    }

    private static WebDriverWait wait(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }
}
