package dev.tillit.keycloak.mfa;

/** "Tillit: set up SMS codes (second factor)". */
public class SmsOtpSetupFactory extends ContactFactorSetupFactory {

    @Override
    ContactFactor factor() {
        return ContactFactor.SMS;
    }

    @Override
    public String getDisplayText() {
        return "Tillit: set up SMS codes (second factor)";
    }
}
