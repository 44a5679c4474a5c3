package dev.tillit.keycloak.mfa;

import java.util.Locale;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.code.CodeChannel;
import org.keycloak.models.UserModel;

/**
 * The two second factors that are a one-time code sent to something the account holds: a text
 * message to its verified mobile number, or a mail to its verified email address. Each is a
 * credential type (so the account console lists it and Keycloak's flows can ask for it), a
 * set-up required action, and a flow step, all named here once.
 */
public enum ContactFactor {

    SMS("tillit-sms-otp", CodeChannel.SMS, "tillitSmsOtp", "kcAuthenticatorTillitSmsClass"),
    EMAIL("tillit-email-otp", CodeChannel.EMAIL, "tillitEmailOtp", "kcAuthenticatorTillitEmailClass");

    private final String credentialType;
    private final CodeChannel channel;
    private final String messagePrefix;
    private final String iconCssClass;

    ContactFactor(String credentialType, CodeChannel channel, String messagePrefix, String iconCssClass) {
        this.credentialType = credentialType;
        this.channel = channel;
        this.messagePrefix = messagePrefix;
        this.iconCssClass = iconCssClass;
    }

    /** The credential type (also the id of its credential provider and the flow step's reference category). */
    public String credentialType() {
        return credentialType;
    }

    public CodeChannel channel() {
        return channel;
    }

    /** The flow step (authenticator) that asks for this factor at sign-in and reset. */
    public String authenticatorId() {
        return credentialType + "-form";
    }

    /** The required action that sets the factor up (also the credential type's "create" action). */
    public String setupActionId() {
        return "tillit-configure-" + name().toLowerCase(Locale.ROOT) + "-otp";
    }

    /** Purpose of sign-in codes: a code issued while setting the factor up never opens a sign-in. */
    public String signInPurpose() {
        return "mfa-" + name().toLowerCase(Locale.ROOT);
    }

    /** Purpose of the codes that prove the number or address while the factor is set up. */
    public String setupPurpose() {
        return "mfa-setup-" + name().toLowerCase(Locale.ROOT);
    }

    /** Message key {@code <prefix><suffix>}, e.g. {@code tillitSmsOtpDisplayName}. */
    public String message(String suffix) {
        return messagePrefix + suffix;
    }

    public String iconCssClass() {
        return iconCssClass;
    }

    /**
     * Where this factor's codes go for {@code user}: the verified mobile number (E.164) or the
     * verified email address (lower case); null when the account holds none.
     */
    public String verifiedContact(UserModel user) {
        if (this == SMS) {
            return TillitAttributes.phoneVerified(user) ? user.getFirstAttribute(TillitAttributes.PHONE_NUMBER) : null;
        }
        return user.getEmail() != null && user.isEmailVerified() ? user.getEmail().toLowerCase(Locale.ROOT) : null;
    }
}
