package dev.tillit.keycloak.it.support;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** Drives the Tillit sign-up screen and the code page every code step shares, in the browser. */
public final class SignupPages {

    public static final String PASSWORD = "Sup3r-Secret!";

    private SignupPages() {
    }

    /** From the client's login page to the filled and submitted sign-up form. */
    public static void register(WebDriver browser, DemoWebClient client, String locale, String identifier) {
        browser.get(client.authorizationUrl(locale));
        Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).click();
        fill(browser, identifier, PASSWORD, PASSWORD, true, true);
    }

    public static void fill(WebDriver browser, String identifier, String password, String confirm,
                            boolean terms, boolean privacy) {
        Browser.waitFor(browser, By.id("identifier")).clear();
        browser.findElement(By.id("identifier")).sendKeys(identifier);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("password-confirm")).sendKeys(confirm);
        tick(browser, "acceptTerms", terms);
        tick(browser, "acceptPrivacy", privacy);
        browser.findElement(By.id("tillit-register")).click();
    }

    private static void tick(WebDriver browser, String id, boolean wanted) {
        // The form keeps earlier ticks when it comes back with an error.
        if (browser.findElement(By.id(id)).isSelected() != wanted) {
            browser.findElement(By.id(id)).click();
        }
    }

    public static void enterCode(WebDriver browser, String code) {
        Browser.waitFor(browser, By.id("code")).clear();
        browser.findElement(By.id("code")).sendKeys(code);
        org.openqa.selenium.WebElement submit = browser.findElement(By.id("tillit-code-submit"));
        submit.click();
        // Wait for the answer page: the previous wrong-code message would otherwise be read again
        // (or go stale under the reader) while the form is on its way.
        Browser.pastBotCheck(browser, submit);
    }

    /** Posts the resend form even while its button is disabled: the server must enforce the cooldown. */
    public static void forceResend(WebDriver browser) {
        Browser.waitFor(browser, By.id("tillit-resend-form"));
        ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("document.getElementById('tillit-resend-form').submit()");
        Browser.waitFor(browser, By.id("code"));
    }

    public static String codeError(WebDriver browser) {
        return Browser.textOf(browser, By.id("input-error-code")).trim();
    }

    public static String fieldError(WebDriver browser, String field) {
        return Browser.textOf(browser, By.id("input-error-" + field)).trim();
    }
}
