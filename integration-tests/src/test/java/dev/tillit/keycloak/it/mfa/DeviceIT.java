package dev.tillit.keycloak.it.mfa;

import static dev.tillit.keycloak.it.support.SecondFactorPages.SMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SecondFactorPages;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.SmsGatewayTest;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitEventLog;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Trusted devices ("remember this device") and new-device alerts in Chromium: a trusted browser
 * skips the SMS code but never the password; an unticked box, a forged, foreign or revoked cookie,
 * and the setting off trust nothing; an unknown browser sends a mail and an SMS, a known one
 * nothing; the alert's "this was not me" link locks withdrawals, ends that sign-in's session and
 * works once.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class DeviceIT extends SmsGatewayTest {

    static final String PASSWORD = "Device-Passw0rd!";
    static final String TRUSTED = "TILLIT_TRUSTED_DEVICE";
    static final String DEVICE = "TILLIT_DEVICE";
    private static final Pattern LINK = Pattern.compile("(http\\S+/login-actions/action-token\\?\\S+)");

    // ---- Trusted devices

    @Test
    void aTrustedDeviceSkipsTheSecondFactorButNeverThePassword() throws Exception {
        settings.set("trustedDeviceDays", "30");
        String email = TestUsers.freshEmail("trusted");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);

        Map<String, Object> trust = trustThisBrowser(email, phone, 1, "en", "trust-offer-en");
        EventRepresentation trusted = events.await("device_trusted");
        assertEquals(id, trusted.getUserId());
        assertEquals("30", TillitEventLog.detail(trusted, "trusted_days"));
        long expires = ((Number) trust.get("expires")).longValue();
        long days = (expires - System.currentTimeMillis() / 1000) / 86400;
        assertTrue(days == 29 || days == 30, "the cookie lives 30 days, not " + days);
        assertEquals(1, attribute(id, "tillit_trusted_devices").size());
        assertTrue((Boolean) trust.get("httpOnly"), "scripts never see the trust");

        // A new browser session with only the trust cookie: the password is asked, the SMS code is not.
        browser = Browser.get();
        restore(trust);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertEquals(1, sms.codesTo(phone).size(), "no code for a trusted device");
        EventRepresentation skipped = events.await("second_factor_skipped");
        assertEquals("LOGIN", skipped.getType());
        assertEquals(id, skipped.getUserId());

        // Never a way around the password: a wrong one is refused as always.
        browser = Browser.get();
        restore(trust);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, "Wrong-" + PASSWORD);
            Browser.waitFor(browser, By.id("password"));
            assertTrue(browser.findElements(By.id("signed-in")).isEmpty());
            assertFalse(SecondFactorPages.onCodePage(browser));
        }
    }

    @Test
    void anUntickedBoxTrustsNothing() throws Exception {
        settings.set("trustedDeviceDays", "30");
        String email = TestUsers.freshEmail("untrusted");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("sv"), email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, 1));
            assertFalse(Browser.waitFor(browser, By.id("trust-device")).isSelected(), "the box starts unticked");
            assertEquals("Kom ihåg den här enheten i 30 dagar",
                    browser.findElement(By.cssSelector("label[for='trust-device']")).getText());
            Browser.screenshots(browser, "devices", "trust-offer-sv");
            browser.findElement(By.id("tillit-trust-device-continue")).click();
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertNull(cookie(TRUSTED), "nothing trusted");
        assertTrue(attribute(id, "tillit_trusted_devices").isEmpty());
        assertTrue(events.all("device_trusted").isEmpty());

        browser = Browser.get(); // signed out (no trust cookie to keep)
        signInAskedForCode(email, phone, 2);
    }

    @Test
    void forgedForeignAndRevokedCookiesSkipNothing() throws Exception {
        settings.set("trustedDeviceDays", "30");
        String emailA = TestUsers.freshEmail("trust-a");
        String phoneA = TestUsers.freshPhone();
        String idA = SecondFactorPages.createUser(realm, emailA, phoneA, PASSWORD, null, SMS);
        String emailB = TestUsers.freshEmail("trust-b");
        String phoneB = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, emailB, phoneB, PASSWORD, null, SMS);
        Map<String, Object> trustA = trustThisBrowser(emailA, phoneA, 1, null, null);
        String jws = (String) trustA.get("value");

        // A's cookie in B's sign-in: signed by the realm, but bound to A.
        browser = Browser.get();
        restore(trustA);
        signInAskedForCode(emailB, phoneB, 1);

        // A's cookie re-addressed to B: the signature no longer fits.
        String[] parts = jws.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String idB = realm.admin().users().searchByEmail(emailB, true).get(0).getId();
        String forgedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace(idA, idB).getBytes(StandardCharsets.UTF_8));
        assertNotEquals(parts[1], forgedPayload);
        browser = Browser.get();
        restore(with(trustA, parts[0] + "." + forgedPayload + "." + parts[2]));
        signInAskedForCode(emailB, phoneB, 2);

        // An unsigned token ("alg": "none") with A's own claims.
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8));
        browser = Browser.get();
        restore(with(trustA, none + "." + parts[1] + "."));
        signInAskedForCode(emailA, phoneA, 2);

        // The genuine cookie still works for A ...
        browser = Browser.get();
        restore(trustA);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), emailA, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertEquals(2, sms.codesTo(phoneA).size());

        // ... until A's password is reset: every trust is revoked, the same cookie skips nothing.
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("New-" + PASSWORD);
        password.setTemporary(false);
        realm.admin().users().get(idA).resetPassword(password);
        EventRepresentation revoked = events.await("device_trust_revoked");
        assertEquals(idA, revoked.getUserId());
        assertEquals("password_reset", TillitEventLog.detail(revoked, "reason"));
        assertTrue(attribute(idA, "tillit_trusted_devices").isEmpty());
        browser = Browser.get();
        restore(trustA);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), emailA, "New-" + PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phoneA, 3));
            Browser.waitFor(browser, By.id("trust-device"));
        }
    }

    @Test
    void anAdminRevokesEveryTrustByDeletingTheAttribute() throws Exception {
        settings.set("trustedDeviceDays", "30");
        String email = TestUsers.freshEmail("trust-admin");
        String phone = TestUsers.freshPhone();
        String id = SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        Map<String, Object> trust = trustThisBrowser(email, phone, 1, null, null);

        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        assertNotNull(user.getAttributes().remove("tillit_trusted_devices"));
        realm.admin().users().get(id).update(user);
        assertTrue(attribute(id, "tillit_trusted_devices").isEmpty());

        browser = Browser.get();
        restore(trust);
        signInAskedForCode(email, phone, 2);
    }

    @Test
    void withTheSettingOffNoBoxIsOfferedAndEarlierTrustsAreIgnored() throws Exception {
        settings.set("trustedDeviceDays", "30");
        String email = TestUsers.freshEmail("trust-off");
        String phone = TestUsers.freshPhone();
        SecondFactorPages.createUser(realm, email, phone, PASSWORD, null, SMS);
        Map<String, Object> trust = trustThisBrowser(email, phone, 1, null, null);

        settings.set("trustedDeviceDays", "0");
        browser = Browser.get();
        restore(trust);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            // Asked for the code although this browser holds a trust: the earlier trust is ignored.
            SignupPages.enterCode(browser, sms.awaitCode(phone, 2));
            // Straight from the code to the app: the offer is a page of its own, which would stop the
            // flow before the app's page (the other tests wait for it at this point).
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    // ---- New-device alerts

    @Test
    void aNewDeviceSendsAMailAndAnSmsAKnownDeviceNothing() throws Exception {
        settings.set("knownDevicesPerUser", "20");
        String email = TestUsers.freshEmail("new-device");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, phone, PASSWORD);
        String address = Browser.freshIpv4();

        browser = Browser.from(address);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        EventRepresentation alert = events.await("new_device_sign_in");
        assertEquals(id, alert.getUserId());
        assertNotNull(alert.getSessionId());
        MimeMessage message = awaitMailTo(email, 1);
        assertEquals("New sign-in to your Tillit account", message.getSubject());
        String text = textOf(message);
        assertTrue(text.contains("IP address: " + address), text);
        assertTrue(text.contains("Chrome"), text);
        String link = link(text);
        SmsSink.Sms notice = sms.await(phone, 1);
        assertTrue(notice.text().startsWith("Tillit: new sign-in to your account"), notice.text());
        assertTrue(notice.text().contains("(IP " + address + ")"), notice.text());
        assertTrue(LINK.matcher(notice.text()).find(), notice.text());
        Map<String, Object> device = cookie(DEVICE);
        assertNotNull(device);
        assertEquals(1, attribute(id, "tillit_known_devices").size());
        assertFalse(attribute(id, "tillit_known_devices").get(0).contains((String) device.get("value")),
                "the server keeps a fingerprint, not the cookie");

        // The same browser again (its device cookie kept): nothing is sent.
        browser = Browser.from(address);
        restore(device);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        // The alert goes out on the sign-in's request thread: once signed in, anything sent has arrived.
        assertEquals(1, mailsTo(email).size(), "a known device sends no mail");
        assertEquals(1, sms.to(phone).size(), "a known device sends no SMS");
        assertEquals(1, events.all("new_device_sign_in").size());

        // A made-up device id is just another new device.
        browser = Browser.get();
        restore(with(device, "A".repeat(43)));
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl("en"), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        awaitMailTo(email, 2);
        sms.await(phone, 2);
        assertEquals(2, attribute(id, "tillit_known_devices").size());

        // Opening the alert's link shows a confirmation only (in English for this account).
        browser = Browser.get();
        browser.get(link);
        Browser.waitFor(browser, By.id("tillit-disown-confirm"));
        assertEquals("Was this not you?", browser.findElement(By.id("kc-page-title")).getText());
        Browser.screenshots(browser, "devices", "disown-confirm-en");
        assertTrue(attribute(id, "withdrawal_locked_until").isEmpty());
    }

    /**
     * The app's password grant has no cookie: the app names its installation ({@code device_id}). A new
     * installation is alerted like a new browser, a known one sends nothing, and a grant that names no device is
     * new every time (a script replaying a password never looks familiar) and is not recorded.
     */
    @Test
    void thePasswordGrantAlertsANewAppInstallationAndOneThatNamesNone() throws Exception {
        settings.set("knownDevicesPerUser", "20");
        String email = TestUsers.freshEmail("new-app");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, phone, PASSWORD);
        String installation = "app-installation-" + System.nanoTime();

        assertEquals(200, grant(email, installation).statusCode());
        EventRepresentation alert = events.await("new_device_sign_in");
        assertEquals(id, alert.getUserId());
        assertNotNull(alert.getSessionId());
        assertEquals("New sign-in to your Tillit account", awaitMailTo(email, 1).getSubject());
        assertTrue(sms.await(phone, 1).text().startsWith("Tillit: new sign-in to your account"));
        assertEquals(1, attribute(id, "tillit_known_devices").size());
        assertFalse(attribute(id, "tillit_known_devices").get(0).contains(installation), "a fingerprint, not the id");

        // The same installation again: nothing. Then a grant naming no device: alerted (the second mail and SMS),
        // and the known installation's grant in between sent none of them.
        assertEquals(200, grant(email, installation).statusCode());
        assertEquals(200, grant(email, null).statusCode());
        awaitMailTo(email, 2);
        sms.await(phone, 2);
        assertEquals(2, mailsTo(email).size());
        assertEquals(2, sms.to(phone).size());
        assertEquals(2, events.all("new_device_sign_in").size());
        assertEquals(1, attribute(id, "tillit_known_devices").size(), "no device named, nothing recorded");
    }

    private HttpResponse<String> grant(String email, String installation) throws Exception {
        return TestUsers.tokenRequest(realm, "grant_type=password&client_id=demo-app&scope=openid&username="
                + java.net.URLEncoder.encode(email, java.nio.charset.StandardCharsets.UTF_8) + "&password="
                + java.net.URLEncoder.encode(PASSWORD, java.nio.charset.StandardCharsets.UTF_8)
                + (installation == null ? "" : "&device_id=" + installation));
    }

    @Test
    void thisWasNotMeLocksWithdrawalsEndsThatSessionAndWorksOnce() throws Exception {
        settings.set("knownDevicesPerUser", "20");
        String email = TestUsers.freshEmail("disown");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, phone, PASSWORD);
        UserRepresentation swede = realm.admin().users().get(id).toRepresentation();
        swede.getAttributes().put("locale", List.of("sv"));
        // A device the owner once trusted (as the offer stores it): disowning a sign-in forgets it.
        swede.getAttributes().put("tillit_trusted_devices", List.of("x".repeat(43) + "." + (System.currentTimeMillis() / 1000 + 86400)));
        realm.admin().users().get(id).update(swede);

        // The intruder signs in through the browser: an alert goes out naming that session.
        String intruderRefresh;
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
            intruderRefresh = client.awaitTokens().get("refresh_token").asText();
        }
        String intruderSession = events.await("new_device_sign_in").getSessionId();
        // The owner's own session (the app's password grant) is another one and must survive.
        String ownerRefresh = TestUsers.json(TestUsers.passwordGrant(realm, email, PASSWORD)).get("refresh_token").asText();
        MimeMessage alert = awaitMailTo(email, 1);
        assertEquals("Ny inloggning på ditt Tillit-konto", alert.getSubject());
        String link = link(textOf(alert));
        assertTrue(attribute(id, "withdrawal_locked_until").isEmpty());

        // The owner opens the link elsewhere: first only a confirmation (a mail scanner's fetch does nothing).
        browser = Browser.get();
        browser.get(link);
        Browser.waitFor(browser, By.id("tillit-disown-confirm"));
        assertEquals("Var det inte du?", browser.findElement(By.id("kc-page-title")).getText());
        Browser.screenshots(browser, "devices", "disown-confirm-sv");
        assertTrue(attribute(id, "withdrawal_locked_until").isEmpty(), "opening the link alone locks nothing");
        assertEquals(200, refreshDemoWeb(intruderRefresh).statusCode(), "opening the link alone ends nothing");

        browser.findElement(By.id("tillit-disown-confirm")).click();
        Browser.waitFor(browser, By.id("tillit-disown-done"));
        assertEquals("Uttag är spärrade", browser.findElement(By.id("kc-page-title")).getText());
        Browser.screenshots(browser, "devices", "disown-done-sv");
        EventRepresentation disowned = events.await("sign_in_disowned");
        assertEquals(id, disowned.getUserId());
        assertEquals(intruderSession, disowned.getSessionId());
        assertEquals("true", TillitEventLog.detail(disowned, "session_ended"));
        EventRepresentation locked = events.await("withdrawal_locked");
        assertEquals("suspicious_sign_in", TillitEventLog.detail(locked, "reason"));
        long until = Long.parseLong(attribute(id, "withdrawal_locked_until").get(0));
        long hours = (until - System.currentTimeMillis() / 1000 + 60) / 3600;
        assertEquals(72, hours, "the lock lasts the setting's 72 hours");
        assertEquals("suspicious_sign_in", TillitEventLog.detail(events.await("device_trust_revoked"), "reason"));
        assertTrue(attribute(id, "tillit_trusted_devices").isEmpty(), "trusted devices are forgotten");

        // That session is over (its refresh token is dead); the owner's other session is not.
        HttpResponse<String> intruder = refreshDemoWeb(intruderRefresh);
        assertEquals(400, intruder.statusCode(), intruder.body());
        HttpResponse<String> owner = TestUsers.refresh(realm, ownerRefresh);
        assertEquals(200, owner.statusCode(), owner.body());

        // Once: the same link again, in any browser, changes nothing more.
        browser = Browser.get();
        browser.get(link);
        String page = Browser.textOf(browser, By.tagName("body"));
        assertTrue(page.contains("Den här länken har redan använts"), page);
        Browser.screenshots(browser, "devices", "disown-used-sv");
        assertTrue(browser.findElements(By.id("tillit-disown-confirm")).isEmpty());
        assertEquals(1, events.all("sign_in_disowned").size());
        assertEquals(1, events.all("withdrawal_locked").size());
    }

    @Test
    void aForgedDisownLinkDoesNothing() throws Exception {
        settings.set("knownDevicesPerUser", "20");
        String email = TestUsers.freshEmail("disown-forged");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            Browser.waitFor(browser, By.id("signed-in"));
        }
        String link = link(textOf(awaitMailTo(email, 1)));
        Matcher key = Pattern.compile("key=([^&]+)").matcher(link);
        assertTrue(key.find());
        String[] parts = key.group(1).split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        browser = Browser.get();
        browser.get(link.replace(key.group(1), tampered));
        Browser.waitFor(browser, By.tagName("body"));
        assertTrue(browser.findElements(By.id("tillit-disown-confirm")).isEmpty());
        assertTrue(attribute(id, "withdrawal_locked_until").isEmpty());
    }

    // ---- helpers

    /**
     * Signs in with the password and the {@code n}-th SMS code, ticks "remember this device" and
     * returns the trust cookie (screenshot of the offer when {@code shot} is set).
     */
    private Map<String, Object> trustThisBrowser(String email, String phone, int n, String locale, String shot) throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(locale), email, PASSWORD);
            SignupPages.enterCode(browser, sms.awaitCode(phone, n));
            Browser.waitFor(browser, By.id("trust-device"));
            if (shot != null) {
                assertEquals("Remember this device for 30 days",
                        browser.findElement(By.cssSelector("label[for='trust-device']")).getText());
                Browser.screenshots(browser, "devices", shot);
            }
            browser.findElement(By.id("trust-device")).click();
            browser.findElement(By.id("tillit-trust-device-continue")).click();
            Browser.waitFor(browser, By.id("signed-in"));
        }
        Map<String, Object> trust = cookie(TRUSTED);
        assertNotNull(trust, "the trust cookie is set");
        return trust;
    }

    /** Signs in and expects the {@code n}-th SMS code to be asked (and entered). */
    private void signInAskedForCode(String email, String phone, int n) throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(null), email, PASSWORD);
            String code = sms.awaitCode(phone, n);
            assertTrue(SecondFactorPages.onCodePage(browser), "the second factor is asked");
            SignupPages.enterCode(browser, code);
        }
    }

    /** demo-web's refresh (the browser sign-ins' client; public, so no secret). */
    private HttpResponse<String> refreshDemoWeb(String refreshToken) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id="
                        + DemoWebClient.CLIENT_ID + "&refresh_token=" + refreshToken)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<String> attribute(String userId, String name) {
        UserRepresentation user = realm.admin().users().get(userId).toRepresentation();
        List<String> values = user.getAttributes() == null ? null : user.getAttributes().get(name);
        return values == null ? List.of() : values;
    }

    /** A cookie of the browser (any path), as Chromium's DevTools report it, or null. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> cookie(String name) {
        Map<String, Object> all = ((ChromeDriver) browser).executeCdpCommand("Network.getAllCookies", Map.of());
        for (Map<String, Object> c : (List<Map<String, Object>>) all.get("cookies")) {
            if (name.equals(c.get("name"))) {
                return c;
            }
        }
        return null;
    }

    private void restore(Map<String, Object> cookie) {
        ((ChromeDriver) browser).executeCdpCommand("Network.setCookie", Map.of(
                "name", cookie.get("name"), "value", cookie.get("value"), "domain", cookie.get("domain"),
                "path", cookie.get("path"), "httpOnly", cookie.get("httpOnly"), "expires", cookie.get("expires")));
    }

    private static Map<String, Object> with(Map<String, Object> cookie, String value) {
        Map<String, Object> copy = new java.util.HashMap<>(cookie);
        copy.put("value", value);
        return copy;
    }

    private List<MimeMessage> mailsTo(String address) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            if (address.equalsIgnoreCase(message.getAllRecipients()[0].toString())) {
                found.add(message);
            }
        }
        return found;
    }

    private MimeMessage awaitMailTo(String address, int n) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<MimeMessage> found = mailsTo(address);
            if (found.size() >= n) {
                return found.get(n - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail #" + n + " to " + address);
    }

    private static String textOf(MimeMessage message) throws Exception {
        Object content = message.getContent();
        return content instanceof Multipart multipart ? String.valueOf(multipart.getBodyPart(0).getContent())
                : String.valueOf(content);
    }

    private static String link(String text) {
        Matcher m = LINK.matcher(text);
        assertTrue(m.find(), "no link in: " + text);
        return m.group(1);
    }
}
