package dev.tillit.keycloak.mfa;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.keycloak.TokenCategory;
import org.keycloak.representations.JsonWebToken;

/**
 * The content of the trusted-device cookie: whose device ({@code sub}), which trust ({@code did},
 * a random id whose fingerprint the server keeps in {@code tillit_trusted_devices}), until when
 * ({@code exp}), issued by which realm ({@code iss}). Signed by Keycloak's token manager with the
 * realm's key for internal tokens (HS512), so it cannot be forged or moved to another account;
 * the server-side list makes it revocable.
 */
public class TrustedDeviceToken extends JsonWebToken {

    public static final String TYPE = "tillit-trusted-device";

    @JsonProperty("did")
    private String deviceId;

    public String getDeviceId() {
        return deviceId;
    }

    public void setDeviceId(String deviceId) {
        this.deviceId = deviceId;
    }

    @Override
    public TokenCategory getCategory() {
        return TokenCategory.INTERNAL;
    }
}
