package dev.tillit.keycloak.mfa;

/** "Tillit: SMS code (second factor)". */
public class SmsOtpAuthenticatorFactory extends ContactFactorAuthenticatorFactory {

    @Override
    ContactFactor factor() {
        return ContactFactor.SMS;
    }

    @Override
    public String getDisplayType() {
        return "Tillit: SMS code (second factor)";
    }

    @Override
    public String getHelpText() {
        return "Sends a one-time code by SMS to the user's verified mobile number and asks for it. For users who set up the SMS second factor.";
    }
}
