package dev.tillit.keycloak.kyc.vendor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.review.Outcome;
import dev.tillit.keycloak.kyc.review.ReasonCode;

/**
 * What an {@code applicantReviewed} webhook's {@code reviewResult} means for our case: GREEN
 * approves; RED with {@code reviewRejectType} FINAL rejects; RED RETRY asks for new pictures.
 * Sumsub says the labels do not decide which of the two a RED is, only {@code reviewRejectType}
 * does (https://docs.sumsub.com/docs/rejection-labels).
 * <p>
 * {@link #LABELS} is Sumsub's published list of rejection labels for individual applicants
 * (https://docs.sumsub.com/docs/rejection-labels), each one either mapped to the reason codes whose
 * sentence says what Sumsub's description says, with the pictures it names, or deliberately
 * ignored (no reason we can word, and nothing we store to take again). The labels Sumsub puts
 * together on one explanatory button are on https://docs.sumsub.com/reference/temporary-rejection:
 * {@code UNSATISFACTORY_PHOTOS} comes with the precise one (screenshots, edited, incomplete ...),
 * so it words a reason of its own only when it comes alone ("data not readable": blurred).
 * Labels of company applicants ({@code COMPANY_*}, KYB) never reach us: we create individuals.
 */
record SumsubVerdict(Outcome outcome, List<ReasonCode> reasons, List<DocumentKind> documents) {

    /** Which pictures a label asks for again. */
    enum Redo {
        /** None we store (AML, video ident, address ...). */
        NONE,
        /** The ID: its front, and its back when the case has one. */
        ID,
        /** The front only. */
        FRONT,
        /** The back, even when the case has none: Sumsub says the document has one. */
        BACK,
        /** The front and the back, even when the case has no back: a page or side is missing. */
        ID_AND_BACK,
        SELFIE
    }

    record Label(List<ReasonCode> reasons, Redo redo) {

        boolean ignored() {
            return reasons.isEmpty() && redo == Redo.NONE;
        }
    }

    private static Label label(Redo redo, ReasonCode... reasons) {
        return new Label(List.of(reasons), redo);
    }

    private static Label ignored() {
        return new Label(List.of(), Redo.NONE);
    }

    /** A label that words no reason only because its specific companion does. */
    static final String UMBRELLA = "UNSATISFACTORY_PHOTOS";

    /** Sumsub's rejection labels, as published on https://docs.sumsub.com/docs/rejection-labels (read 2026-12-07). */
    static final Map<String, Label> LABELS = Map.ofEntries(
            // About the ID's pictures.
            Map.entry("BACK_SIDE_MISSING", label(Redo.BACK, ReasonCode.CROPPED)),
            Map.entry("FRONT_SIDE_MISSING", label(Redo.FRONT, ReasonCode.CROPPED)),
            // "Another side": a double-sided document of which one side came (temporary-rejection page).
            Map.entry("DOCUMENT_PAGE_MISSING", label(Redo.ID_AND_BACK, ReasonCode.CROPPED)),
            Map.entry("INCOMPLETE_DOCUMENT", label(Redo.ID, ReasonCode.CROPPED)),
            Map.entry("LOW_QUALITY", label(Redo.ID, ReasonCode.BLURRY)),
            Map.entry("BAD_PROOF_OF_IDENTITY", label(Redo.ID, ReasonCode.BLURRY)),
            Map.entry(UMBRELLA, label(Redo.ID, ReasonCode.BLURRY)),
            Map.entry("EXPIRATION_DATE", label(Redo.ID, ReasonCode.EXPIRED_DOCUMENT)),
            Map.entry("GRAPHIC_EDITOR", label(Redo.ID, ReasonCode.EDITED_DOCUMENT)),
            // Templates from the internet, screenshots, digital copies, irrelevant or unsuitable papers: not a document we accept.
            Map.entry("DOCUMENT_TEMPLATE", label(Redo.ID, ReasonCode.UNSUPPORTED_DOCUMENT)),
            Map.entry("NOT_DOCUMENT", label(Redo.ID, ReasonCode.UNSUPPORTED_DOCUMENT)),
            Map.entry("UNSUITABLE_DOCUMENT", label(Redo.ID, ReasonCode.UNSUPPORTED_DOCUMENT)),
            Map.entry("DIGITAL_DOCUMENT", label(Redo.ID, ReasonCode.UNSUPPORTED_DOCUMENT)),
            Map.entry("SCREENSHOTS", label(Redo.ID, ReasonCode.UNSUPPORTED_DOCUMENT)),
            // The data read from the document is not the applicant's: the label does not say which field, and
            // the name and the date of birth are the fields we and the document both hold.
            Map.entry("PROBLEMATIC_APPLICANT_DATA", label(Redo.ID, ReasonCode.NAME_MISMATCH, ReasonCode.BIRTH_DATE_MISMATCH)),
            Map.entry("REQUESTED_DATA_MISMATCH", label(Redo.ID, ReasonCode.NAME_MISMATCH, ReasonCode.BIRTH_DATE_MISMATCH)),
            // A forgery, an invalid, damaged, unfilled or deprived document, black and white copies: no sentence of ours
            // says it (a forgery is more than "edited"; "invalid" is not "a type we do not accept"); the ID is taken again.
            Map.entry("FORGERY", label(Redo.ID)),
            Map.entry("ID_INVALID", label(Redo.ID)),
            Map.entry("DOCUMENT_DAMAGED", label(Redo.ID)),
            Map.entry("DOCUMENT_DEPRIVED", label(Redo.ID)),
            Map.entry("UNFILLED_ID", label(Redo.ID)),
            Map.entry("BLACK_AND_WHITE", label(Redo.ID)),
            // About the selfie.
            Map.entry("BAD_FACE_MATCHING", label(Redo.SELFIE, ReasonCode.FACE_MISMATCH)),
            Map.entry("SELFIE_MISMATCH", label(Redo.SELFIE, ReasonCode.FACE_MISMATCH)),
            Map.entry("BAD_SELFIE", label(Redo.SELFIE)),
            Map.entry("BAD_VIDEO_SELFIE", label(Redo.SELFIE)),
            Map.entry("FRAUDULENT_LIVENESS", label(Redo.SELFIE)),
            Map.entry("SELFIE_WITH_PAPER", label(Redo.SELFIE)),
            // Deliberately ignored: screening, regulation, other verification steps than an ID and a selfie.
            Map.entry("ADDITIONAL_DATA_REQUIRED", ignored()),
            Map.entry("ADDITIONAL_DOCUMENT_REQUIRED", ignored()),
            Map.entry("ADVERSE_MEDIA", ignored()),
            Map.entry("AGE_REQUIREMENT_MISMATCH", ignored()),
            Map.entry("APPLICANT_INTERRUPTED_INTERVIEW", ignored()),
            Map.entry("BAD_AVATAR", ignored()),
            Map.entry("BAD_PROOF_OF_ADDRESS", ignored()),
            Map.entry("BAD_PROOF_OF_PAYMENT", ignored()),
            Map.entry("BEHAVIOR", ignored()),
            Map.entry("BLACKLIST", ignored()),
            Map.entry("BLOCKLIST", ignored()),
            Map.entry("CAMERA_OR_LIGHTING_ISSUES", ignored()),
            Map.entry("CHECK_UNAVAILABLE", ignored()),
            Map.entry("COMPROMISED_PERSONS", ignored()),
            Map.entry("CONNECTION_INTERRUPTED", ignored()),
            Map.entry("CRIMINAL", ignored()),
            Map.entry("DB_DATA_MISMATCH", ignored()),
            Map.entry("DB_DATA_NOT_FOUND", ignored()),
            Map.entry("DUPLICATE", ignored()),
            Map.entry("EXPERIENCE_REQUIREMENT_MISMATCH", ignored()),
            Map.entry("EXTERNAL_DECISION_REJECTION", ignored()),
            Map.entry("FRAUDULENT_PATTERNS", ignored()),
            Map.entry("GPS_AS_POA_SKIPPED", ignored()),
            Map.entry("INCOMPATIBLE_LANGUAGE", ignored()),
            Map.entry("INCONSISTENT_PROFILE", ignored()),
            Map.entry("INCORRECT_SOCIAL_NUMBER", ignored()),
            Map.entry("NOT_ALL_CHECKS_COMPLETED", ignored()),
            Map.entry("PEP", ignored()),
            Map.entry("REGULATIONS_VIOLATIONS", ignored()),
            Map.entry("RESTRICTED_PERSON", ignored()),
            Map.entry("SANCTIONS", ignored()),
            Map.entry("SPAM", ignored()),
            Map.entry("THIRD_PARTY_INVOLVED", ignored()),
            Map.entry("UNSUITABLE_ENV", ignored()),
            Map.entry("WRONG_ADDRESS", ignored()),
            Map.entry("WRONG_USER_REGION", ignored()));

    /** The labels of {@code labels} that are in no row of the table (logged: Sumsub's list grew). */
    static List<String> unknown(List<String> labels) {
        return labels.stream().filter(l -> !LABELS.containsKey(l)).distinct().toList();
    }

    /**
     * @param answer      {@code reviewAnswer}: GREEN or RED
     * @param rejectType  {@code reviewRejectType}: FINAL or RETRY (RED only)
     * @param labels      {@code rejectLabels}
     * @param hasBack     whether the case has a picture of the ID's back
     * @return null when the result is not one we act on (left to people)
     */
    static SumsubVerdict of(String answer, String rejectType, List<String> labels, boolean hasBack) {
        if ("GREEN".equals(answer)) {
            return new SumsubVerdict(Outcome.APPROVED, List.of(), List.of());
        }
        if (!"RED".equals(answer)) {
            return null;
        }
        List<ReasonCode> reasons = new ArrayList<>();
        for (String name : labels) {
            Label label = LABELS.get(name);
            if (label != null && !UMBRELLA.equals(name)) {
                label.reasons().stream().filter(r -> !reasons.contains(r)).forEach(reasons::add);
            }
        }
        if (reasons.isEmpty() && labels.contains(UMBRELLA)) {
            reasons.addAll(LABELS.get(UMBRELLA).reasons());
        }
        if ("FINAL".equals(rejectType)) {
            return new SumsubVerdict(Outcome.REJECTED, reasons, List.of());
        }
        if (!"RETRY".equals(rejectType)) {
            return null;
        }
        boolean front = false;
        boolean back = false;
        boolean selfie = false;
        for (String name : labels) {
            Redo redo = LABELS.getOrDefault(name, ignored()).redo();
            front |= redo == Redo.ID || redo == Redo.FRONT || redo == Redo.ID_AND_BACK;
            back |= redo == Redo.ID && hasBack || redo == Redo.BACK || redo == Redo.ID_AND_BACK;
            selfie |= redo == Redo.SELFIE;
        }
        List<DocumentKind> documents = new ArrayList<>();
        if (front) {
            documents.add(DocumentKind.FRONT);
        }
        if (back) {
            documents.add(DocumentKind.BACK);
        }
        if (selfie) {
            documents.add(DocumentKind.SELFIE);
        }
        if (documents.isEmpty()) {
            // Sumsub wants something again but names nothing we store: every picture, rather than a loop.
            documents.add(DocumentKind.FRONT);
            if (hasBack) {
                documents.add(DocumentKind.BACK);
            }
            documents.add(DocumentKind.SELFIE);
        }
        return new SumsubVerdict(Outcome.RESUBMISSION_REQUIRED, reasons, documents);
    }
}
