package dev.tillit.keycloak.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tillit.keycloak.TillitEvents;
import org.junit.jupiter.api.Test;

/** Reading siteverify answers as the vendors write them; only a clear yes passes. */
class SiteVerifierTest {

    @Test
    void turnstileAndHcaptchaPassOnSuccessOnly() {
        assertTrue(SiteVerifier.judge(BotCheckProvider.TURNSTILE, 200,
                "{\"success\":true,\"error-codes\":[],\"challenge_ts\":\"2026-11-26T12:00:00Z\",\"hostname\":\"localhost\"}",
                null, 0.5).passed());
        SiteVerifier.Verdict no = SiteVerifier.judge(BotCheckProvider.HCAPTCHA, 200,
                "{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}", null, 0.5);
        assertEquals(TillitEvents.BOT_CHECK_REJECTED, no.failure());
        assertEquals("[\"invalid-input-response\"]", no.detail());
    }

    @Test
    void anythingButAClearAnswerFailsClosed() {
        assertEquals(TillitEvents.BOT_CHECK_VERIFIER_ERROR, SiteVerifier.judge(BotCheckProvider.TURNSTILE, 500, "{\"success\":true}", null, 0).failure());
        assertEquals(TillitEvents.BOT_CHECK_VERIFIER_ERROR, SiteVerifier.judge(BotCheckProvider.TURNSTILE, 200, "<html>", null, 0).failure());
        assertEquals(TillitEvents.BOT_CHECK_VERIFIER_ERROR, SiteVerifier.judge(BotCheckProvider.TURNSTILE, 200, "{}", null, 0).failure());
        assertEquals(TillitEvents.BOT_CHECK_VERIFIER_ERROR, SiteVerifier.judge(BotCheckProvider.TURNSTILE, 200, "{\"success\":\"true\"}", null, 0).failure());
    }

    @Test
    void recaptchaV3NeedsTheScoreAndTheAction() {
        SiteVerifier.Verdict good = SiteVerifier.judge(BotCheckProvider.RECAPTCHA, 200,
                "{\"success\":true,\"score\":0.9,\"action\":\"tillit_registration\"}", "tillit_registration", 0.5);
        assertTrue(good.passed());
        assertEquals(0.9, good.score());
        assertEquals(TillitEvents.BOT_CHECK_LOW_SCORE, SiteVerifier.judge(BotCheckProvider.RECAPTCHA, 200,
                "{\"success\":true,\"score\":0.3,\"action\":\"tillit_registration\"}", "tillit_registration", 0.5).failure());
        assertTrue(SiteVerifier.judge(BotCheckProvider.RECAPTCHA, 200,
                "{\"success\":true,\"score\":0.5,\"action\":\"tillit_registration\"}", "tillit_registration", 0.5).passed());
        assertEquals(TillitEvents.BOT_CHECK_WRONG_ACTION, SiteVerifier.judge(BotCheckProvider.RECAPTCHA, 200,
                "{\"success\":true,\"score\":0.9,\"action\":\"tillit_authenticate\"}", "tillit_registration", 0.5).failure());
        // A v2 key's answer has no score: not what this realm was set up for.
        assertEquals(TillitEvents.BOT_CHECK_VERIFIER_ERROR, SiteVerifier.judge(BotCheckProvider.RECAPTCHA, 200,
                "{\"success\":true}", "tillit_registration", 0.5).failure());
    }

    @Test
    void noTokenOrNoSecretIsNeverSentAnywhere() {
        SiteVerifier verifier = new SiteVerifier();
        // The URL would fail if it were called: these never get that far.
        assertEquals(TillitEvents.BOT_CHECK_MISSING, verifier.verify(BotCheckProvider.TURNSTILE, "http://127.0.0.1:1/",
                "secret", " ", null, java.time.Duration.ofSeconds(1), null, 0).failure());
        SiteVerifier.Verdict noSecret = verifier.verify(BotCheckProvider.TURNSTILE, "http://127.0.0.1:1/",
                null, "token", null, java.time.Duration.ofSeconds(1), null, 0);
        assertEquals(TillitEvents.BOT_CHECK_NOT_CONFIGURED, noSecret.failure());
        assertNull(noSecret.score());
    }
}
