package dev.tillit.keycloak.kyc;

import java.util.Set;

import dev.tillit.keycloak.settings.TillitSettings;

/**
 * The screens of the verification. Which one is due is derived from what the stored case holds,
 * never from a counter in the browser or the session: a second tab, a reload, another node or a
 * server restart all land on the same screen, and nothing entered so far is lost.
 */
public enum KycStep {
    OVERVIEW, COUNTRY, REGION, DOCUMENT, DETAILS, FRONT, BACK, SELFIE, REVIEW, SUBMITTED;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The picture a step uploads, or null. */
    public DocumentKind upload() {
        return switch (this) {
            case FRONT -> DocumentKind.FRONT;
            case BACK -> DocumentKind.BACK;
            case SELFIE -> DocumentKind.SELFIE;
            default -> null;
        };
    }

    /** The step due for a draft (null: none yet) holding these pictures. */
    public static KycStep due(KycCaseEntity draft, Set<String> pictures, TillitSettings settings) {
        if (draft == null) {
            return OVERVIEW;
        }
        if (draft.getCountry() == null) {
            return COUNTRY;
        }
        if (draft.getRegion() == null && !KycPolicy.regionsAsked(settings, draft.getCountry()).isEmpty()) {
            return REGION;
        }
        if (draft.getDocumentType() == null) {
            return DOCUMENT;
        }
        if (draft.getDetails() == null) {
            return DETAILS;
        }
        if (!pictures.contains(DocumentKind.FRONT.id())) {
            return FRONT;
        }
        if (KycPolicy.twoSided(settings, draft.getDocumentType()) && !pictures.contains(DocumentKind.BACK.id())) {
            return BACK;
        }
        if (!pictures.contains(DocumentKind.SELFIE.id())) {
            return SELFIE;
        }
        return REVIEW;
    }
}
