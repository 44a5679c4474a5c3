package dev.tillit.keycloak.kyc;

import java.util.Arrays;
import java.util.Optional;

/** Which picture of a case an upload is; one stored picture per kind and case. */
public enum DocumentKind {
    FRONT("front"),
    BACK("back"),
    SELFIE("selfie");

    private final String id;

    DocumentKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<DocumentKind> of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }
}
