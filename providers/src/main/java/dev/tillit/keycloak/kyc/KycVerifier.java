package dev.tillit.keycloak.kyc;

import jakarta.ws.rs.core.Response;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;


/**
 * Who decides a submitted KYC case. {@code manual} (the default) leaves it to people and the
 * review API; a vendor adapter such as {@code sumsub} hands the case to the vendor and applies the
 * vendor's verdict when it calls back. The realm's Tillit setting "Decided by" picks the provider.
 */
public interface KycVerifier extends Provider {

    /**
     * The user just submitted {@code submitted} (now {@code pending}), in the submitting request's
     * transaction. A vendor adapter must not call out from here: it marks the case and sends it
     * after the commit, so vendor trouble never blocks or fails the user's submission.
     */
    void submitted(RealmModel realm, KycCaseEntity submitted);

    /**
     * A message from the vendor to {@code /realms/<realm>/tillit-kyc-vendor/<provider id>}: the
     * raw body and the request's headers, for the adapter to check the vendor's signature over the
     * exact bytes. Verifiers without callbacks answer 404.
     *
     * @param header reads one request header (null when absent)
     */
    default Response callback(RealmModel realm, java.util.function.Function<String, String> header, byte[] body) {
        return Response.status(Response.Status.NOT_FOUND).build();
    }

    /**
     * {@code deleted} (cases this verifier decided, {@code vendor} = its id) are being deleted, in the
     * deleting transaction: their retention period ended, or the account went before a decision. A
     * vendor adapter makes the vendor let go of what it keeps of them, after the commit; nothing if
     * the deletion rolls back.
     */
    default void deleted(RealmModel realm, java.util.List<KycCaseEntity> deleted) {
    }

    @Override
    default void close() {
    }
}
