package dev.tillit.keycloak.kyc.review;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.tillit.keycloak.settings.TillitSettings;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.AcrUtils;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.resources.admin.AdminAuth;

/**
 * Who may open the review API: customers' passports are behind it, so a reviewer's role is not enough.
 * The token must
 * <ol>
 * <li>belong to a user of this very realm holding its realm role {@value KycReviewResource#REVIEWER_ROLE}
 *     (a master-realm admin administers the realm but reviews nothing);</li>
 * <li>have been issued to the reviewers' page client ({@value KycReviewPageFactory#CLIENT_ID}) or to a client
 *     the operator listed (setting {@code kycReviewClients}): a reviewer's token from the customers' app, got by
 *     its password grant, opens nothing;</li>
 * <li>show a second factor: its {@code acr} maps to level 2 or more through the client's (else the realm's)
 *     {@code acr.loa.map}.</li>
 * </ol>
 * The checks run in this order and the first that fails is the {@link Refusal}'s reason.
 */
final class ReviewerAccess {

    /** The level of authentication a review token must show: a second factor. */
    static final int SECOND_FACTOR_LEVEL = 2;

    /** Why a call was refused; the code is what the API answers and the admin event records. */
    enum Reason {
        NOT_A_REVIEWER("not_a_reviewer"),
        CLIENT_NOT_ALLOWED("client_not_allowed"),
        SECOND_FACTOR_REQUIRED("second_factor_required");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    /** A refused call: the reason, the client the token was issued to and the acr it carried (ids and codes only). */
    record Refusal(Reason reason, String client, String acr) {
        Map<String, Object> representation() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("reason", reason.code());
            r.put("client", client);
            r.put("acr", acr);
            return r;
        }
    }

    private ReviewerAccess() {
    }

    /** Empty when {@code auth} may use the review API of {@code realm}, else why not. */
    static Optional<Refusal> judge(RealmModel realm, AdminAuth auth) {
        AccessToken token = auth == null ? null : auth.getToken();
        String client = token == null ? null : token.getIssuedFor();
        String acr = token == null ? null : token.getAcr();
        // The token's realm must be this realm: AdminAuth.hasRealmRole looks the role up in the token's realm.
        if (auth == null || auth.getUser() == null || !realm.getId().equals(auth.getRealm().getId())
                || !auth.hasRealmRole(KycReviewResource.REVIEWER_ROLE)) {
            return Optional.of(new Refusal(Reason.NOT_A_REVIEWER, client, acr));
        }
        if (!allowedClients(realm).contains(client)) {
            return Optional.of(new Refusal(Reason.CLIENT_NOT_ALLOWED, client, acr));
        }
        if (level(realm.getClientByClientId(client), realm, acr) < SECOND_FACTOR_LEVEL) {
            return Optional.of(new Refusal(Reason.SECOND_FACTOR_REQUIRED, client, acr));
        }
        return Optional.empty();
    }

    static Set<String> allowedClients(RealmModel realm) {
        Set<String> clients = new java.util.HashSet<>(TillitSettings.of(realm).kycReviewClients());
        clients.add(KycReviewPageFactory.CLIENT_ID);
        return clients;
    }

    /** The level {@code acr} stands for: through the client's (else the realm's) acr.loa.map, else the number itself; 0 when neither. */
    static int level(ClientModel client, RealmModel realm, String acr) {
        if (acr == null) {
            return 0;
        }
        Map<String, Integer> map = client != null ? AcrUtils.getAcrLoaMap(client) : AcrUtils.getAcrLoaMap(realm);
        Integer mapped = map.get(acr);
        if (mapped != null) {
            return mapped;
        }
        try {
            return Integer.parseInt(acr);
        } catch (NumberFormatException notALevel) {
            return 0;
        }
    }
}
