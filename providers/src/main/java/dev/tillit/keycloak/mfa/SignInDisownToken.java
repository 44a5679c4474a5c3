package dev.tillit.keycloak.mfa;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.keycloak.authentication.actiontoken.DefaultActionToken;

/**
 * The "this wasn't me" link of a new-device alert: a Keycloak action token (signed with the
 * realm's HS512 key, expiring, for one user) that also names the session the alerted sign-in
 * opened. Keycloak's user session of a browser sign-in has the id of the sign-in's root
 * authentication session, which is known while the flow still runs.
 */
public class SignInDisownToken extends DefaultActionToken {

    public static final String TOKEN_TYPE = "tillit-disown-sign-in";

    @JsonProperty("tillit_sid")
    private String userSessionId;

    public SignInDisownToken(String userId, int absoluteExpirationInSecs, String userSessionId) {
        super(userId, TOKEN_TYPE, absoluteExpirationInSecs, UUID.randomUUID());
        this.userSessionId = userSessionId;
    }

    private SignInDisownToken() {
        // for Jackson
    }

    public String getUserSessionId() {
        return userSessionId;
    }
}
