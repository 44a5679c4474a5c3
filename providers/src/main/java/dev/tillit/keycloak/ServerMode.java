package dev.tillit.keycloak;

import java.util.Locale;

/**
 * Whether Keycloak runs in development mode ({@code kc.sh start-dev}). Parts that exist only for
 * the demo (the console SMS gateway, plain secrets, {@code http://} gateway URLs) refuse to work
 * outside it.
 *
 * <p>Keycloak's launcher sets the system property {@code kc.profile} to {@code dev} for
 * {@code start-dev} (and leaves it unset or {@code prod} for {@code start}); the environment variable
 * {@code KC_PROFILE} is its fallback. This is what {@code org.keycloak.common.util.Environment.isDevMode()}
 * reads; it is read here too, so that the decision is testable without a server.
 */
public final class ServerMode {

    private ServerMode() {
    }

    /** True only in development mode ({@code start-dev}). */
    public static boolean isDevelopment() {
        return isDevelopment(System.getProperty("kc.profile"), System.getenv("KC_PROFILE"));
    }

    /** Unknown, empty or any other profile counts as production: the safe side. */
    static boolean isDevelopment(String profileProperty, String profileEnvironment) {
        String profile = profileProperty != null ? profileProperty : profileEnvironment;
        return profile != null && profile.trim().toLowerCase(Locale.ROOT).equals("dev");
    }

    /** For log lines and the admin page. */
    public static String describe() {
        return isDevelopment() ? "development mode (start-dev)" : "production mode";
    }
}
