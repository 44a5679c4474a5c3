package dev.tillit.keycloak.reset;

import java.time.Duration;

import dev.tillit.keycloak.settings.TillitSettings;

/** Why withdrawals are being locked; each reason has its own duration on the Tillit settings page. */
public enum LockReason {
    PASSWORD_CHANGED("password_changed"),
    SECOND_FACTOR_REMOVED("second_factor_removed"),
    IDENTIFIER_CHANGED("identifier_changed");

    private final String detail;

    LockReason(String detail) {
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }

    Duration duration(TillitSettings settings) {
        return switch (this) {
            case PASSWORD_CHANGED -> settings.lockAfterPasswordChange();
            case SECOND_FACTOR_REMOVED -> settings.lockAfterSecondFactorRemoval();
            case IDENTIFIER_CHANGED -> settings.lockAfterIdentifierChange();
        };
    }
}
