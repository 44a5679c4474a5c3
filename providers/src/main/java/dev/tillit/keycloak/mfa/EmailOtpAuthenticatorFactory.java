package dev.tillit.keycloak.mfa;

/** "Tillit: email code (second factor)". */
public class EmailOtpAuthenticatorFactory extends ContactFactorAuthenticatorFactory {

    @Override
    ContactFactor factor() {
        return ContactFactor.EMAIL;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: email code (second factor)";
    }

    @Override
    public String getHelpText() {
        return "Sends a one-time code to the user's verified email address and asks for it. For users who set up the email second factor.";
    }
}
