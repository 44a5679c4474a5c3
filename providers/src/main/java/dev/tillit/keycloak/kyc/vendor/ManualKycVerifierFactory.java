package dev.tillit.keycloak.kyc.vendor;

import dev.tillit.keycloak.kyc.KycVerifier;
import dev.tillit.keycloak.kyc.KycVerifierFactory;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** {@code manual}, the default: people decide every case through the review API; nothing is sent anywhere. */
public class ManualKycVerifierFactory implements KycVerifierFactory {

    public static final String ID = "manual";

    /** Holds nothing, so one serves every session. */
    private final KycVerifier manual = (realm, submitted) -> {
        // The case waits in the reviewers' queue.
    };

    @Override
    public KycVerifier create(KeycloakSession session) {
        return manual;
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
