package dev.tillit.keycloak.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/** The SMS and email second factors: accounts that hold them, the sign-in pages, their codes and events. */
public final class SecondFactorPages {

    public static final String SMS = "tillit-sms-otp";
    public static final String EMAIL = "tillit-email-otp";
    public static final String SETUP_SMS = "tillit-configure-sms-otp";
    public static final String SETUP_EMAIL = "tillit-configure-email-otp";

    private SecondFactorPages() {
    }

    /**
     * Creates an enabled account (email and phone verified where given; {@code email} or
     * {@code phone} may be null) holding the second factors {@code types} as if set up earlier
     * (what the set-up action stores), and Keycloak's authenticator app when {@code totpSecret}
     * is not null. Returns its id.
     */
    public static String createUser(ManagedRealm realm, String email, String phone, String password, String totpSecret,
                                    String... types) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername("mfa-" + java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000_000));
        user.setEnabled(true);
        user.setEmail(email);
        user.setEmailVerified(email != null);
        java.util.Map<String, List<String>> attributes = new java.util.HashMap<>();
        if (phone != null) {
            attributes.put("phone_number", List.of(phone));
            attributes.put("phone_number_verified", List.of("true"));
        }
        user.setAttributes(attributes);
        List<CredentialRepresentation> credentials = new ArrayList<>();
        CredentialRepresentation pwd = new CredentialRepresentation();
        pwd.setType(CredentialRepresentation.PASSWORD);
        pwd.setValue(password);
        pwd.setTemporary(false);
        credentials.add(pwd);
        if (totpSecret != null) {
            CredentialRepresentation otp = new CredentialRepresentation();
            otp.setType("otp");
            otp.setUserLabel("Authenticator app");
            otp.setSecretData("{\"value\":\"" + totpSecret + "\"}");
            otp.setCredentialData("{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}");
            credentials.add(otp);
        }
        for (String type : types) {
            CredentialRepresentation credential = new CredentialRepresentation();
            credential.setType(type);
            // As the set-up action labels them.
            credential.setUserLabel(SMS.equals(type) ? "SMS +46\u00a0•••\u00a0•••\u00a0" + phone.substring(phone.length() - 2) : email);
            credential.setCredentialData("{}");
            credential.setSecretData("{}");
            credentials.add(credential);
        }
        user.setCredentials(credentials);
        try (jakarta.ws.rs.core.Response response = realm.admin().users().create(user)) {
            if (response.getStatus() != 201) {
                throw new AssertionError("user not created: " + response.getStatus() + " " + response.readEntity(String.class));
            }
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    public static List<String> credentialTypes(ManagedRealm realm, String userId) {
        return realm.admin().users().get(userId).credentials().stream().map(CredentialRepresentation::getType).toList();
    }

    /** From the client's login page through the identifier + password form. */
    public static void signIn(WebDriver browser, String url, String identifier, String password) {
        browser.get(url);
        Browser.waitFor(browser, By.id("username")).sendKeys(identifier);
        browser.findElement(By.id("password")).sendKeys(password);
        org.openqa.selenium.WebElement login = browser.findElement(By.id("kc-login"));
        login.click();
        Browser.pastBotCheck(browser, login);
    }

    /** The code page's lead text (where the code went), no-break spaces read as spaces. */
    public static String shown(WebDriver browser) {
        return Browser.textOf(browser, By.id("tillit-code-recipient")).replace('\u00a0', ' ');
    }

    public static boolean onCodePage(WebDriver browser) {
        return !browser.findElements(By.id("tillit-code-form")).isEmpty();
    }

    /** "Try another way", then the factor whose name is {@code displayName}. */
    public static void tryAnotherWay(WebDriver browser, String displayName) {
        Browser.waitFor(browser, By.id("try-another-way")).click();
        choose(browser, displayName);
    }

    /** On Keycloak's "select login method" page: the factor whose name is {@code displayName}. */
    public static void choose(WebDriver browser, String displayName) {
        Browser.waitFor(browser, By.xpath("//h2[normalize-space()='" + displayName + "']/ancestor::div[@role='button']")).click();
    }

    /** Posts "start over" on the code page although the page offers none (a forged request). */
    public static void forceRestart(WebDriver browser) {
        Browser.waitFor(browser, By.id("tillit-code-form"));
        ((JavascriptExecutor) browser).executeScript(
                "var f = document.createElement('form'); f.method = 'post';"
                        + "f.action = document.getElementById('tillit-code-form').action;"
                        + "var i = document.createElement('input'); i.type = 'hidden'; i.name = 'restart'; i.value = 'true';"
                        + "f.appendChild(i); document.body.appendChild(f); f.submit();");
        Browser.waitFor(browser, By.id("code"));
    }

    /** Signs in through the browser with the password and the SMS code; returns the access token. */
    public static String browserToken(ManagedRealm realm, String login, String password, SmsSink sms, String phone)
            throws Exception {
        org.openqa.selenium.WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            int before = sms.codesTo(phone).size();
            signIn(browser, client.authorizationUrl(null), login, password);
            SignupPages.enterCode(browser, sms.awaitCode(phone, before + 1));
            Browser.waitFor(browser, org.openqa.selenium.By.id("signed-in"));
            String token = client.awaitTokens().get("access_token").asText();
            Browser.get(); // signed out again (cookies cleared), so the test's next sign-in starts afresh
            return token;
        }
    }

    /** Waits for the {@code n}-th received mail (1-based) that carries a code, skipping notices. */
    public static String awaitMailCode(org.keycloak.testframework.mail.MailServer mail, int n) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> codes = new ArrayList<>();
            for (MimeMessage message : mail.getReceivedMessages()) {
                String body = String.valueOf(((jakarta.mail.Multipart) message.getContent()).getBodyPart(0).getContent());
                if (java.util.regex.Pattern.compile("\\b\\d{6}\\b").matcher(body).find()) {
                    codes.add(codeInMail(message));
                }
            }
            if (codes.size() >= n) {
                return codes.get(n - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail code #" + n + " among " + mail.getReceivedMessages().length + " mails");
    }

    public static String codeInMail(MimeMessage message) throws Exception {
        Object content = message.getContent();
        String text = content instanceof Multipart multipart ? String.valueOf(multipart.getBodyPart(0).getContent())
                : String.valueOf(content);
        return SmsSink.codeIn(text);
    }

    /** A 6-digit code that is not {@code code}. */
    public static String otherThan(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    /** The next unread event {@code tillit_event=value} whose {@code purpose} is {@code purpose}. */
    public static EventRepresentation await(TillitEventLog events, String value, String purpose) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            EventRepresentation event = events.await(value);
            if (purpose.equals(TillitEventLog.detail(event, "purpose"))) {
                return event;
            }
        }
        throw new AssertionError("no " + value + " event for purpose " + purpose);
    }

    /** Every event so far with {@code tillit_event=value} and {@code purpose}. */
    public static List<EventRepresentation> all(TillitEventLog events, String value, String purpose) {
        return events.all(value).stream().filter(e -> purpose.equals(TillitEventLog.detail(e, "purpose"))).toList();
    }

    /** Keycloak's brute-force count of failed sign-ins for the account. */
    public static int failures(ManagedRealm realm, String userId) {
        Map<String, Object> status = realm.admin().attackDetection().bruteForceUserStatus(userId);
        return ((Number) status.get("numFailures")).intValue();
    }
}
