package dev.tillit.keycloak.kyc;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.tillit.keycloak.settings.TillitSettings;

/** Tells the realm's chosen {@link KycVerifier} about a submitted case. */
public final class KycVerifiers {

    private static final Logger LOG = Logger.getLogger(KycVerifiers.class);

    private KycVerifiers() {
    }

    public static void submitted(KeycloakSession session, RealmModel realm, KycCaseEntity submitted) {
        String id = TillitSettings.of(realm).kycVerifier();
        KycVerifier verifier = session.getProvider(KycVerifier.class, id);
        if (verifier == null) {
            // Not installed: the case stays in the reviewers' queue rather than failing the user.
            LOG.errorf("Realm %s: KYC verifier \"%s\" is not installed; case %s waits for a reviewer",
                    realm.getName(), id, submitted.getId());
            return;
        }
        verifier.submitted(realm, submitted);
    }
}
