package dev.tillit.keycloak.kyc.vendor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.review.Outcome;
import dev.tillit.keycloak.kyc.review.ReasonCode;

/**
 * What an {@code applicantReviewed} webhook's {@code reviewResult} means for our case
 * (docs.sumsub.com, "Receive results via API", "Rejection labels"): GREEN approves; RED with
 * {@code reviewRejectType} FINAL rejects; RED RETRY asks for new pictures. Sumsub's rejection labels
 * become our reason codes where one says the same thing (others are dropped: the email lists only
 * reasons we can word), and say which pictures to redo where they name one.
 */
record SumsubVerdict(Outcome outcome, List<ReasonCode> reasons, List<DocumentKind> documents) {

    static final Map<String, ReasonCode> REASONS = Map.ofEntries(
            Map.entry("UNSATISFACTORY_PHOTOS", ReasonCode.BLURRY),
            Map.entry("INCOMPLETE_DOCUMENT", ReasonCode.CROPPED),
            Map.entry("EXPIRATION_DATE", ReasonCode.EXPIRED_DOCUMENT),
            Map.entry("BAD_FACE_MATCHING", ReasonCode.FACE_MISMATCH),
            Map.entry("SELFIE_MISMATCH", ReasonCode.FACE_MISMATCH),
            Map.entry("FORGERY", ReasonCode.EDITED_DOCUMENT),
            Map.entry("GRAPHIC_EDITOR", ReasonCode.EDITED_DOCUMENT),
            Map.entry("DOCUMENT_TEMPLATE", ReasonCode.EDITED_DOCUMENT),
            Map.entry("ID_INVALID", ReasonCode.UNSUPPORTED_DOCUMENT),
            Map.entry("DIGITAL_DOCUMENT", ReasonCode.UNSUPPORTED_DOCUMENT),
            Map.entry("SCREENSHOTS", ReasonCode.UNSUPPORTED_DOCUMENT));

    /** Labels about the selfie; the ID's pictures can stay. */
    private static final Set<String> SELFIE = Set.of("BAD_SELFIE", "BAD_FACE_MATCHING", "SELFIE_MISMATCH", "BAD_VIDEO_SELFIE",
            "FRAUDULENT_LIVENESS", "SELFIE_WITH_PAPER");
    /** Labels about the ID itself: its pictures are taken again. */
    private static final Set<String> ID = Set.of("UNSATISFACTORY_PHOTOS", "INCOMPLETE_DOCUMENT", "DOCUMENT_PAGE_MISSING",
            "DOCUMENT_DAMAGED", "BLACK_AND_WHITE", "SCREENSHOTS", "DIGITAL_DOCUMENT", "EXPIRATION_DATE", "ID_INVALID",
            "GRAPHIC_EDITOR", "FORGERY", "DOCUMENT_TEMPLATE");

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
        for (String label : labels) {
            ReasonCode reason = REASONS.get(label);
            if (reason != null && !reasons.contains(reason)) {
                reasons.add(reason);
            }
        }
        if ("FINAL".equals(rejectType)) {
            return new SumsubVerdict(Outcome.REJECTED, reasons, List.of());
        }
        if (!"RETRY".equals(rejectType)) {
            return null;
        }
        List<DocumentKind> documents = new ArrayList<>();
        boolean id = labels.stream().anyMatch(ID::contains);
        if (id || labels.contains("FRONT_SIDE_MISSING")) {
            documents.add(DocumentKind.FRONT);
        }
        if (hasBack && (id || labels.contains("BACK_SIDE_MISSING"))) {
            documents.add(DocumentKind.BACK);
        }
        if (labels.stream().anyMatch(SELFIE::contains)) {
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
