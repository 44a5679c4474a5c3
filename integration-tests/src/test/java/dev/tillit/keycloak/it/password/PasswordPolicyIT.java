package dev.tillit.keycloak.it.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.tillit.keycloak.it.support.Browser;
import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.SignupPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The demo realm's password policy, rule by rule, as a person meets it on the sign-up screen. */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class PasswordPolicyIT {

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " >> ", value = {
            "Sh0rt!A >> The password must be at least 8 characters long.",
            "Aa1!aaaaaaaaaaaaaaaaaaaaaaaaaaaaa >> The password must be at most 32 characters long.",
            "NoDigits-Here! >> The password must contain at least 1 digit.",
            "nocapital-1! >> The password must contain at least 1 capital letter.",
            "NoSpecial123 >> The password must contain at least 1 special character.",
            "Angle<Brack3t >> Use only letters A–Z, digits and these special characters: ~`!@#$%^*()_-+={}[]|;:,.?/",
            "Amper&sand12A >> Use only letters A–Z, digits and these special characters: ~`!@#$%^*()_-+={}[]|;:,.?/",
            "'With Space1A!' >> Use only letters A–Z, digits and these special characters: ~`!@#$%^*()_-+={}[]|;:,.?/",
            "Euro€Sign12A! >> Use only letters A–Z, digits and these special characters: ~`!@#$%^*()_-+={}[]|;:,.?/",
            "Åland-Pass12 >> Use only letters A–Z, digits and these special characters: ~`!@#$%^*()_-+={}[]|;:,.?/"
    })
    void eachRuleIsRefusedWithItsOwnMessage(String password, String message) {
        assertEquals(message, signUpWith(TestUsers.freshEmail("policy"), password, "en"));
    }

    @Test
    void swedishMessages() {
        assertEquals("Lösenordet måste vara minst 8 tecken långt.", signUpWith(TestUsers.freshEmail("policy"), "Sh0rt!A", "sv"));
        assertEquals("Använd endast bokstäverna A–Z, siffror och dessa specialtecken: ~`!@#$%^*()_-+={}[]|;:,.?/",
                signUpWith(TestUsers.freshEmail("policy"), "Euro€Sign12A!", "sv"));
    }

    @Test
    void passwordMayNotContainThePhoneNumber() {
        String phone = TestUsers.freshPhone();
        assertEquals("The password must not contain your phone number.",
                signUpWith("0" + phone.substring(3), "Pw!" + phone.substring(3) + "A", "en"));
    }

    @Test
    void everySpecialCharacterOfTheSetIsAccepted() {
        for (char special : "~`!@#$%^*()_-+={}[]|;:,.?/".toCharArray()) {
            String password = "Abcdef1" + special;
            assertEquals(List.of(), realmPolicyErrors(password), "refused " + special);
        }
    }

    @Test
    void checklistTicksOffRulesWhileTyping() {
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).click();
            Browser.waitFor(browser, By.id("password")).sendKeys("abc1");
            List<WebElement> rules = browser.findElements(By.cssSelector("#tillit-password-rules li"));
            assertEquals(5, rules.size());
            assertEquals("8 till 32 tecken", rules.get(0).getText());
            assertTrue(rules.get(1).getDomAttribute("class").contains("tillit-rule-ok"), "digit ticked");
            assertTrue(!String.valueOf(rules.get(0).getDomAttribute("class")).contains("tillit-rule-ok"), "length not yet");
            browser.findElement(By.id("password")).sendKeys("Defg!");
            assertTrue(browser.findElements(By.cssSelector("#tillit-password-rules li")).stream()
                    .allMatch(li -> li.getDomAttribute("class").contains("tillit-rule-ok")));
            Browser.screenshots(browser, "signup", "register-rules-sv");
        }
    }

    @Test
    void keycloaksOwnUpdatePasswordPageShowsTheSameChecklist() throws Exception {
        String email = TestUsers.freshEmail("update");
        String id = TestUsers.create(realm, email, null, "Valid-Passw0rd!");
        org.keycloak.representations.idm.UserRepresentation user = realm.admin().users().get(id).toRepresentation();
        user.setRequiredActions(List.of("UPDATE_PASSWORD"));
        realm.admin().users().get(id).update(user);

        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl("sv"));
            Browser.waitFor(browser, By.id("username")).sendKeys(email);
            browser.findElement(By.id("password")).sendKeys("Valid-Passw0rd!");
            browser.findElement(By.id("kc-login")).click();
            Browser.waitFor(browser, By.id("password-new")).sendKeys("abc1");
            List<WebElement> rules = browser.findElements(By.cssSelector("#tillit-password-rules li"));
            assertEquals(5, rules.size());
            assertEquals("8 till 32 tecken", rules.get(0).getText());
            assertTrue(rules.get(1).getDomAttribute("class").contains("tillit-rule-ok"), "digit ticked");
            Browser.screenshots(browser, "password", "update-password-rules-sv");

            // The server's check still counts: a password outside the allowed characters is refused.
            browser.findElement(By.id("password-new")).clear();
            browser.findElement(By.id("password-new")).sendKeys("Abcdefg1<");
            browser.findElement(By.id("password-confirm")).sendKeys("Abcdefg1<");
            browser.findElement(By.id("kc-submit")).click();
            Browser.waitFor(browser, By.id("tillit-password-rules"));
            assertEquals(5, browser.findElements(By.cssSelector("#tillit-password-rules li")).size(), "checklist after an error too");
            Browser.screenshots(browser, "password", "update-password-refused-sv");

            browser.findElement(By.id("password-new")).clear();
            browser.findElement(By.id("password-new")).sendKeys("Abcdefg1!");
            browser.findElement(By.id("password-confirm")).clear();
            browser.findElement(By.id("password-confirm")).sendKeys("Abcdefg1!");
            browser.findElement(By.id("kc-submit")).click();
            Browser.waitFor(browser, By.id("signed-in"));
        }
    }

    /** Server-side verdict without a browser: the admin API applies the same realm policy. */
    private List<String> realmPolicyErrors(String password) {
        String id = TestUsers.create(realm, TestUsers.freshEmail("specials"), null, "Valid-Passw0rd!");
        org.keycloak.representations.idm.CredentialRepresentation credential = new org.keycloak.representations.idm.CredentialRepresentation();
        credential.setType("password");
        credential.setValue(password);
        credential.setTemporary(false);
        try {
            realm.admin().users().get(id).resetPassword(credential);
            return List.of();
        } catch (jakarta.ws.rs.BadRequestException e) {
            return List.of(e.getResponse().readEntity(String.class));
        } finally {
            realm.admin().users().delete(id).close();
        }
    }

    private String signUpWith(String identifier, String password, String locale) {
        WebDriver browser = Browser.get();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            browser.get(client.authorizationUrl(locale));
            Browser.waitFor(browser, By.cssSelector("a[href*='/registration']")).click();
            SignupPages.fill(browser, identifier, password, password, true, true);
            return SignupPages.fieldError(browser, "password");
        }
    }
}
