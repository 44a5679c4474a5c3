package dev.tillit.keycloak.mfa;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.code.CodeNotes;
import dev.tillit.keycloak.code.CodeRecipient;
import dev.tillit.keycloak.code.Masking;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.code.SendResult;
import dev.tillit.keycloak.code.VerifyResult;
import dev.tillit.keycloak.settings.RealmSettingsAuthenticatorFactory;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.directgrant.AbstractDirectGrantAuthenticator;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * The mobile app's password grant for accounts whose second factor is an SMS or email code (and
 * no authenticator app, whose {@code otp} Keycloak's own step checks): a two-step exchange, after
 * the password was checked by the step before this one.
 * <ol>
 * <li>{@code grant_type=password} with the right password and no {@code mfa_token}: a code goes
 *     out through the code engine (the sign-in factor's own purpose, so its limits, cooldown and
 *     guessing budget are the browser's), and the answer is HTTP 400
 *     {@code {"error":"mfa_required", "mfa_token": ..., "mfa_channel": "sms", ...}}. Asked again
 *     while that code lives, the same handle comes back and (after the cooldown) the same code is
 *     sent again. {@code mfa_channel=sms|email} picks a factor when the account holds both.</li>
 * <li>The same request again (password included, so the first factor is checked every time) with
 *     {@code mfa_token} and {@code mfa_code}: tokens when the code is right.</li>
 * </ol>
 * The direct grant has no auth session that outlives the request, so the engine's notes for the
 * pending code live in Keycloak's cluster-wide single-use store under the handle: 256 random
 * bits, bound to the user and the client, living as long as the code, accepted once (a right
 * code is single-use across parallel requests through the engine). A wrong code is a failed
 * sign-in for Keycloak's brute-force detection (the step has no reference category, so Keycloak
 * counts its failures); while the account is locked no code is compared.
 */
public class DirectGrantCodeFactorGate extends AbstractDirectGrantAuthenticator implements RealmSettingsAuthenticatorFactory {

    public static final String ID = "tillit-direct-grant-code-factor-gate";

    /** Request parameters of the second call (and {@link #PARAM_CHANNEL} of the first). */
    public static final String PARAM_TOKEN = "mfa_token";
    public static final String PARAM_CODE = "mfa_code";
    public static final String PARAM_CHANNEL = "mfa_channel";
    /** The OAuth error of the first call's answer: a code was sent, ask again with it. */
    public static final String MFA_REQUIRED = "mfa_required";

    private static final String HANDLE_KEY = "tillit:dg-mfa:";
    private static final String CURRENT_KEY = "tillit:dg-mfa-current:";
    private static final String NOTE_USER = "dg.user";
    private static final String NOTE_CLIENT = "dg.client";
    private static final String NOTE_FACTOR = "dg.factor";
    private static final String NOTE_EXPIRES = "dg.expires";

    private final SecureRandom random = new SecureRandom();

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        context.getEvent().user(user);
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String handle = form.getFirst(PARAM_TOKEN);
        if (handle == null || handle.isBlank()) {
            sendCode(context, user, form.getFirst(PARAM_CHANNEL));
        } else {
            checkCode(context, user, handle.trim(), form.getFirst(PARAM_CODE));
        }
    }

    // ---- First call: send a code ----------------------------------------------------------------

    private void sendCode(AuthenticationFlowContext context, UserModel user, String channel) {
        ContactFactor factor = factor(context, user, channel);
        String contact = factor == null ? null : factor.verifiedContact(user);
        if (contact == null) {
            context.getEvent().detail(TillitEvents.DETAIL, TillitEvents.DIRECT_GRANT_SECOND_FACTOR_REQUIRED)
                    .detail(Details.REASON, TillitEvents.REASON_NO_VERIFIED_CONTACT);
            refuse(context, Errors.INVALID_USER_CREDENTIALS, OAuthErrorException.INVALID_GRANT,
                    "This account's second factor cannot be checked here (a passkey, recovery codes, or no verified "
                            + "number or address for a code): sign in through the browser.");
            return;
        }
        SingleUseObjectProvider store = context.getSession().singleUseObjects();
        String clientId = context.getAuthenticationSession().getClient().getClientId();
        String currentKey = currentKey(context.getRealm(), user, clientId, factor);
        Map<String, String> current = store.get(currentKey);
        String handle = current == null ? null : current.get("handle");
        Map<String, String> notes = handle == null ? null : store.get(handleKey(context.getRealm(), handle));
        if (notes != null && !new OneTimeCodes(context.getSession(), context.getRealm(), CodeNotes.of(new LinkedHashMap<>(notes)),
                context.getEvent()).hasLiveCode(factor.signInPurpose())) {
            // The handle lives exactly as long as its code: a new code comes with a new handle.
            store.remove(handleKey(context.getRealm(), handle));
            notes = null;
        }
        if (notes == null || !user.getId().equals(notes.get(NOTE_USER)) || !clientId.equals(notes.get(NOTE_CLIENT))) {
            handle = newHandle();
            notes = new LinkedHashMap<>();
            notes.put(NOTE_USER, user.getId());
            notes.put(NOTE_CLIENT, clientId);
            notes.put(NOTE_FACTOR, factor.name());
        } else {
            notes = new LinkedHashMap<>(notes);
        }
        OneTimeCodes codes = new OneTimeCodes(context.getSession(), context.getRealm(), CodeNotes.of(notes), context.getEvent());
        CodeRecipient recipient = CodeRecipient.account(factor.channel(), contact, user.getId(),
                Masking.recipient(factor.channel(), contact));
        SendResult sent = codes.send(factor.signInPurpose(), recipient, null, false);
        boolean live = codes.hasLiveCode(factor.signInPurpose());
        if (sent.issued() || (sent == SendResult.COOLDOWN && live)) {
            long now = Time.currentTime();
            long expires = sent == SendResult.SENT ? now + codes.settings().codeLifetime().toSeconds()
                    : Long.parseLong(notes.getOrDefault(NOTE_EXPIRES, Long.toString(now)));
            notes.put(NOTE_EXPIRES, Long.toString(expires));
            // The store keeps the handle a minute past the code: a late entry hears "expired", not "unknown".
            long lifespan = Math.max(1, expires - now) + 60;
            store.put(handleKey(context.getRealm(), handle), lifespan, notes);
            store.put(currentKey, lifespan, Map.of("handle", handle));
            context.getEvent().detail(TillitEvents.DETAIL, TillitEvents.DIRECT_GRANT_SECOND_FACTOR_REQUIRED)
                    .detail(Details.CREDENTIAL_TYPE, factor.credentialType())
                    .error(MFA_REQUIRED);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", MFA_REQUIRED);
            body.put("error_description", (sent.issued() ? "A sign-in code was sent" : "A sign-in code was already sent")
                    + (factor == ContactFactor.SMS ? " by SMS to " : " by email to ") + recipient.shown()
                    + ". Repeat this request with mfa_token and mfa_code.");
            body.put(PARAM_TOKEN, handle);
            body.put(PARAM_CHANNEL, factor.channel().name().toLowerCase(Locale.ROOT));
            body.put("mfa_sent_to", recipient.shown());
            body.put("code_sent", sent.issued());
            body.put("expires_in", Math.max(0, expires - now));
            body.put("resend_in", codes.secondsUntilResend(factor.signInPurpose()));
            // Not a failure: the password was right, and the answer says what comes next.
            context.challenge(json(Response.Status.BAD_REQUEST, body));
            return;
        }
        String description = switch (sent) {
            case COOLDOWN -> "Please wait " + codes.secondsUntilResend(factor.signInPurpose())
                    + " seconds before asking for a new code.";
            case PAUSED -> "Too many wrong codes: a new code can be requested later.";
            case LIMITED -> "Too many codes have been requested. Please try again later.";
            case COUNTRY_NOT_ALLOWED -> "Text messages cannot be sent to this number's country.";
            default -> "The code could not be sent right now. Please try again.";
        };
        context.getEvent().detail(TillitEvents.DETAIL, TillitEvents.DIRECT_GRANT_SECOND_FACTOR_REQUIRED)
                .detail(Details.REASON, sent.name().toLowerCase(Locale.ROOT));
        refuse(context, MFA_REQUIRED, OAuthErrorException.INVALID_GRANT, description);
    }

    // ---- Second call: check the code ------------------------------------------------------------

    private void checkCode(AuthenticationFlowContext context, UserModel user, String handle, String code) {
        RealmModel realm = context.getRealm();
        SingleUseObjectProvider store = context.getSession().singleUseObjects();
        String clientId = context.getAuthenticationSession().getClient().getClientId();
        Map<String, String> stored = handle.length() > 100 ? null : store.get(handleKey(realm, handle));
        if (stored == null || !user.getId().equals(stored.get(NOTE_USER)) || !clientId.equals(stored.get(NOTE_CLIENT))) {
            // Unknown, used, expired, or someone else's (another user or another client): all alike.
            context.getEvent().detail(TillitEvents.DETAIL, TillitEvents.DIRECT_GRANT_MFA_TOKEN_REFUSED);
            refuse(context, Errors.INVALID_CODE, OAuthErrorException.INVALID_GRANT,
                    "The mfa_token is not valid (expired or already used): ask for a new code.");
            return;
        }
        ContactFactor factor = ContactFactor.valueOf(stored.get(NOTE_FACTOR));
        if (lockedOut(context, user)) {
            context.getEvent().error(Errors.USER_TEMPORARILY_DISABLED);
            // Worded like a wrong code, as Keycloak's own OTP check is: the lock is not announced.
            context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, wrongCode(handle));
            return;
        }
        Map<String, String> notes = new LinkedHashMap<>(stored);
        OneTimeCodes codes = new OneTimeCodes(context.getSession(), realm, CodeNotes.of(notes), context.getEvent());
        OneTimeCodes.Verification verification = codes.verify(factor.signInPurpose(), code);
        if (verification.valid()) {
            store.remove(handleKey(realm, handle));
            store.remove(currentKey(realm, user, clientId, factor));
            CodeRecipient recipient = verification.recipient();
            if (!user.getId().equals(recipient.userId()) || !recipient.target().equals(factor.verifiedContact(user))
                    || !configuredFor(context.getSession(), realm, user)) {
                // The number or address changed, or the factor was removed, after the code went out.
                refuse(context, Errors.INVALID_CODE, OAuthErrorException.INVALID_GRANT,
                        "The code is no longer valid: ask for a new code.");
                return;
            }
            context.getEvent().detail(Details.CREDENTIAL_TYPE, factor.credentialType());
            SignInMethods.add(context.getAuthenticationSession(), SignInMethods.forCredentialType(factor.credentialType()));
            context.success();
            return;
        }
        long lifespan = Math.max(1, Long.parseLong(notes.getOrDefault(NOTE_EXPIRES, "0")) - Time.currentTime()) + 60;
        store.put(handleKey(realm, handle), lifespan, notes);
        VerifyResult result = verification.result();
        context.getEvent().detail(Details.CREDENTIAL_TYPE, factor.credentialType()).error(Errors.INVALID_CODE);
        if (result == VerifyResult.INVALID || result == VerifyResult.TOO_MANY_ATTEMPTS || result == VerifyResult.PAUSED) {
            // A wrong code: a failed sign-in for brute-force detection (Keycloak counts this step's failures).
            context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, result == VerifyResult.INVALID ? wrongCode(handle)
                    : json(Response.Status.BAD_REQUEST, error(OAuthErrorException.INVALID_GRANT,
                            "Too many wrong codes: ask for a new code" + (result == VerifyResult.PAUSED ? " later." : "."))));
            return;
        }
        refuse(context, null, OAuthErrorException.INVALID_GRANT, result == VerifyResult.EXPIRED
                ? "The code has expired: ask for a new code." : "The mfa_token is not valid (expired or already used): ask for a new code.");
    }

    // ---- Helpers --------------------------------------------------------------------------------

    /** The factor the first call asked for, else SMS when the account holds it, else email; null when none fits. */
    private ContactFactor factor(AuthenticationFlowContext context, UserModel user, String channel) {
        for (ContactFactor factor : List.of(ContactFactor.SMS, ContactFactor.EMAIL)) {
            boolean asked = channel == null || channel.isBlank()
                    || factor.channel().name().equalsIgnoreCase(channel.trim());
            if (asked && holds(user, factor) && factor.verifiedContact(user) != null) {
                return factor;
            }
        }
        return null;
    }

    private static boolean holds(UserModel user, ContactFactor factor) {
        return user.credentialManager().getStoredCredentialsByTypeStream(factor.credentialType()).findAny().isPresent();
    }

    private static boolean lockedOut(AuthenticationFlowContext context, UserModel user) {
        RealmModel realm = context.getRealm();
        if (!realm.isBruteForceProtected()) {
            return false;
        }
        BruteForceProtector protector = context.getSession().getProvider(BruteForceProtector.class);
        return protector.isTemporarilyDisabled(context.getSession(), realm, user)
                || protector.isPermanentlyLockedOut(context.getSession(), realm, user);
    }

    /** An answer that is no failure for brute-force detection (nothing was guessed); {@code eventError} null: already sent. */
    private static void refuse(AuthenticationFlowContext context, String eventError, String error, String description) {
        if (eventError != null) {
            context.getEvent().error(eventError);
        }
        context.challenge(json(Response.Status.BAD_REQUEST, error(error, description)));
    }

    private static Response wrongCode(String handle) {
        Map<String, Object> body = error(OAuthErrorException.INVALID_GRANT, "The code is not correct.");
        body.put(PARAM_TOKEN, handle); // still good for the attempts that remain
        return json(Response.Status.BAD_REQUEST, body);
    }

    private static Map<String, Object> error(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return body;
    }

    private static Response json(Response.Status status, Map<String, Object> body) {
        return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store").build();
    }

    private String newHandle() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String handleKey(RealmModel realm, String handle) {
        return HANDLE_KEY + realm.getId() + ":" + handle;
    }

    private static String currentKey(RealmModel realm, UserModel user, String clientId, ContactFactor factor) {
        return CURRENT_KEY + realm.getId() + ":" + user.getId() + ":" + clientId + ":" + factor.name();
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /** Applies to accounts with an SMS or email code factor and no authenticator app (whose {@code otp} the grant checks). */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user.credentialManager().isConfiguredFor(OTPCredentialModel.TYPE)) {
            return false;
        }
        return user.credentialManager().getStoredCredentialsStream().anyMatch(c -> UNCHECKABLE.contains(c.getType()));
    }

    /**
     * Second factors the password grant cannot check in one call: a code we first have to send (the
     * two-step exchange above), a passkey or security key (a browser ceremony), recovery codes
     * (refused: sign in through the browser).
     */
    static final Set<String> UNCHECKABLE = Set.of(ContactFactor.SMS.credentialType(),
            ContactFactor.EMAIL.credentialType(), WebAuthnCredentialModel.TYPE_TWOFACTOR,
            WebAuthnCredentialModel.TYPE_PASSWORDLESS, RecoveryAuthnCodesCredentialModel.TYPE);

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: direct grant — SMS/email code in two steps";
    }

    @Override
    public String getHelpText() {
        return "For accounts whose second factor is an SMS or email code: the first password grant sends a code and answers "
                + "mfa_required with an mfa_token; the same grant with mfa_token and mfa_code completes it. Use in a "
                + "conditional sub-flow after the password check.";
    }

    /** None: so that Keycloak's brute-force detection counts this step's failures (wrong codes). */
    @Override
    public String getReferenceCategory() {
        return null;
    }
}
