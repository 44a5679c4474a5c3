package dev.tillit.keycloak.mfa;

/** "Tillit: set up email codes (second factor)". */
public class EmailOtpSetupFactory extends ContactFactorSetupFactory {

    @Override
    ContactFactor factor() {
        return ContactFactor.EMAIL;
    }

    @Override
    public String getDisplayText() {
        return "Tillit: set up email codes (second factor)";
    }
}
