package dev.tillit.keycloak.kyc.vendor;

import dev.tillit.keycloak.kyc.KycVerifier;
import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A vendor's callback, handed with its raw bytes to the {@link KycVerifier} the path names. No
 * Keycloak authentication: the verifier checks the vendor's own signature, and answers 401 to
 * anything unsigned. Only the verifier the realm uses is reachable; others answer 404.
 */
public class KycVendorResource {

    /** Vendors' webhooks are a few kilobytes; more is not one. */
    static final int MAX_BODY = 256 * 1024;

    private final KeycloakSession session;

    KycVendorResource(KeycloakSession session) {
        this.session = session;
    }

    @POST
    @Path("{verifier}")
    @Consumes(MediaType.WILDCARD)
    public Response callback(@PathParam("verifier") String verifierId, InputStream body) throws IOException {
        RealmModel realm = session.getContext().getRealm();
        KycVerifier verifier = session.getProvider(KycVerifier.class, verifierId);
        if (verifier == null || !verifierId.equals(dev.tillit.keycloak.settings.TillitSettings.of(realm).kycVerifier())) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE).build();
        }
        return verifier.callback(realm, name -> session.getContext().getRequestHeaders().getHeaderString(name), bytes);
    }
}
