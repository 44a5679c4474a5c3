package dev.tillit.keycloak.kyc.review;

import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * What a caller {@link ReviewerAccess} refused gets instead of the review API: 403 with the reason's code
 * on every path and method. An answer, not a thrown exception, so that the request's transaction, which holds
 * the refusal's admin event, is committed rather than rolled back.
 */
public class RefusedReview {

    private final ReviewerAccess.Refusal refusal;

    RefusedReview(ReviewerAccess.Refusal refusal) {
        this.refusal = refusal;
    }

    @GET
    @Path("{any: .*}")
    public Response get() {
        return answer();
    }

    @POST
    @Path("{any: .*}")
    public Response post() {
        return answer();
    }

    @PUT
    @Path("{any: .*}")
    public Response put() {
        return answer();
    }

    @DELETE
    @Path("{any: .*}")
    public Response delete() {
        return answer();
    }

    private Response answer() {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", refusal.reason().code())).build();
    }
}
