package dev.tillit.keycloak.it.reset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SmsSink;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.it.support.TillitSettingsAdmin;
import dev.tillit.keycloak.it.support.Totp;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectEvents;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.events.Events;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.mail.MailServer;
import org.keycloak.testframework.mail.annotations.InjectMailServer;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The withdrawal lock as the exchange sees it: a token claim present exactly while the lock holds,
 * set by every path that changes a password, a second factor, the email address or the phone
 * number, in the same request as the change, with the user told in words that name the reason.
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class WithdrawalLockIT {

    private static final String PASSWORD = "Lock-Passw0rd!";

    private static final String NEW_PASSWORD = "Reset-Passw0rd?";
    private static final long HOUR = 3600;
    private static final Pattern LINK = Pattern.compile("(https?://[^\\s\"<]+/login-actions/action-token\\?[^\\s\"<]+)");

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @InjectMailServer
    MailServer mail;

    @InjectEvents(realmRef = "tillit")
    Events events;

    private SmsSink sms;
    private TillitSettingsAdmin settings;

    @BeforeEach
    void gateway() {
        sms = new SmsSink();
        // Identifier changes get 48 h here (the others keep 24 h), so a test can tell the durations apart.
        settings = new TillitSettingsAdmin(realm.admin()).httpGateway(sms).set("lockAfterIdentifierChangeHours", "48");
    }

    @AfterEach
    void restore() {
        settings.close();
        sms.close();
    }

    @Test
    void claimFollowsTheAttributeAndDisappearsWhenExpiredOrLifted() throws Exception {
        String email = TestUsers.freshEmail("lock");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        assertFalse(claims(email).has("withdrawal_locked_until"), "no lock, no claim");

        long future = Instant.now().getEpochSecond() + 3600;
        setLock(id, String.valueOf(future));
        assertEquals(future, claims(email).get("withdrawal_locked_until").asLong());
        assertEquals(future, userinfo(email).get("withdrawal_locked_until").asLong());

        setLock(id, String.valueOf(Instant.now().getEpochSecond() - 10));
        assertFalse(claims(email).has("withdrawal_locked_until"), "an expired lock is no lock");

        setLock(id, String.valueOf(future));
        setLock(id, null); // the admin lifts it
        assertFalse(claims(email).has("withdrawal_locked_until"), "a lifted lock is no lock");
    }

    @Test
    void adminPasswordResetLocksToo() throws Exception {
        String email = TestUsers.freshEmail("adminreset");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue("Other-Passw0rd!");
        credential.setTemporary(false);
        realm.admin().users().get(id).resetPassword(credential);

        long lockedUntil = lockOf(id);
        assertAbout(lockedUntil, 24 * HOUR);
        assertEquals("password_reset", lockEvent(id, "password_reset").getDetails().get("reason"));
        assertEquals(lockedUntil, claims(email, "Other-Passw0rd!").get("withdrawal_locked_until").asLong());
    }

    @Test
    void theAccountApiCannotSetAnUnverifiedEmail() throws Exception {
        String email = TestUsers.freshEmail("change");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        String token = TestUsers.json(TestUsers.passwordGrant(realm, email, PASSWORD)).get("access_token").asText();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode me = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/account/")).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        ((ObjectNode) me).put("email", TestUsers.freshEmail("changed"));
        HttpResponse<String> update = http.send(HttpRequest.newBuilder(URI.create(realm.getBaseUrl() + "/account/"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(me.toString())).build(), HttpResponse.BodyHandlers.ofString());

        // With the verified update-email action on, the email is read-only for the account API.
        assertEquals(400, update.statusCode(), update.body());
        UserRepresentation after = realm.admin().users().get(id).toRepresentation();
        assertEquals(email, after.getEmail());
        assertTrue(after.isEmailVerified());
        assertFalse(after.getAttributes() != null && after.getAttributes().containsKey("withdrawal_locked_until"),
                "nothing changed, nothing locked");
    }

    @Test
    void changingTheEmailNeedsTheNewAddressVerifiedThenLocksAndTellsTheOldAddress() throws Exception {
        String oldEmail = TestUsers.freshEmail("verify-old");
        String newEmail = TestUsers.freshEmail("verify-new");
        String id = TestUsers.create(realm, oldEmail, null, PASSWORD);

        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            // What the account console's "update email" does: the application-initiated action UPDATE_EMAIL.
            browser.get(client.authorizationUrl(null) + "&kc_action=UPDATE_EMAIL");
            Browser.waitFor(browser, By.id("username")).sendKeys(oldEmail);
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("kc-update-email-form"));
            browser.findElement(By.id("email")).clear();
            browser.findElement(By.id("email")).sendKeys(newEmail);
            browser.findElement(By.id("kc-submit")).click();
            Browser.waitFor(browser, By.id("kc-page-title"));
            Browser.screenshots(browser, "lock", "update-email-sent-en");

            // The new address gets a link; until it is followed nothing changes.
            MimeMessage verification = awaitMailTo(newEmail, 1);
            assertEquals(oldEmail, realm.admin().users().get(id).toRepresentation().getEmail());
            assertEquals(List.of(), mailsTo(oldEmail), "nothing changed yet, nothing to tell the old address");
            assertFalse(hasLock(id), "nothing changed yet, nothing locked");

            Matcher link = LINK.matcher(text(verification));
            assertTrue(link.find(), "no verification link in: " + text(verification));
            browser.get(link.group(1).replace("&amp;", "&"));
            Browser.waitFor(browser, By.id("kc-page-title"));
            Browser.screenshots(browser, "lock", "update-email-done-en");
        }

        UserRepresentation after = realm.admin().users().get(id).toRepresentation();
        assertEquals(newEmail, after.getEmail());
        assertTrue(after.isEmailVerified());
        long until = lockOf(id);
        assertAbout(until, 48 * HOUR);
        EventRepresentation locked = lockEvent(id, "email_changed");
        assertEquals(String.valueOf(until), locked.getDetails().get("withdrawal_locked_until"));

        // Both the previous and the new address are told, in words that name the change.
        for (String address : List.of(oldEmail, newEmail)) {
            MimeMessage notice = lockNoticeTo(address);
            assertTrue(text(notice).contains("The email address of your Tillit account was changed."), text(notice));
        }
    }

    @Test
    void adminEmailChangeLocksAndTellsTheOldAddress() throws Exception {
        String oldEmail = TestUsers.freshEmail("admin-old");
        String newEmail = TestUsers.freshEmail("admin-new");
        String id = TestUsers.create(realm, oldEmail, null, PASSWORD);

        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.setEmail(newEmail);
        realm.admin().users().get(id).update(user);

        // Locked by the time the admin API answers: written in the same request.
        long until = lockOf(id);
        assertAbout(until, 48 * HOUR);
        assertEquals(until, claims(newEmail).get("withdrawal_locked_until").asLong());
        EventRepresentation locked = lockEvent(id, "email_changed");
        assertEquals(String.valueOf(until), locked.getDetails().get("withdrawal_locked_until"));

        MimeMessage toOld = lockNoticeTo(oldEmail);
        assertTrue(text(toOld).contains("The email address of your Tillit account was changed."), text(toOld));
        lockNoticeTo(newEmail);
    }

    @Test
    void adminSavingAnUnchangedUserLocksNothing() throws Exception {
        String email = TestUsers.freshEmail("admin-same");
        String phone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, phone, PASSWORD);

        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.setFirstName("Unchanged");
        user.setEmail(email.toUpperCase(java.util.Locale.ROOT));
        realm.admin().users().get(id).update(user);

        assertFalse(hasLock(id), "the email and the number did not change");
        assertEquals(List.of(), sms.to(phone));
        assertEquals(List.of(), mailsTo(email));
    }

    @Test
    void adminPhoneChangeLocksAndTellsTheOldNumber() throws Exception {
        String email = TestUsers.freshEmail("admin-phone");
        String oldPhone = TestUsers.freshPhone();
        String newPhone = TestUsers.freshPhone();
        String id = TestUsers.create(realm, email, oldPhone, PASSWORD);

        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.getAttributes().put("phone_number", List.of(newPhone));
        realm.admin().users().get(id).update(user);

        long until = lockOf(id);
        assertAbout(until, 48 * HOUR);
        EventRepresentation locked = lockEvent(id, "phone_changed");
        assertEquals(String.valueOf(until), locked.getDetails().get("withdrawal_locked_until"));

        // The gateway is called within the request: the SMS are there when the admin API answers.
        List<SmsSink.Sms> toOld = sms.to(oldPhone);
        assertEquals(1, toOld.size(), "SMS to the previous number: " + toOld);
        assertTrue(toOld.get(0).text().startsWith("Tillit: the mobile number of your account was changed."), toOld.get(0).text());
        // A number an admin sets is unverified (AdminPhoneFactorIT): it is not told, the proved one is.
        assertEquals(0, sms.to(newPhone).size(), "no SMS to the new, unproved number");
        assertTrue(text(lockNoticeTo(email)).contains("The mobile number of your Tillit account was changed."));
    }

    @Test
    void adminDisablingTheAuthenticatorAppLocks() throws Exception {
        String email = TestUsers.freshEmail("otp-disable");
        String phone = TestUsers.freshPhone();
        String secret = "TillitTotpSecret" + System.nanoTime();
        String id = TestUsers.create(realm, email, phone, PASSWORD, secret);

        // PUT /admin/realms/tillit/users/{id}/disable-credential-types ["otp"]: Keycloak sends no admin event for it.
        realm.admin().users().get(id).disableCredentialType(List.of("otp"));

        long until = lockOf(id);
        assertAbout(until, 24 * HOUR);
        EventRepresentation locked = lockEvent(id, "second_factor_removed");
        assertEquals(String.valueOf(until), locked.getDetails().get("withdrawal_locked_until"));
        HttpResponse<String> grant = grantWithOtp(email, PASSWORD, Totp.now(secret));
        assertEquals(200, grant.statusCode(), grant.body());
        assertEquals(until, DemoWebClient.claims(TestUsers.json(grant).get("access_token").asText())
                .get("withdrawal_locked_until").asLong());
        assertTrue(sms.to(phone).get(0).text().startsWith("Tillit: a second sign-in factor was removed"), sms.to(phone).toString());
        assertTrue(text(lockNoticeTo(email)).contains("A second sign-in factor"));
    }

    @Test
    void aResetEndsEverySessionThroughKeycloaksLogout() throws Exception {
        String email = TestUsers.freshEmail("reset-logout");
        String id = TestUsers.create(realm, email, null, PASSWORD);
        String refreshA = TestUsers.json(TestUsers.passwordGrant(realm, email, PASSWORD)).get("refresh_token").asText();
        String refreshB = TestUsers.json(TestUsers.passwordGrant(realm, email, PASSWORD)).get("refresh_token").asText();
        List<String> before = realm.admin().users().get(id).getUserSessions().stream().map(s -> s.getId()).sorted().toList();
        assertEquals(2, before.size(), "two sessions before the reset");

        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(null));
            Browser.waitFor(browser, By.cssSelector("a[href*='reset-credentials']")).click();
            Browser.waitFor(browser, By.id("identifier")).sendKeys(email);
            browser.findElement(By.id("tillit-reset-submit")).click();
            Browser.waitFor(browser, By.id("code")).sendKeys(SmsSink.codeIn(text(awaitMailTo(email, 1))));
            browser.findElement(By.id("tillit-code-submit")).click();
            Browser.waitFor(browser, By.id("password-new")).sendKeys(NEW_PASSWORD);
            browser.findElement(By.id("password-confirm")).sendKeys(NEW_PASSWORD);
            browser.findElement(By.id("tillit-new-password-submit")).click();
            Browser.waitFor(browser, By.id("tillit-reset-done"));
        }

        assertEquals(List.of(), realm.admin().users().get(id).getUserSessions());
        assertEquals(400, TestUsers.refresh(realm, refreshA).statusCode());
        assertEquals(400, TestUsers.refresh(realm, refreshB).statusCode());
        List<EventRepresentation> all = allEvents();
        List<String> loggedOut = all.stream()
                .filter(e -> "LOGOUT".equals(e.getType()) && id.equals(e.getUserId()))
                .map(EventRepresentation::getSessionId).sorted().toList();
        assertEquals(before, loggedOut, "one LOGOUT event per session; events: " + describe(all));
        EventRepresentation locked = all.stream()
                .filter(e -> id.equals(e.getUserId()) && "withdrawal_locked".equals(detail(e, "tillit_event")))
                .findFirst().orElseThrow(() -> new AssertionError("no lock event: " + describe(all)));
        assertEquals("password_reset", locked.getDetails().get("reason"));
        assertTrue(text(lockNoticeTo(email)).contains("The password of your Tillit account was reset."));
    }

    @Test
    void removingTheAuthenticatorAppLocks() throws Exception {
        String email = TestUsers.freshEmail("otp-removal");
        String secret = "TillitTotpSecret" + System.nanoTime();
        String id = TestUsers.create(realm, email, null, PASSWORD, secret);
        String credentialId = realm.admin().users().get(id).credentials().stream()
                .filter(c -> "otp".equals(c.getType())).findFirst().orElseThrow().getId();

        // What the account console does: the application-initiated action delete_credential.
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(null) + "&kc_action=delete_credential:" + credentialId);
            Browser.waitFor(browser, By.id("username")).sendKeys(email);
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("otp")).sendKeys(Totp.now(secret));
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("kc-accept")).click();
            Browser.waitFor(browser, By.id("signed-in"));
        }
        assertTrue(realm.admin().users().get(id).credentials().stream().noneMatch(c -> "otp".equals(c.getType())));
        assertAbout(lockOf(id), 24 * HOUR);
        assertEquals("second_factor_removed", lockEvent(id, "second_factor_removed").getDetails().get("reason"));
    }

    /** The lock's end as stored; the lock is written within the request that made the change, so no waiting. */
    private long lockOf(String id) {
        List<String> value = realm.admin().users().get(id).toRepresentation().getAttributes().get("withdrawal_locked_until");
        assertTrue(value != null && value.size() == 1, "no withdrawal lock was set");
        return Long.parseLong(value.get(0));
    }

    private boolean hasLock(String id) {
        Map<String, List<String>> attributes = realm.admin().users().get(id).toRepresentation().getAttributes();
        return attributes != null && attributes.containsKey("withdrawal_locked_until");
    }

    private static void assertAbout(long until, long seconds) {
        long expected = Instant.now().getEpochSecond() + seconds;
        assertTrue(Math.abs(until - expected) < 300, "locked until " + until + ", expected ~" + expected);
    }

    /** Every event of the realm since the test started (or since the last call). */
    private List<EventRepresentation> allEvents() {
        List<EventRepresentation> all = new ArrayList<>();
        for (EventRepresentation e = events.poll(); e != null; e = events.poll()) {
            all.add(e);
        }
        return all;
    }

    private EventRepresentation lockEvent(String userId, String reason) {
        List<EventRepresentation> all = allEvents();
        List<EventRepresentation> locks = all.stream()
                .filter(e -> userId.equals(e.getUserId()) && "withdrawal_locked".equals(detail(e, "tillit_event")))
                .toList();
        assertEquals(1, locks.size(), "one withdrawal_locked event expected; events: " + describe(all));
        assertEquals("CUSTOM_REQUIRED_ACTION", locks.get(0).getType());
        assertEquals(reason, locks.get(0).getDetails().get("reason"));
        return locks.get(0);
    }

    private static String detail(EventRepresentation e, String key) {
        return e.getDetails() == null ? null : e.getDetails().get(key);
    }

    private static String describe(List<EventRepresentation> events) {
        return events.stream().map(e -> e.getType() + e.getDetails()).toList().toString();
    }

    private List<MimeMessage> mailsTo(String address) throws Exception {
        List<MimeMessage> to = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            Address[] recipients = m.getRecipients(Message.RecipientType.TO);
            if (recipients != null && Arrays.stream(recipients).anyMatch(r -> r.toString().equalsIgnoreCase(address))) {
                to.add(m);
            }
        }
        return to;
    }

    private MimeMessage awaitMailTo(String address, int n) throws Exception {
        for (int i = 0; i < 150 && mailsTo(address).size() < n; i++) {
            mail.waitForIncomingEmail(100, mail.getReceivedMessages().length + 1);
        }
        List<MimeMessage> to = mailsTo(address);
        assertTrue(to.size() >= n, "no mail #" + n + " to " + address);
        return to.get(n - 1);
    }

    /** The lock notice sent to {@code address}: exactly one, already delivered when the request returned. */
    private MimeMessage lockNoticeTo(String address) throws Exception {
        List<MimeMessage> notices = new ArrayList<>();
        for (MimeMessage m : mailsTo(address)) {
            if ("Withdrawals from your Tillit account are locked".equals(m.getSubject())) {
                notices.add(m);
            }
        }
        assertEquals(1, notices.size(), "lock notices to " + address);
        return notices.get(0);
    }

    private static String text(MimeMessage message) throws Exception {
        Object content = message.getContent();
        if (content instanceof Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                all.append(part.getContent()).append('\n');
            }
            return all.toString();
        }
        return String.valueOf(content);
    }

    private HttpResponse<String> grantWithOtp(String username, String password, String otp) throws Exception {
        String form = "grant_type=password&client_id=demo-app&scope=openid"
                + "&username=" + java.net.URLEncoder.encode(username, java.nio.charset.StandardCharsets.UTF_8)
                + "&password=" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
                + "&otp=" + otp;
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void setLock(String id, String value) {
        UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        if (user.getAttributes() == null) {
            user.setAttributes(new java.util.HashMap<>());
        }
        if (value == null) {
            user.getAttributes().remove("withdrawal_locked_until");
        } else {
            user.getAttributes().put("withdrawal_locked_until", List.of(value));
        }
        realm.admin().users().get(id).update(user);
    }

    private JsonNode claims(String email) throws Exception {
        return claims(email, PASSWORD);
    }

    private JsonNode claims(String email, String password) throws Exception {
        HttpResponse<String> response = TestUsers.passwordGrant(realm, email, password);
        assertEquals(200, response.statusCode(), response.body());
        return DemoWebClient.claims(TestUsers.json(response).get("access_token").asText());
    }

    private JsonNode userinfo(String email) throws Exception {
        String token = TestUsers.json(TestUsers.passwordGrant(realm, email, PASSWORD)).get("access_token").asText();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realm.getBaseUrl() + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        return TestUsers.json(response);
    }
}
