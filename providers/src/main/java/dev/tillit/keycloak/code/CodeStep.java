package dev.tillit.keycloak.code;

import java.util.List;

import dev.tillit.keycloak.TillitMessages;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The one "identify → send code → verify" machine, for every step that sends codes (sign-up,
 * password reset, SMS and email second factors, and their set-up). A step supplies its first
 * screen, turns that screen into a {@link CodeRecipient}, and says what a proved recipient leads
 * to; everything in between lives here, so no step can get it wrong on its own:
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
 * The machine is written once against {@code C}, the Keycloak context it runs in. Flow steps
 * extend {@link CodeStepAuthenticator} ({@code AuthenticationFlowContext}); set-up screens that
 * Keycloak runs as required actions extend {@link CodeStepRequiredAction}
 * ({@code RequiredActionContext}). The two share no Keycloak interface, so each front door maps
 * the few things the machine needs (session, auth session, event, form, page) onto its context.
 *
 * @param <C> {@code AuthenticationFlowContext} or {@code RequiredActionContext}
 */
public abstract class CodeStep<C> {

    /** Form fields shared by the code page and every first screen. */
    public static final String FIELD_IDENTIFIER = "identifier";
    public static final String FIELD_CODE = "code";
    public static final String FIELD_RESEND = "resend";
    public static final String FIELD_RESTART = "restart";

    // ---- What a step says about itself -------------------------------------------------------

    /** Names the step's codes, events and budgets ({@code register}, {@code reset}, ...). */
    protected abstract String purpose();

    /**
     * The step's first screen, refilled from {@code submitted} (may be null) and showing {@code errors}.
     * Steps with a {@link #knownRecipient} never show one and may return null.
     */
    protected abstract Response firstScreen(C context, MultivaluedMap<String, String> submitted, List<FormMessage> errors);

    /**
     * Reads the submitted first screen. Returns whom to send a code to, or null after challenging
     * with the first screen and its errors (about the input's form only, never about accounts).
     */
    protected abstract CodeRecipient identify(C context, MultivaluedMap<String, String> form, OneTimeCodes codes);

    /** The code was right for {@code recipient}: finish the step (set the user, succeed, ...). */
    protected abstract void verified(C context, CodeRecipient recipient);

    /** Drops the step's own auth-session notes (called whenever the step starts over). */
    protected void forget(AuthenticationSessionModel authSession) {
    }

    /** Before a resend: the recipient as it should be now (e.g. a decoy if the account no longer holds the address). */
    protected CodeRecipient recheck(C context, CodeRecipient recipient) {
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
    protected CodeRecipient knownRecipient(C context, OneTimeCodes codes) {
        return null;
    }

    /**
     * Whether the code page offers "use another email or number". A second factor has nothing
     * else to type (Keycloak's "try another way" picks another factor), so it says no; a forged
     * restart still voids the pending code.
     */
    protected boolean offersRestart(C context) {
        return true;
    }

    /**
     * Checked before an entered code is compared: a message key that refuses the entry without
     * looking at it (e.g. the account is locked by Keycloak's brute-force detection), or null.
     * Added for the second factors, which must honour Keycloak's lockout as its own OTP form does.
     */
    protected String refuseEntry(C context) {
        return null;
    }

    // ---- The context the machine runs in (one implementation per front door) ----------------

    protected abstract KeycloakSession session(C context);

    protected abstract AuthenticationSessionModel authSession(C context);

    protected abstract EventBuilder event(C context);

    protected abstract MultivaluedMap<String, String> submitted(C context);

    protected abstract LoginFormsProvider forms(C context);

    /** Shows a page and waits for the next submission. */
    protected abstract void show(C context, Response page);

    /** Shows a page after a wrong code (for a flow step: a failure Keycloak's brute-force detection counts). */
    protected abstract void showAfterWrongCode(C context, Response page);

    // ---- The machine --------------------------------------------------------------------------

    protected OneTimeCodes codes(C context) {
        return new OneTimeCodes(session(context), authSession(context), event(context));
    }

    /** The step is entered: its first screen, or (known recipient) a code sent at once and the code page. */
    protected void start(C context) {
        OneTimeCodes codes = codes(context);
        CodeRecipient known = knownRecipient(context, codes);
        if (known != null && known.equals(codes.pendingRecipient(purpose())) && codes.hasLiveCode(purpose())) {
            // Reload, back button, or back from "try another way": the code already sent still
            // works, so show its page again and send nothing.
            show(context, codePage(context, codes, known, null, null));
            return;
        }
        CodeRecipient pending = codes.pendingRecipient(purpose());
        if (known == null && pending != null && codes.hasLiveCode(purpose())) {
            // Reload or back button on a step with a first screen: the code already sent still
            // works, so its page shows again and nothing is sent.
            show(context, codePage(context, codes, pending, null, null));
            return;
        }
        codes.discard(purpose());
        forget(authSession(context));
        if (known == null) {
            show(context, firstScreen(context, null, List.of()));
            return;
        }
        long started = System.nanoTime();
        SendResult sent = codes.send(purpose(), known, notice(), deliverInBackground());
        ResponseTimeFloor.await(started, codes.settings().codeResponseFloor());
        show(context, sent.issued()
                ? codePage(context, codes, known, null, null)
                : codePage(context, codes, known, message(FIELD_CODE, sent, codes, known), null));
    }

    /** A page of the step was submitted. */
    protected void submit(C context) {
        MultivaluedMap<String, String> form = submitted(context);
        OneTimeCodes codes = codes(context);
        boolean onCodePage = codes.pendingRecipient(purpose()) != null;
        if (form.containsKey(FIELD_RESTART)) {
            codes.restart(purpose());
            forget(authSession(context));
            if (offersRestart(context)) {
                show(context, firstScreen(context, null, List.of()));
            } else {
                start(context);
            }
        } else if (form.containsKey(FIELD_IDENTIFIER) && offersRestart(context)) {
            // A first screen, whatever page the session was on (back button, second tab): a new identifier.
            submitFirstScreen(context, form, codes);
        } else if (onCodePage && form.containsKey(FIELD_RESEND)) {
            resend(context, codes);
        } else if (onCodePage) {
            verify(context, codes, form.getFirst(FIELD_CODE));
        } else {
            start(context);
        }
    }

    private void submitFirstScreen(C context, MultivaluedMap<String, String> form, OneTimeCodes codes) {
        long started = System.nanoTime();
        codes.discard(purpose());
        forget(authSession(context));
        CodeRecipient recipient = identify(context, form, codes);
        if (recipient == null) {
            return;
        }
        SendResult sent = codes.send(purpose(), recipient, notice(), deliverInBackground());
        ResponseTimeFloor.await(started, codes.settings().codeResponseFloor());
        if (!sent.issued()) {
            show(context, firstScreen(context, form, List.of(message(FIELD_IDENTIFIER, sent, codes, recipient))));
            return;
        }
        show(context, codePage(context, codes, recipient, null, null));
    }

    private void resend(C context, OneTimeCodes codes) {
        long started = System.nanoTime();
        CodeRecipient recipient = recheck(context, codes.pendingRecipient(purpose()));
        SendResult sent = codes.send(purpose(), recipient, notice(), deliverInBackground());
        ResponseTimeFloor.await(started, codes.settings().codeResponseFloor());
        CodeRecipient shown = codes.pendingRecipient(purpose());
        show(context, sent.issued()
                ? codePage(context, codes, shown, null, sent == SendResult.SENT_AGAIN ? TillitMessages.CODE_SENT_AGAIN
                        : TillitMessages.CODE_RESENT)
                : codePage(context, codes, shown, message(FIELD_CODE, sent, codes, recipient), null));
    }

    private void verify(C context, OneTimeCodes codes, String input) {
        String refused = refuseEntry(context);
        if (refused != null) {
            show(context, codePage(context, codes, codes.pendingRecipient(purpose()), new FormMessage(FIELD_CODE, refused), null));
            return;
        }
        OneTimeCodes.Verification verification = codes.verify(purpose(), input);
        if (verification.valid()) {
            verified(context, verification.recipient());
            return;
        }
        event(context).error(Errors.INVALID_CODE);
        FormMessage error = verification.result() == VerifyResult.PAUSED
                ? new FormMessage(FIELD_CODE, verification.result().messageKey(),
                        minutes(codes.secondsPaused(purpose(), verification.recipient())))
                : new FormMessage(FIELD_CODE, verification.result().messageKey());
        showAfterWrongCode(context, codePage(context, codes, verification.recipient(), error, null));
    }

    /** The code page for {@code recipient}, with an error or an info line (both may be null). */
    protected Response codePage(C context, OneTimeCodes codes, CodeRecipient recipient, FormMessage error, String info) {
        LoginFormsProvider forms = forms(context).setAttribute("codeRestart", offersRestart(context));
        return CodeForm.render(forms, codes, purpose(), recipient.channel(), recipient.shown(), codeLeadKey(),
                error, info);
    }

    /** Fails the code page like a wrong code (for success hooks that find the proof no longer holds). */
    protected void failLikeAWrongCode(C context, CodeRecipient recipient) {
        OneTimeCodes codes = codes(context);
        event(context).error(Errors.INVALID_CODE);
        showAfterWrongCode(context,
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
