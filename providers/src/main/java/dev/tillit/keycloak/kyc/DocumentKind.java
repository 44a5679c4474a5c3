package dev.tillit.keycloak.kyc;

/** Which picture a stored document is. */
public enum DocumentKind {
    FRONT("front"),
    BACK("back"),
    SELFIE("selfie");

    private final String value;

    DocumentKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
