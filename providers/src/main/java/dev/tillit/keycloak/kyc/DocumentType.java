package dev.tillit.keycloak.kyc;

import java.util.Arrays;
import java.util.Optional;

/** The identity documents accepted; which a country issues is a realm setting ({@code kycDocumentTypes}). */
public enum DocumentType {
    PASSPORT("passport", false),
    ID_CARD("id_card", true),
    DRIVING_LICENCE("driving_licence", true),
    RESIDENCE_PERMIT("residence_permit", true);

    private final String value;
    private final boolean hasBack;

    DocumentType(String value, boolean hasBack) {
        this.value = value;
        this.hasBack = hasBack;
    }

    public String value() {
        return value;
    }

    /** Cards carry data on both sides (MRZ, address, categories): the reviewer needs the back too. */
    public boolean hasBack() {
        return hasBack;
    }

    public static Optional<DocumentType> of(String value) {
        return Arrays.stream(values()).filter(t -> t.value.equals(value)).findFirst();
    }
}
