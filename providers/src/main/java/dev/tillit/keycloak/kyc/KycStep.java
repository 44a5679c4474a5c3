package dev.tillit.keycloak.kyc;

import java.util.Arrays;
import java.util.Optional;

/** The screens of the verification, in order; a draft case remembers the one the user is on. */
public enum KycStep {
    OVERVIEW("overview", "tillit-kyc-overview.ftl"),
    COUNTRY("country", "tillit-kyc-country.ftl"),
    DOCUMENT("document", "tillit-kyc-document.ftl"),
    DETAILS("details", "tillit-kyc-details.ftl"),
    FRONT("front", "tillit-kyc-upload.ftl"),
    BACK("back", "tillit-kyc-upload.ftl"),
    SELFIE("selfie", "tillit-kyc-upload.ftl"),
    SUBMITTED("submitted", "tillit-kyc-submitted.ftl");

    private final String value;
    private final String template;

    KycStep(String value, String template) {
        this.value = value;
        this.template = template;
    }

    public String value() {
        return value;
    }

    public String template() {
        return template;
    }

    public static Optional<KycStep> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
