package dev.tillit.keycloak.kyc.review;

import java.util.List;

import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.KycCaseEntity;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;

/**
 * The door through which a {@code KycVerifier} (package {@code kyc.vendor}) decides a case: the
 * very code path of a reviewer's decision ({@link KycDecisions}), so the case, the user's
 * attributes, the user event, the email and the exchange's webhook are the same whoever decided.
 * Only this facade is public; the reviewers' API and its checks stay inside the package.
 */
public final class VendorDecisions {

    private VendorDecisions() {
    }

    /**
     * Applies {@code outcome} to a pending case the caller holds locked, {@code verifier} (its provider
     * id, e.g. {@code sumsub}) recorded as the decider. Returns the status the case now has.
     */
    public static String decide(KeycloakSession session, RealmModel realm, KycCaseEntity c, UserModel user, String verifier,
                                Outcome outcome, Integer level, List<ReasonCode> reasons, List<DocumentKind> documents) {
        // The review factory owns the node's webhook scheduler: one publisher, whoever decided.
        KycReviewResourceProviderFactory review = (KycReviewResourceProviderFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(AdminRealmResourceProvider.class, KycReviewResourceProviderFactory.ID);
        return new KycDecisions(session, realm, review.webhook())
                .decide(c, user, verifier, outcome, level, reasons, documents, verifier).status();
    }
}
