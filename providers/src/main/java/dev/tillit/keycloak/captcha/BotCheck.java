package dev.tillit.keycloak.captcha;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.Logger;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureVerifierContext;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.vault.VaultStringSecret;

/**
 * The bot check itself, wherever a page carries it: the separate step ({@link BotCheckAuthenticator})
 * and the sign-in form, which carries it beside the password so an honest sign-in pays no extra page.
 * It builds what a page needs (a signed proof-of-work challenge, or the vendor widget's site key and
 * script) and judges an answer posted back: the proof-of-work accepted once across the cluster
 * ({@code SingleUseObjectProvider.putIfAbsent} on the challenge's nonce), a widget's token at the
 * vendor's siteverify. Holds no state of its own but the verifier's HTTP client.
 */
public final class BotCheck {

    /** Form fields of the proof-of-work answer. */
    public static final String CHALLENGE_FIELD = "tillit_challenge";
    public static final String SOLUTION_FIELD = "tillit_solution";

    private static final Logger LOG = Logger.getLogger(BotCheck.class);

    private final SiteVerifier siteVerifier;
    private final ProofOfWork proofOfWork = new ProofOfWork(Clock.systemUTC());

    public BotCheck(SiteVerifier siteVerifier) {
        this.siteVerifier = siteVerifier;
    }

    /** The verdict on one posted answer: {@code failure} null when it passed, else a {@code TillitEvents.BOT_CHECK_*} reason. */
    public record Verdict(BotCheckProvider provider, String failure, Double score) {
        public boolean passed() {
            return failure == null;
        }

        /** The message key a person sees for this failure (every failure is "try again", worded by cause). */
        public String message() {
            return switch (failure) {
                case TillitEvents.BOT_CHECK_EXPIRED -> TillitMessages.BOT_CHECK_EXPIRED;
                case TillitEvents.BOT_CHECK_VERIFIER_TIMEOUT, TillitEvents.BOT_CHECK_VERIFIER_ERROR,
                     TillitEvents.BOT_CHECK_NOT_CONFIGURED -> TillitMessages.BOT_CHECK_UNAVAILABLE;
                default -> TillitMessages.BOT_CHECK_FAILED;
            };
        }
    }

    /** Whether the form carries any answer at all (a proof-of-work solution or a widget token). */
    public static boolean answered(RealmModel realm, MultivaluedMap<String, String> form) {
        BotCheckProvider provider = BotCheckProvider.of(TillitSettings.of(realm).botCheckProvider());
        String answer = provider == BotCheckProvider.POW ? form.getFirst(SOLUTION_FIELD) : form.getFirst(provider.responseField());
        return answer != null && !answer.isBlank();
    }

    /** Judges the answer in {@code form}; a proof-of-work answer is spent by judging it, pass or fail. */
    public Verdict judge(KeycloakSession session, RealmModel realm, AuthenticationSessionModel authSession,
                         MultivaluedMap<String, String> form, String remoteAddr, String recaptchaAction) {
        TillitSettings settings = TillitSettings.of(realm);
        BotCheckProvider provider = BotCheckProvider.of(settings.botCheckProvider());
        if (provider == BotCheckProvider.POW) {
            return new Verdict(provider, checkProofOfWork(session, realm, authSession, form), null);
        }
        SiteVerifier.Verdict verdict = siteVerifier.verify(provider, verifyUrl(provider, settings), secret(session, settings),
                form.getFirst(provider.responseField()), remoteAddr, settings.botCheckTimeout(), recaptchaAction,
                settings.botCheckMinScore());
        if (verdict.detail() != null && verdict.failure() != null) {
            // For the operator: what the verifier said (never the secret or the token).
            LOG.debugf("Bot check (%s) failed in realm %s: %s (%s)", provider.id(), realm.getName(), verdict.failure(), verdict.detail());
        }
        return new Verdict(provider, verdict.failure(), verdict.score());
    }

    /** The event for a verdict, on a clone of {@code base} (type {@code CUSTOM_REQUIRED_ACTION}); the caller adds the user if it may. */
    public static EventBuilder event(EventBuilder base, Verdict verdict) {
        EventBuilder event = base.clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail(TillitEvents.BOT_CHECK_PROVIDER, verdict.provider().id());
        if (verdict.score() != null) {
            event.detail(TillitEvents.BOT_CHECK_SCORE, String.valueOf(verdict.score()));
        }
        if (verdict.passed()) {
            return event.detail(TillitEvents.DETAIL, TillitEvents.BOT_CHECK_PASSED);
        }
        return event.detail(TillitEvents.DETAIL, TillitEvents.BOT_CHECK_FAILED).detail(Details.REASON, verdict.failure());
    }

    /** Emits the verdict's event: success, or error {@link TillitEvents#BOT_CHECK_FAILED}. */
    public static void emit(EventBuilder event, Verdict verdict) {
        if (verdict.passed()) {
            event.success();
        } else {
            event.error(TillitEvents.BOT_CHECK_FAILED);
        }
    }

    private String checkProofOfWork(KeycloakSession session, RealmModel realm, AuthenticationSessionModel authSession,
                                    MultivaluedMap<String, String> form) {
        ProofOfWork.Result result = proofOfWork.verify(form.getFirst(CHALLENGE_FIELD), form.getFirst(SOLUTION_FIELD),
                binding(authSession), kid -> verifier(session, kid));
        if (!result.ok()) {
            return result.failure();
        }
        // Accepted once across the cluster: the nonce stays spent as long as the challenge could be valid.
        long lifespan = Math.max(1, result.verified().remaining().toSeconds() + 1);
        String key = "tillit:bot-check:" + realm.getId() + ":" + result.verified().nonce();
        return session.singleUseObjects().putIfAbsent(key, lifespan) ? null : TillitEvents.BOT_CHECK_REPLAYED;
    }

    /**
     * What a page needs to carry the check: {@code provider}, and for the proof-of-work a fresh signed
     * {@code challenge} with its {@code nonce} and {@code bits}; for a widget its {@code siteKey},
     * {@code script}, {@code responseField} and reCAPTCHA {@code action}. A widget's frames are allowed
     * in this page's Content-Security-Policy (this answer only).
     */
    public Map<String, Object> page(KeycloakSession session, RealmModel realm, AuthenticationSessionModel authSession,
                                    String recaptchaAction) {
        TillitSettings settings = TillitSettings.of(realm);
        BotCheckProvider provider = BotCheckProvider.of(settings.botCheckProvider());
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("provider", provider.id());
        if (provider == BotCheckProvider.POW) {
            ProofOfWork.Challenge challenge = proofOfWork.issue(
                    session.getProvider(SignatureProvider.class, ProofOfWork.ALGORITHM).signer(),
                    binding(authSession), settings.botCheckDifficultyBits(), settings.botCheckChallengeLifetime());
            page.put("challenge", challenge.token());
            page.put("nonce", challenge.nonce());
            page.put("bits", challenge.bits());
            page.put("challengeField", CHALLENGE_FIELD);
            page.put("solutionField", SOLUTION_FIELD);
        } else {
            String siteKey = settings.botCheckSiteKey() == null ? "" : settings.botCheckSiteKey();
            page.put("siteKey", siteKey);
            page.put("script", provider.script(siteKey));
            page.put("responseField", provider.responseField());
            page.put("action", recaptchaAction);
            // The widget's frames come from its vendor: allowed for this page only, the realm's
            // Content-Security-Policy stays as it is everywhere else.
            SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
            if (headers != null) {
                headers.options().allowFrameSrc(provider.frameOrigins());
            }
        }
        return page;
    }

    private static SignatureVerifierContext verifier(KeycloakSession session, String kid) {
        try {
            return session.getProvider(SignatureProvider.class, ProofOfWork.ALGORITHM).verifier(kid);
        } catch (Exception e) {
            return null; // no such key (rotated away, or made up)
        }
    }

    static String binding(AuthenticationSessionModel authSession) {
        return ProofOfWork.binding(authSession.getParentSession().getId(), authSession.getTabId());
    }

    private static String verifyUrl(BotCheckProvider provider, TillitSettings settings) {
        String override = settings.botCheckVerifyUrl();
        return override == null || override.isBlank() ? provider.verifyUrl() : override;
    }

    private static String secret(KeycloakSession session, TillitSettings settings) {
        String reference = settings.botCheckSecretReference();
        if (reference == null) {
            return null;
        }
        try (VaultStringSecret vault = session.vault().getStringSecret(reference)) {
            return vault.get().orElse(null);
        }
    }
}
