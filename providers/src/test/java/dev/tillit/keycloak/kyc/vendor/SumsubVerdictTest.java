package dev.tillit.keycloak.kyc.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.review.Outcome;
import dev.tillit.keycloak.kyc.review.ReasonCode;

class SumsubVerdictTest {

    /**
     * The whole table, written out again: every label Sumsub publishes for individual applicants
     * (https://docs.sumsub.com/docs/rejection-labels), the reasons it words and the pictures it asks
     * for; "-" is deliberately ignored. A row changed in one place and not the other fails here.
     */
    private static final String TABLE = """
            ADDITIONAL_DATA_REQUIRED        | -                                  | NONE
            ADDITIONAL_DOCUMENT_REQUIRED    | -                                  | NONE
            ADVERSE_MEDIA                   | -                                  | NONE
            AGE_REQUIREMENT_MISMATCH        | -                                  | NONE
            APPLICANT_INTERRUPTED_INTERVIEW | -                                  | NONE
            BACK_SIDE_MISSING               | cropped                            | BACK
            BAD_AVATAR                      | -                                  | NONE
            BAD_FACE_MATCHING               | face_mismatch                      | SELFIE
            BAD_PROOF_OF_ADDRESS            | -                                  | NONE
            BAD_PROOF_OF_IDENTITY           | blurry                             | ID
            BAD_PROOF_OF_PAYMENT            | -                                  | NONE
            BAD_SELFIE                      | -                                  | SELFIE
            BAD_VIDEO_SELFIE                | -                                  | SELFIE
            BEHAVIOR                        | -                                  | NONE
            BLACKLIST                       | -                                  | NONE
            BLACK_AND_WHITE                 | -                                  | ID
            BLOCKLIST                       | -                                  | NONE
            CAMERA_OR_LIGHTING_ISSUES       | -                                  | NONE
            CHECK_UNAVAILABLE               | -                                  | NONE
            COMPROMISED_PERSONS             | -                                  | NONE
            CONNECTION_INTERRUPTED          | -                                  | NONE
            CRIMINAL                        | -                                  | NONE
            DB_DATA_MISMATCH                | -                                  | NONE
            DB_DATA_NOT_FOUND               | -                                  | NONE
            DIGITAL_DOCUMENT                | unsupported_document               | ID
            DOCUMENT_DAMAGED                | -                                  | ID
            DOCUMENT_DEPRIVED               | -                                  | ID
            DOCUMENT_PAGE_MISSING           | cropped                            | ID_AND_BACK
            DOCUMENT_TEMPLATE               | unsupported_document               | ID
            DUPLICATE                       | -                                  | NONE
            EXPERIENCE_REQUIREMENT_MISMATCH | -                                  | NONE
            EXPIRATION_DATE                 | expired_document                   | ID
            EXTERNAL_DECISION_REJECTION     | -                                  | NONE
            FORGERY                         | -                                  | ID
            FRAUDULENT_LIVENESS             | -                                  | SELFIE
            FRAUDULENT_PATTERNS             | -                                  | NONE
            FRONT_SIDE_MISSING              | cropped                            | FRONT
            GPS_AS_POA_SKIPPED              | -                                  | NONE
            GRAPHIC_EDITOR                  | edited_document                    | ID
            ID_INVALID                      | -                                  | ID
            INCOMPATIBLE_LANGUAGE           | -                                  | NONE
            INCOMPLETE_DOCUMENT             | cropped                            | ID
            INCONSISTENT_PROFILE            | -                                  | NONE
            INCORRECT_SOCIAL_NUMBER         | -                                  | NONE
            LOW_QUALITY                     | blurry                             | ID
            NOT_ALL_CHECKS_COMPLETED        | -                                  | NONE
            NOT_DOCUMENT                    | unsupported_document               | ID
            PEP                             | -                                  | NONE
            PROBLEMATIC_APPLICANT_DATA      | name_mismatch,birth_date_mismatch  | ID
            REGULATIONS_VIOLATIONS          | -                                  | NONE
            REQUESTED_DATA_MISMATCH         | name_mismatch,birth_date_mismatch  | ID
            RESTRICTED_PERSON               | -                                  | NONE
            SANCTIONS                       | -                                  | NONE
            SCREENSHOTS                     | unsupported_document               | ID
            SELFIE_MISMATCH                 | face_mismatch                      | SELFIE
            SELFIE_WITH_PAPER               | -                                  | SELFIE
            SPAM                            | -                                  | NONE
            THIRD_PARTY_INVOLVED            | -                                  | NONE
            UNFILLED_ID                     | -                                  | ID
            UNSATISFACTORY_PHOTOS           | blurry                             | ID
            UNSUITABLE_DOCUMENT             | unsupported_document               | ID
            UNSUITABLE_ENV                  | -                                  | NONE
            WRONG_ADDRESS                   | -                                  | NONE
            WRONG_USER_REGION               | -                                  | NONE
            """;

    @Test
    void everyPublishedLabelIsMappedOrDeliberatelyIgnoredAsTheTableSays() {
        Map<String, String> expected = new TreeMap<>();
        for (String line : TABLE.strip().split("\n")) {
            String[] cells = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
            expected.put(cells[0], cells[1] + " | " + cells[2]);
        }
        Map<String, String> actual = new TreeMap<>();
        SumsubVerdict.LABELS.forEach((name, label) -> actual.put(name,
                (label.reasons().isEmpty() ? "-" : label.reasons().stream().map(ReasonCode::id).collect(Collectors.joining(",")))
                        + " | " + label.redo()));
        assertEquals(expected, actual);
    }

    @Test
    void eachLabelAloneGivesItsReasonsAndPictures() {
        SumsubVerdict.LABELS.forEach((name, label) -> {
            SumsubVerdict v = SumsubVerdict.of("RED", "RETRY", List.of(name), true);
            assertEquals(label.reasons(), v.reasons(), name);
            List<DocumentKind> expected = switch (label.redo()) {
                case NONE -> List.of(DocumentKind.FRONT, DocumentKind.BACK, DocumentKind.SELFIE);
                case ID, ID_AND_BACK -> List.of(DocumentKind.FRONT, DocumentKind.BACK);
                case FRONT -> List.of(DocumentKind.FRONT);
                case BACK -> List.of(DocumentKind.BACK);
                case SELFIE -> List.of(DocumentKind.SELFIE);
            };
            assertEquals(expected, v.documents(), name);
        });
    }

    @Test
    void greenApproves() {
        assertEquals(new SumsubVerdict(Outcome.APPROVED, List.of(), List.of()), SumsubVerdict.of("GREEN", null, List.of(), true));
    }

    @Test
    void redFinalRejectsWithTheReasonsWeCanWord() {
        SumsubVerdict v = SumsubVerdict.of("RED", "FINAL", List.of("FORGERY", "GRAPHIC_EDITOR", "BAD_FACE_MATCHING", "BLACKLIST"), true);
        assertEquals(Outcome.REJECTED, v.outcome());
        assertEquals(List.of(ReasonCode.EDITED_DOCUMENT, ReasonCode.FACE_MISMATCH), v.reasons(), "one each, ignored labels dropped");
        assertEquals(List.of(), v.documents());
        assertEquals(List.of(ReasonCode.UNSUPPORTED_DOCUMENT), SumsubVerdict.of("RED", "FINAL", List.of("DOCUMENT_TEMPLATE"), true).reasons(),
                "a template from the internet is not an edited document");
    }

    @Test
    void unsatisfactoryPhotosWordsAReasonOnlyWithoutAPreciseCompanion() {
        // Sumsub's "Screenshots" button carries SCREENSHOTS and UNSATISFACTORY_PHOTOS: the email says screenshots, not blurry.
        assertEquals(List.of(ReasonCode.UNSUPPORTED_DOCUMENT),
                SumsubVerdict.of("RED", "RETRY", List.of("UNSATISFACTORY_PHOTOS", "SCREENSHOTS"), true).reasons());
        assertEquals(List.of(ReasonCode.BLURRY), SumsubVerdict.of("RED", "RETRY", List.of("UNSATISFACTORY_PHOTOS"), true).reasons());
    }

    @Test
    void redRetryAsksForThePicturesTheLabelsName() {
        SumsubVerdict selfie = SumsubVerdict.of("RED", "RETRY", List.of("BAD_SELFIE"), true);
        assertEquals(Outcome.RESUBMISSION_REQUIRED, selfie.outcome());
        assertEquals(List.of(DocumentKind.SELFIE), selfie.documents());
        assertEquals(List.of(DocumentKind.FRONT), SumsubVerdict.of("RED", "RETRY", List.of("LOW_QUALITY"), false).documents(),
                "a passport has no back");
        assertEquals(List.of(DocumentKind.BACK), SumsubVerdict.of("RED", "RETRY", List.of("BACK_SIDE_MISSING"), false).documents(),
                "Sumsub says the document has a back although the case has none");
        assertEquals(List.of(DocumentKind.FRONT, DocumentKind.BACK),
                SumsubVerdict.of("RED", "RETRY", List.of("DOCUMENT_PAGE_MISSING"), false).documents());
        assertEquals(List.of(DocumentKind.FRONT, DocumentKind.BACK, DocumentKind.SELFIE),
                SumsubVerdict.of("RED", "RETRY", List.of("BAD_FACE_MATCHING", "GRAPHIC_EDITOR"), true).documents());
    }

    @Test
    void aRetryThatNamesNothingWeStoreAsksForEveryPicture() {
        assertEquals(List.of(DocumentKind.FRONT, DocumentKind.BACK, DocumentKind.SELFIE),
                SumsubVerdict.of("RED", "RETRY", List.of("CHECK_UNAVAILABLE"), true).documents());
    }

    @Test
    void labelsSumsubAddedSinceAreNamedForTheLog() {
        assertEquals(List.of("SOMETHING_NEW"), SumsubVerdict.unknown(List.of("FORGERY", "SOMETHING_NEW", "SOMETHING_NEW")));
        assertEquals(List.of(), SumsubVerdict.of("RED", "FINAL", List.of("SOMETHING_NEW"), true).reasons());
    }

    @Test
    void resultsWeDoNotKnowAreLeftToPeople() {
        assertNull(SumsubVerdict.of("YELLOW", null, List.of(), true));
        assertNull(SumsubVerdict.of(null, null, List.of(), true));
        assertNull(SumsubVerdict.of("RED", null, List.of("FORGERY"), true));
        assertNull(SumsubVerdict.of("RED", "EXTERNAL", List.of(), true));
    }
}
