package dev.tillit.keycloak.kyc;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a verification stands. Every value but {@link #DRAFT} is also a value of the user attribute
 * {@code kyc_status} (the design's shared names); a draft lives only in the case table, the user
 * stays {@code none} until they submit.
 */
public enum KycStatus {
    NONE("none"),
    DRAFT("draft"),
    PENDING("pending"),
    APPROVED("approved"),
    REJECTED("rejected"),
    RESUBMISSION_REQUIRED("resubmission_required");

    private final String value;

    KycStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<KycStatus> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
