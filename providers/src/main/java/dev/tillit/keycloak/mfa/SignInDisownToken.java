package dev.tillit.keycloak.mfa;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.keycloak.authentication.actiontoken.DefaultActionToken;
import org.keycloak.common.util.Time;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.LoginActionsService;

/**
 * The "this wasn't me" link of a new-device alert: a Keycloak action token (signed with the
 * realm's HS512 key, expiring, for one user) that also names the session the alerted sign-in
 * opened. Keycloak's user session of a browser sign-in has the id of the sign-in's root
 * authentication session, which is known while the flow still runs. The same link goes with the
 * notice of a newly linked identity ({@link #IDENTITY_LINKED}), where it names the session that
 * linked it (none when an admin did).
 */
public class SignInDisownToken extends DefaultActionToken {

    public static final String TOKEN_TYPE = "tillit-disown-sign-in";

    /** What the link disowns when it is not a sign-in: an identity provider linked to the account. */
    public static final String IDENTITY_LINKED = "identity_linked";
    /** How long the link works: notices are often read days later. */
    public static final int LINK_LIFESPAN_SECONDS = 7 * 24 * 3600;

    @JsonProperty("tillit_sid")
    private String userSessionId;

    /** Null: a sign-in (new-device alert); {@link #IDENTITY_LINKED}: a linked identity. */
    @JsonProperty("tillit_what")
    private String what;

    public SignInDisownToken(String userId, int absoluteExpirationInSecs, String userSessionId) {
        this(userId, absoluteExpirationInSecs, userSessionId, null);
    }

    public SignInDisownToken(String userId, int absoluteExpirationInSecs, String userSessionId, String what) {
        super(userId, TOKEN_TYPE, absoluteExpirationInSecs, UUID.randomUUID());
        this.userSessionId = userSessionId;
        this.what = what;
    }

    /**
     * The "this was not me" link for {@code user}, working {@link #LINK_LIFESPAN_SECONDS}: it ends
     * {@code userSessionId} (may be null) when followed; {@code what} as in the constructor.
     */
    public static String link(KeycloakSession session, RealmModel realm, UserModel user, String userSessionId, String what) {
        SignInDisownToken token = new SignInDisownToken(user.getId(), Time.currentTime() + LINK_LIFESPAN_SECONDS,
                userSessionId, what);
        String serialized = token.serialize(session, realm, session.getContext().getUri());
        return LoginActionsService.actionTokenProcessor(session.getContext().getUri())
                .queryParam(Constants.KEY, serialized)
                .build(realm.getName()).toString();
    }

    private SignInDisownToken() {
        // for Jackson
    }

    public String getUserSessionId() {
        return userSessionId;
    }

    public String getWhat() {
        return what;
    }
}
