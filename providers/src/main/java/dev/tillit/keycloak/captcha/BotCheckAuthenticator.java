package dev.tillit.keycloak.captcha;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tillit.keycloak.FormStepAuthenticator;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureVerifierContext;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.vault.VaultStringSecret;

/**
 * The bot check ("verification procedure") as a flow step: placed before anything that sends a
 * code (sign-up, reset) and after the password (sign-in), it shows a page that proves a person is
 * at the keyboard, by Tillit's proof-of-work or a third-party widget (setting {@code botCheckProvider}),
 * and lets the flow go on only once the server has checked the answer. Failures say "try again"
 * on a fresh page; nothing else happens, so a bot learns nothing and sends nothing.
 */
public class BotCheckAuthenticator implements FormStepAuthenticator {

    /** Form fields of the proof-of-work page. */
    static final String CHALLENGE_FIELD = "tillit_challenge";
    static final String SOLUTION_FIELD = "tillit_solution";

    static final String TEMPLATE = "tillit-bot-check.ftl";

    private static final Logger LOG = Logger.getLogger(BotCheckAuthenticator.class);

    private final SiteVerifier siteVerifier;
    private final ProofOfWork proofOfWork = new ProofOfWork(Clock.systemUTC());

    public BotCheckAuthenticator(SiteVerifier siteVerifier) {
        this.siteVerifier = siteVerifier;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.challenge(page(context, null));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        TillitSettings settings = TillitSettings.of(context.getRealm());
        BotCheckProvider provider = BotCheckProvider.of(settings.botCheckProvider());
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String failure;
        String detail = null;
        Double score = null;
        if (provider == BotCheckProvider.POW) {
            failure = checkProofOfWork(context, form);
        } else {
            SiteVerifier.Verdict verdict = siteVerifier.verify(provider, verifyUrl(provider, settings),
                    secret(context.getSession(), settings), form.getFirst(provider.responseField()),
                    context.getConnection().getRemoteAddr(), settings.botCheckTimeout(), recaptchaAction(context),
                    settings.botCheckMinScore());
            failure = verdict.failure();
            detail = verdict.detail();
            score = verdict.score();
        }
        EventBuilder event = context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail(TillitEvents.BOT_CHECK_PROVIDER, provider.id());
        if (context.getUser() != null) {
            event.user(context.getUser()); // at sign-in the check comes after the password
        }
        if (score != null) {
            event.detail(TillitEvents.BOT_CHECK_SCORE, String.valueOf(score));
        }
        if (failure == null) {
            event.detail(TillitEvents.DETAIL, TillitEvents.BOT_CHECK_PASSED).success();
            context.success();
            return;
        }
        if (detail != null) {
            // For the operator: what the verifier said (never the secret or the token).
            LOG.debugf("Bot check (%s) failed in realm %s: %s (%s)", provider.id(), context.getRealm().getName(), failure, detail);
        }
        event.detail(TillitEvents.DETAIL, TillitEvents.BOT_CHECK_FAILED).detail(Details.REASON, failure)
                .error(TillitEvents.BOT_CHECK_FAILED);
        context.challenge(page(context, message(failure)));
    }

    private String checkProofOfWork(AuthenticationFlowContext context, MultivaluedMap<String, String> form) {
        KeycloakSession session = context.getSession();
        ProofOfWork.Result result = proofOfWork.verify(form.getFirst(CHALLENGE_FIELD), form.getFirst(SOLUTION_FIELD),
                binding(context.getAuthenticationSession()), kid -> verifier(session, kid));
        if (!result.ok()) {
            return result.failure();
        }
        // Accepted once across the cluster: the nonce stays spent as long as the challenge could be valid.
        long lifespan = Math.max(1, result.verified().remaining().toSeconds() + 1);
        String key = "tillit:bot-check:" + context.getRealm().getId() + ":" + result.verified().nonce();
        return session.singleUseObjects().putIfAbsent(key, lifespan) ? null : TillitEvents.BOT_CHECK_REPLAYED;
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

    /** reCAPTCHA v3's action: which flow the page belongs to, e.g. {@code tillit_registration}. */
    static String recaptchaAction(AuthenticationFlowContext context) {
        String path = context.getFlowPath() == null ? "authenticate" : context.getFlowPath();
        return "tillit_" + path.replaceAll("[^A-Za-z0-9]", "_");
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

    private static String message(String failure) {
        return switch (failure) {
            case TillitEvents.BOT_CHECK_EXPIRED -> TillitMessages.BOT_CHECK_EXPIRED;
            case TillitEvents.BOT_CHECK_VERIFIER_TIMEOUT, TillitEvents.BOT_CHECK_VERIFIER_ERROR,
                 TillitEvents.BOT_CHECK_NOT_CONFIGURED -> TillitMessages.BOT_CHECK_UNAVAILABLE;
            default -> TillitMessages.BOT_CHECK_FAILED;
        };
    }

    private jakarta.ws.rs.core.Response page(AuthenticationFlowContext context, String error) {
        TillitSettings settings = TillitSettings.of(context.getRealm());
        BotCheckProvider provider = BotCheckProvider.of(settings.botCheckProvider());
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("provider", provider.id());
        if (provider == BotCheckProvider.POW) {
            ProofOfWork.Challenge challenge = proofOfWork.issue(
                    context.getSession().getProvider(SignatureProvider.class, ProofOfWork.ALGORITHM).signer(),
                    binding(context.getAuthenticationSession()), settings.botCheckDifficultyBits(),
                    settings.botCheckChallengeLifetime());
            page.put("challenge", challenge.token());
            page.put("nonce", challenge.nonce());
            page.put("bits", challenge.bits());
            page.put("challengeField", CHALLENGE_FIELD);
            page.put("solutionField", SOLUTION_FIELD);
        } else {
            page.put("siteKey", settings.botCheckSiteKey() == null ? "" : settings.botCheckSiteKey());
            page.put("script", provider.script(settings.botCheckSiteKey() == null ? "" : settings.botCheckSiteKey()));
            page.put("responseField", provider.responseField());
            page.put("action", recaptchaAction(context));
            // The widget's frames come from its vendor: allowed for this page only, the realm's
            // Content-Security-Policy stays as it is everywhere else.
            SecurityHeadersProvider headers = context.getSession().getProvider(SecurityHeadersProvider.class);
            if (headers != null) {
                headers.options().allowFrameSrc(provider.frameOrigins());
            }
        }
        var forms = context.form().setAttribute("botCheck", page);
        if (error != null) {
            forms.setError(error);
        }
        return forms.createForm(TEMPLATE);
    }

}
