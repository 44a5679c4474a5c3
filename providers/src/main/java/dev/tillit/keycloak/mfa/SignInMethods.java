package dev.tillit.keycloak.mfa;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * How the user got in, as RFC 8176 authentication method reference ({@code amr}) values. Flow steps
 * carry theirs as Keycloak does (the execution's config {@code default.reference.value}); doors that
 * run no flow step for a method (the app's native sign-in, the password grant's two-step code gate)
 * write it to the user session note {@link #NOTE}. {@link AmrMapper} puts both in the tokens.
 */
public final class SignInMethods {

    /** User session note: the space-separated values of the methods used by steps without a configured reference. */
    public static final String NOTE = "tillit.amr";
    /**
     * User session note: the method that answered the identifier form of this sign-in when it was not the password
     * (a passkey), empty otherwise. The form's step carries the reference value {@code pwd}; this says it was not used.
     */
    public static final String FORM_ANSWER_NOTE = "tillit.amr.form";

    /** Password. */
    public static final String PWD = "pwd";
    /** One-time code: an authenticator app, an email code, a recovery code. */
    public static final String OTP = "otp";
    /** A code sent by text message. */
    public static final String SMS = "sms";
    /** A security key (hardware-secured key). */
    public static final String HWK = "hwk";
    /** A passkey (often synchronised between devices: software-secured). */
    public static final String SWK = "swk";
    /**
     * The person was verified at the authenticator: a passkey's user verification (its PIN or biometric; which one
     * the authenticator does not tell, so not {@code pin} or {@code fpt}). RFC 8176's {@code user} (a test that the
     * person is present) is the closest registered value; with the key ({@link #SWK}/{@link #HWK}) it makes the
     * passkey two factors.
     */
    public static final String USER = "user";
    /** More than one factor. */
    public static final String MFA = "mfa";
    /**
     * A sign-in at another identity provider (Google, Apple, Telegram). RFC 8176 registers no value for it;
     * {@code fed} is ours, documented in the README's claims table.
     */
    public static final String FEDERATED = "fed";

    private SignInMethods() {
    }

    /** The value of a second-factor credential type, or null for a type that is no second factor. */
    public static String forCredentialType(String type) {
        if (type == null) {
            return null;
        }
        if (type.equals(OTPCredentialModel.TYPE) || type.equals(ContactFactor.EMAIL.credentialType())
                || type.equals(RecoveryAuthnCodesCredentialModel.TYPE)) {
            return OTP;
        }
        if (type.equals(ContactFactor.SMS.credentialType())) {
            return SMS;
        }
        if (type.equals(WebAuthnCredentialModel.TYPE_TWOFACTOR)) {
            return HWK;
        }
        if (type.equals(WebAuthnCredentialModel.TYPE_PASSWORDLESS)) {
            return SWK;
        }
        return null;
    }

    /** The note's value for {@code values} (nulls skipped). */
    public static String of(String... values) {
        return Arrays.stream(values).filter(Objects::nonNull).distinct().collect(Collectors.joining(" "));
    }

    /** Adds {@code value} to the note that the sign-in's user session will carry. */
    public static void add(AuthenticationSessionModel authSession, String value) {
        if (value == null) {
            return;
        }
        Set<String> values = parse(authSession.getUserSessionNotes().get(NOTE));
        values.add(value);
        authSession.setUserSessionNote(NOTE, String.join(" ", values));
    }

    static Set<String> parse(String note) {
        Set<String> values = new LinkedHashSet<>();
        if (note != null) {
            Arrays.stream(note.split("\\s+")).filter(s -> !s.isBlank()).forEach(values::add);
        }
        return values;
    }
}
