package dev.tillit.keycloak.it.support;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** Drives "Forgot your password?" in the browser: identify, start over, new password (the code page: {@link SignupPages}). */
public final class ResetPages {

    private ResetPages() {
    }

    /** From the client's login page to the submitted identifier form (the answer is not awaited). */
    public static void start(WebDriver browser, DemoWebClient client, String locale, String identifier) {
        browser.get(client.authorizationUrl(locale));
        Browser.waitFor(browser, By.cssSelector("a[href*='reset-credentials']")).click();
        identify(browser, identifier);
    }

    /** Types into the identifier form and submits it. */
    public static void identify(WebDriver browser, String identifier) {
        Browser.waitFor(browser, By.id("identifier")).clear();
        browser.findElement(By.id("identifier")).sendKeys(identifier);
        browser.findElement(By.id("tillit-reset-submit")).click();
    }

    /** "Use another email or number" on the code page. */
    public static void startOver(WebDriver browser) {
        Browser.waitFor(browser, By.id("tillit-restart")).click();
        Browser.waitFor(browser, By.id("identifier"));
    }

    public static boolean onCodePage(WebDriver browser) {
        return !browser.findElements(By.id("tillit-code-form")).isEmpty();
    }

    public static boolean onNewPasswordPage(WebDriver browser) {
        return !browser.findElements(By.id("password-new")).isEmpty();
    }

    public static void submitNewPassword(WebDriver browser, String password) {
        Browser.waitFor(browser, By.id("password-new")).clear();
        browser.findElement(By.id("password-new")).sendKeys(password);
        browser.findElement(By.id("password-confirm")).clear();
        browser.findElement(By.id("password-confirm")).sendKeys(password);
        org.openqa.selenium.WebElement submit = browser.findElement(By.id("tillit-new-password-submit"));
        submit.click();
        // The answer page, not this one: its title would otherwise be read as it goes stale.
        Browser.pastBotCheck(browser, submit);
    }
}
