package dev.tillit.keycloak.broker.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The audience and hosted-domain rules of the app's native sign-in, as Google and Apple issue the app's
 * tokens (Android: aud = the web client id, azp = the Android client id; iOS and Apple: aud = the app's id).
 */
class ProviderIdTokenTest {

    private static final String WEB = "web.apps.googleusercontent.com";
    private static final String ANDROID = "android.apps.googleusercontent.com";
    private static final String IOS = "ios.apps.googleusercontent.com";
    private static final List<String> APP = List.of(IOS, ANDROID);

    private static String problem(String[] aud, String azp) {
        return ProviderIdToken.audienceProblem(aud, azp, WEB, APP);
    }

    @Test
    void androidsTokenForTheWebClientIdIssuedToTheAndroidAppPasses() {
        assertNull(problem(new String[] {WEB}, ANDROID));
    }

    @Test
    void iosAndApplesTokensForTheAppsOwnIdPass() {
        assertNull(problem(new String[] {IOS}, IOS));
        assertNull(ProviderIdToken.audienceProblem(new String[] {"dev.tillit.app"}, null, "dev.tillit.signin", List.of("dev.tillit.app")));
    }

    @Test
    void aWebClientIdTokenNotIssuedToTheAppIsRefused() {
        assertNotNull(problem(new String[] {WEB}, WEB), "issued to our website");
        assertNotNull(problem(new String[] {WEB}, null), "issued to no one named");
        assertNotNull(problem(new String[] {WEB}, "someone-elses.apps.googleusercontent.com"), "issued to another app");
        assertNotNull(ProviderIdToken.audienceProblem(new String[] {WEB}, WEB, WEB, List.of(WEB, ANDROID)),
                "the web client id listed among the app's ids is still not the app's");
    }

    @Test
    void anotherAudienceIsRefused() {
        assertNotNull(problem(new String[] {"someone-else"}, ANDROID));
        assertNotNull(problem(null, ANDROID));
        assertNotNull(problem(new String[] {IOS}, "someone-elses.apps.googleusercontent.com"), "an azp that is present must be the app's");
    }

    @Test
    void theHostedDomainRuleIsKeycloaksGoogleProviders() {
        assertTrue(ProviderIdToken.hostedDomainMatches(null, null));
        assertTrue(ProviderIdToken.hostedDomainMatches("", null));
        assertTrue(ProviderIdToken.hostedDomainMatches("*", null));
        assertTrue(ProviderIdToken.hostedDomainMatches("a.example,b.example", "b.example"));
        assertFalse(ProviderIdToken.hostedDomainMatches("a.example", null), "a consumer account has no hd");
        assertFalse(ProviderIdToken.hostedDomainMatches("a.example", "c.example"));
    }
}
