package dev.tillit.keycloak.it.support;

import java.time.Duration;
import java.util.List;

import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys in Chromium through Selenium's virtual authenticator (a platform authenticator that keeps
 * discoverable credentials and verifies its user, answering at once), and the recovery-code pages.
 */
public final class Passkeys {

    public static final String PASSKEY = "webauthn-passwordless";
    public static final String SECURITY_KEY = "webauthn";
    public static final String RECOVERY_CODES = "recovery-authn-codes";
    public static final String REGISTER_PASSKEY = "webauthn-register-passwordless";

    private Passkeys() {
    }

    /** A fresh authenticator on the browser; remove it with {@link #remove} when the test ends. */
    public static VirtualAuthenticator add(WebDriver browser) {
        VirtualAuthenticatorOptions options = new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true);
        return ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(options);
    }

    public static void remove(WebDriver browser, VirtualAuthenticator authenticator) {
        if (authenticator != null) {
            ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(authenticator);
        }
    }

    /**
     * Takes the passkeys out of the authenticator (for {@link #restore}): while a test types a password
     * on the identifier form, passkey autofill must have nothing to offer, or the browser could answer it.
     */
    public static List<Credential> hide(VirtualAuthenticator authenticator) {
        List<Credential> held = authenticator.getCredentials();
        authenticator.removeAllCredentials();
        return held;
    }

    public static void restore(VirtualAuthenticator authenticator, List<Credential> held) {
        held.forEach(authenticator::addCredential);
    }

    /** On Keycloak's passkey registration page: "Register", then the name Keycloak's script asks for. */
    public static void register(WebDriver browser, String label) {
        Browser.waitFor(browser, By.id("registerWebAuthn")).click();
        Alert prompt = new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.alertIsPresent());
        prompt.sendKeys(label);
        prompt.accept();
    }

    /** On the passkey page (second factor, reset): "Sign in with a passkey". */
    public static void authenticate(WebDriver browser) {
        Browser.waitFor(browser, By.id("authenticateWebAuthnButton")).click();
    }

    /**
     * As an attacker's page script would: drops the account's list of allowed passkeys from the page,
     * so the authenticator answers with any passkey it holds for this site.
     */
    public static void forgetAllowedPasskeys(WebDriver browser) {
        ((JavascriptExecutor) browser).executeScript(
                "var f = document.forms['authn_select']; if (f) { f.remove(); }");
    }

    /** On Keycloak's recovery-code set-up page: the codes shown, then "I have saved them" and "Done". */
    public static List<String> saveRecoveryCodes(WebDriver browser) {
        Browser.waitFor(browser, By.id("kc-recovery-codes-list"));
        List<String> codes = browser.findElements(By.cssSelector("#kc-recovery-codes-list li")).stream()
                .map(WebElement::getText).map(String::trim).toList();
        browser.findElement(By.id("kcRecoveryCodesConfirmationCheck")).click();
        browser.findElement(By.id("saveRecoveryAuthnCodesBtn")).click();
        return codes;
    }

    /** On Keycloak's recovery-code sign-in page: which code number it asks for. */
    public static String askedCodeLabel(WebDriver browser) {
        return Browser.textOf(browser, By.cssSelector("label[for='recoveryCodeInput']")).trim();
    }

    public static void enterRecoveryCode(WebDriver browser, String code) {
        WebElement input = Browser.waitFor(browser, By.id("recoveryCodeInput"));
        input.clear();
        input.sendKeys(code);
        browser.findElement(By.id("kc-login")).click();
    }
}
