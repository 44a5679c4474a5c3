package dev.tillit.keycloak.broker.apple;

import java.util.List;

import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.broker.social.SocialIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** "Apple" among the admin console's social identity providers. */
public class AppleIdentityProviderFactory extends AbstractIdentityProviderFactory<AppleIdentityProvider>
        implements SocialIdentityProviderFactory<AppleIdentityProvider> {

    public static final String ID = "tillit-apple";

    @Override
    public String getName() {
        return "Apple";
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public AppleIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        return new AppleIdentityProvider(session, new AppleIdentityProviderConfig(model));
    }

    @Override
    public AppleIdentityProviderConfig createConfig() {
        return new AppleIdentityProviderConfig();
    }

    /** Deleting an account revokes its Apple grant (App Store rule). */
    @Override
    public void postInit(org.keycloak.models.KeycloakSessionFactory factory) {
        factory.register(AppleGrantRevoker::onEvent);
    }

    @Override
    public String getHelpText() {
        return "Sign in with Apple. Client ID: the Services ID; Client Secret: the .p8 key (whole PEM text) as a vault "
                + "reference (${vault.apple-key}); Team ID and Key ID below.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(AppleIdentityProviderConfig.TEAM_ID).label("Team ID")
                .helpText("The 10-character Team ID of the Apple developer account.")
                .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
                .property().name(AppleIdentityProviderConfig.KEY_ID).label("Key ID")
                .helpText("The 10-character ID of the Sign in with Apple key whose .p8 file is in the vault (Client Secret).")
                .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
                .property().name(dev.tillit.keycloak.broker.app.AppSignInResource.AUDIENCES).label("App audiences")
                .helpText("Sign-in in the mobile app: the bundle ids of the iOS apps whose Apple id_tokens may be exchanged "
                        + "(comma-separated). Empty: no app sign-in with Apple.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(dev.tillit.keycloak.broker.app.AppSignInResource.CLIENTS).label("App clients")
                .helpText("Sign-in in the mobile app: the public clients of this realm that may receive tokens for an Apple id_token (comma-separated).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
    }
}
