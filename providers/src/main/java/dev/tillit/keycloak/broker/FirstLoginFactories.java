package dev.tillit.keycloak.broker;

/** Ids of the first- and post-sign-in steps (one place for the realm JSON and the tests to agree on). */
public final class FirstLoginFactories {

    public static final String CHOICE = "tillit-first-login-choice";
    public static final String LINK_CHOSEN = "tillit-condition-link-chosen";
    public static final String LINK_PASSWORD = "tillit-first-login-password";
    public static final String LINK_CONFIRM = "tillit-first-login-link-confirm";
    /** Condition of the post-sign-in flow's second factor (after a first sign-in whose link asked it: false). */
    public static final String FACTOR_NOT_PASSED_AT_LINK = "tillit-condition-factor-pending";

    private FirstLoginFactories() {
    }
}
