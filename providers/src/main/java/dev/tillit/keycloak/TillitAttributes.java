package dev.tillit.keycloak;

/** User attribute names shared by every part of the pack (see the design's "Shared names"). */
public final class TillitAttributes {

    /** E.164, unique in the realm; OIDC's standard claim name. */
    public static final String PHONE_NUMBER = "phone_number";
    public static final String PHONE_NUMBER_VERIFIED = "phone_number_verified";
    /** Epoch seconds (UTC); admin-only. */
    public static final String WITHDRAWAL_LOCKED_UNTIL = "withdrawal_locked_until";
    /**
     * The same moment as {@code yyyy-MM-ddTHH:mm} in UTC, kept by Tillit beside the epoch value and
     * read-only for everyone: Keycloak's consoles can show a date only from an ISO value
     * ({@code html5-datetime-local}), never from epoch seconds.
     */
    public static final String WITHDRAWAL_LOCKED_UNTIL_UTC = "withdrawal_locked_until_utc";
    public static final String KYC_LEVEL = "kyc_level";
    public static final String KYC_STATUS = "kyc_status";
    /** {@code <document version>@<epoch seconds>} */
    public static final String TERMS_ACCEPTED = "terms_accepted";
    public static final String PRIVACY_ACCEPTED = "privacy_accepted";

    private TillitAttributes() {
    }

    /** True when the user's phone number has been proved by a code (sign-up, verified change or an admin). */
    public static boolean phoneVerified(org.keycloak.models.UserModel user) {
        return user.getFirstAttribute(PHONE_NUMBER) != null
                && Boolean.parseBoolean(user.getFirstAttribute(PHONE_NUMBER_VERIFIED));
    }
}
