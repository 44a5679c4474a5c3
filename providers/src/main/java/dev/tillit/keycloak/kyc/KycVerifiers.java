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

    /** Tells each vendor that decided some of {@code cases} that they are being deleted (see {@link KycVerifier#deleted}). */
    public static void deleted(KeycloakSession session, RealmModel realm, java.util.List<KycCaseEntity> cases) {
        java.util.Map<String, java.util.List<KycCaseEntity>> byVendor = new java.util.TreeMap<>();
        cases.stream().filter(c -> c.getVendor() != null)
                .forEach(c -> byVendor.computeIfAbsent(c.getVendor(), v -> new java.util.ArrayList<>()).add(c));
        byVendor.forEach((vendor, theirs) -> {
            KycVerifier verifier = session.getProvider(KycVerifier.class, vendor);
            if (verifier == null) {
                LOG.errorf("Realm %s: KYC verifier \"%s\" is not installed; %d deleted case(s) it decided stay at the vendor",
                        realm.getName(), vendor, theirs.size());
                return;
            }
            verifier.deleted(realm, theirs);
        });
    }
}
