package dev.tillit.keycloak.kyc;

import java.util.Arrays;
import java.util.Optional;

/** Which picture of a case an upload is; one stored picture per kind and case. */
public enum DocumentKind {
    FRONT("front"),
    BACK("back"),
    SELFIE("selfie"),
    /** Frames of the guided selfie (head turned as asked): kept for the reviewer as a liveness aid. */
    SELFIE_LEFT("selfie_left"),
    SELFIE_RIGHT("selfie_right");

    private final String id;

    DocumentKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The kind of a guided-selfie frame ({@code left}, {@code right}), if that is one. */
    public static Optional<DocumentKind> selfieFrame(String frame) {
        return "left".equals(frame) ? Optional.of(SELFIE_LEFT) : "right".equals(frame) ? Optional.of(SELFIE_RIGHT) : Optional.empty();
    }

    public static Optional<DocumentKind> of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }
}
