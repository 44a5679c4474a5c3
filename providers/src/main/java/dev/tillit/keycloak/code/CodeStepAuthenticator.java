package dev.tillit.keycloak.code;

import dev.tillit.keycloak.TillitMessages;
import java.util.List;

import dev.tillit.keycloak.FormStepAuthenticator;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.events.Errors;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The one base of every step that identifies someone, sends them a code and verifies it
 * (sign-up, password reset, SMS and email second factors). A step supplies its first screen,
 * turns that screen into a {@link CodeRecipient}, and says what a proved recipient leads to;
 * everything in between lives here, so no step can get it wrong on its own:
 * <ul>
 * <li>Starting over ("use another email or number") and every newly submitted first screen void
 *     any pending code before anything else happens.</li>
 * <li>The code page appears only when a code was really issued for this recipient (or a decoy
 *     issued the same way); anything else — cooldown, limits, a pause — answers on the first
 *     screen.</li>
 * <li>A code is bound to purpose, account and recipient ({@link OneTimeCodes}); the step's
 *     success hook receives the recipient the code was issued for, never one read elsewhere.</li>
 * <li>Every send (first screen and resend) answers no sooner than the realm's floor.</li>
 * </ul>
 */
public abstract class CodeStepAuthenticator implements FormStepAuthenticator {

    /** Form fields shared by the code page and every first screen. */
    public static final String FIELD_IDENTIFIER = "identifier";
    public static final String FIELD_CODE = "code";
    public static final String FIELD_RESEND = "resend";
    public static final String FIELD_RESTART = "restart";

    /** Names the step's codes, events and budgets ({@code register}, {@code reset}, ...). */
    protected abstract String purpose();

    /**
     * The step's first screen, refilled from {@code submitted} (may be null) and showing {@code errors}.
     * Steps with a {@link #knownRecipient} never show one and may return null.
     */
    protected abstract Response firstScreen(AuthenticationFlowContext context, MultivaluedMap<String, String> submitted,
                                            List<FormMessage> errors);

    /**
     * Reads the submitted first screen. Returns whom to send a code to, or null after challenging
     * with the first screen and its errors (about the input's form only, never about accounts).
     */
    protected abstract CodeRecipient identify(AuthenticationFlowContext context, MultivaluedMap<String, String> form,
                                              OneTimeCodes codes);

    /** The code was right for {@code recipient}: finish the step (set the user, succeed, ...). */
    protected abstract void verified(AuthenticationFlowContext context, CodeRecipient recipient);

    /** Drops the step's own auth-session notes (called whenever the step starts over). */
    protected void forget(AuthenticationSessionModel authSession) {
    }

    /** Before a resend: the recipient as it should be now (e.g. a decoy if the account no longer holds the address). */
    protected CodeRecipient recheck(AuthenticationFlowContext context, CodeRecipient recipient) {
        return recipient;
    }

    /** What goes out for {@link CodeRecipient.Delivery#NOTICE} recipients; null if the step has none. */
    protected OneTimeCodes.Notice notice() {
        return null;
    }

    /**
     * True when the answer must not depend on the gateway (the step could otherwise reveal whether
     * an account exists): delivery then happens off the request thread, and a failed delivery is
     * an event for the operator rather than a message on the page.
     */
    protected boolean deliverInBackground() {
        return false;
    }

    /** Message key of the code page's lead text, with the shown recipient as {0}; null for the default. */
    protected String codeLeadKey() {
        return null;
    }

    /**
     * For steps whose recipient is known before anything is typed (a second factor: the user's
     * verified number or address): that recipient, so the step sends at once and opens on the
     * code page. Null (the default) opens on the first screen.
     */
    protected CodeRecipient knownRecipient(AuthenticationFlowContext context, OneTimeCodes codes) {
        return null;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        OneTimeCodes codes = new OneTimeCodes(context.getSession(), context.getAuthenticationSession(), context.getEvent());
        codes.discard(purpose());
        forget(context.getAuthenticationSession());
        CodeRecipient known = knownRecipient(context, codes);
        if (known == null) {
            context.challenge(firstScreen(context, null, List.of()));
            return;
        }
        long started = System.nanoTime();
        SendResult sent = codes.send(purpose(), known, notice(), deliverInBackground());
        ResponseTimeFloor.await(started, codes.settings().codeResponseFloor());
        context.challenge(sent == SendResult.SENT
                ? codePage(context, codes, known, null, null)
                : codePage(context, codes, known, message(FIELD_CODE, sent, codes, known), null));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        OneTimeCodes codes = new OneTimeCodes(context.getSession(), context.getAuthenticationSession(), context.getEvent());
        boolean onCodePage = codes.pendingRecipient(purpose()) != null;
        if (form.containsKey(FIELD_RESTART)) {
            codes.restart(purpose());
            forget(context.getAuthenticationSession());
            context.challenge(firstScreen(context, null, List.of()));
        } else if (form.containsKey(FIELD_IDENTIFIER)) {
            // A first screen, whatever page the session was on (back button, second tab): a new identifier.
            submitFirstScreen(context, form, codes);
        } else if (onCodePage && form.containsKey(FIELD_RESEND)) {
            resend(context, codes);
        } else if (onCodePage) {
            verify(context, codes, form.getFirst(FIELD_CODE));
        } else {
            authenticate(context);
        }
    }

    private void submitFirstScreen(AuthenticationFlowContext context, MultivaluedMap<String, String> form, OneTimeCodes codes) {
        long started = System.nanoTime();
        codes.discard(purpose());
        forget(context.getAuthenticationSession());
        CodeRecipient recipient = identify(context, form, codes);
        if (recipient == null) {
            return;
        }
        SendResult sent = codes.send(purpose(), recipient, notice(), deliverInBackground());
        ResponseTimeFloor.await(started, codes.settings().codeResponseFloor());
        if (sent != SendResult.SENT) {
            context.challenge(firstScreen(context, form, List.of(message(FIELD_IDENTIFIER, sent, codes, recipient))));
            return;
        }
        context.challenge(codePage(context, codes, recipient, null, null));
    }

    private void resend(AuthenticationFlowContext context, OneTimeCodes codes) {
        long started = System.nanoTime();
        CodeRecipient recipient = recheck(context, codes.pendingRecipient(purpose()));
        SendResult sent = codes.send(purpose(), recipient, notice(), deliverInBackground());
        ResponseTimeFloor.await(started, codes.settings().codeResponseFloor());
        CodeRecipient shown = codes.pendingRecipient(purpose());
        context.challenge(sent == SendResult.SENT
                ? codePage(context, codes, shown, null, TillitMessages.CODE_RESENT)
                : codePage(context, codes, shown, message(FIELD_CODE, sent, codes, recipient), null));
    }

    private void verify(AuthenticationFlowContext context, OneTimeCodes codes, String input) {
        OneTimeCodes.Verification verification = codes.verify(purpose(), input);
        if (verification.valid()) {
            verified(context, verification.recipient());
            return;
        }
        context.getEvent().error(Errors.INVALID_CODE);
        FormMessage error = verification.result() == VerifyResult.PAUSED
                ? new FormMessage(FIELD_CODE, verification.result().messageKey(),
                        minutes(codes.secondsPaused(purpose(), verification.recipient())))
                : new FormMessage(FIELD_CODE, verification.result().messageKey());
        context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                codePage(context, codes, verification.recipient(), error, null));
    }

    /** The code page for {@code recipient}, with an error or an info line (both may be null). */
    protected Response codePage(AuthenticationFlowContext context, OneTimeCodes codes, CodeRecipient recipient,
                                FormMessage error, String info) {
        return CodeForm.render(context.form(), codes, purpose(), recipient.channel(), recipient.shown(), codeLeadKey(),
                error, info);
    }

    /** Fails the code page like a wrong code (for success hooks that find the proof no longer holds). */
    protected void failLikeAWrongCode(AuthenticationFlowContext context, CodeRecipient recipient) {
        OneTimeCodes codes = new OneTimeCodes(context.getSession(), context.getAuthenticationSession(), context.getEvent());
        context.getEvent().error(Errors.INVALID_CODE);
        context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                codePage(context, codes, recipient, new FormMessage(FIELD_CODE, VerifyResult.INVALID.messageKey()), null));
    }

    private FormMessage message(String field, SendResult sent, OneTimeCodes codes, CodeRecipient recipient) {
        return switch (sent) {
            case COOLDOWN -> new FormMessage(field, sent.messageKey(), codes.secondsUntilResend(purpose()));
            case PAUSED -> new FormMessage(field, sent.messageKey(), minutes(codes.secondsPaused(purpose(), recipient)));
            default -> new FormMessage(field, sent.messageKey());
        };
    }

    private static long minutes(long seconds) {
        return Math.max(1, (seconds + 59) / 60);
    }
}
