package dev.tillit.keycloak.kyc.review;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * {@code /realms/<realm>/tillit-kyc-review/}: the reviewers' web page (see {@link KycReviewPage}).
 * Its public client {@value #CLIENT_ID} is declared by the realm, not created here: an operator
 * sees and controls who may sign in to it like any other client.
 */
public class KycReviewPageFactory implements RealmResourceProviderFactory {

    public static final String ID = "tillit-kyc-review";
    /** The page's OIDC client: public, standard flow only, PKCE S256 required, redirect URI the page itself. */
    public static final String CLIENT_ID = "tillit-kyc-review";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new KycReviewPage(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
