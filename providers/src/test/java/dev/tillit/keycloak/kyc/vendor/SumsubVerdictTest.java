package dev.tillit.keycloak.kyc.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.review.Outcome;
import dev.tillit.keycloak.kyc.review.ReasonCode;

class SumsubVerdictTest {

    @Test
    void greenApproves() {
        assertEquals(new SumsubVerdict(Outcome.APPROVED, List.of(), List.of()), SumsubVerdict.of("GREEN", null, List.of(), true));
    }

    @Test
    void redFinalRejectsWithTheReasonsWeCanWord() {
        SumsubVerdict v = SumsubVerdict.of("RED", "FINAL", List.of("FORGERY", "GRAPHIC_EDITOR", "BAD_FACE_MATCHING", "BLACKLIST"), true);
        assertEquals(Outcome.REJECTED, v.outcome());
        assertEquals(List.of(ReasonCode.EDITED_DOCUMENT, ReasonCode.FACE_MISMATCH), v.reasons(), "one each, unknown labels dropped");
        assertEquals(List.of(), v.documents());
    }

    @Test
    void redRetryAsksForThePicturesTheLabelsName() {
        SumsubVerdict selfie = SumsubVerdict.of("RED", "RETRY", List.of("BAD_SELFIE"), true);
        assertEquals(Outcome.RESUBMISSION_REQUIRED, selfie.outcome());
        assertEquals(List.of(DocumentKind.SELFIE), selfie.documents());

        SumsubVerdict photos = SumsubVerdict.of("RED", "RETRY", List.of("UNSATISFACTORY_PHOTOS"), true);
        assertEquals(List.of(ReasonCode.BLURRY), photos.reasons());
        assertEquals(List.of(DocumentKind.FRONT, DocumentKind.BACK), photos.documents());
        assertEquals(List.of(DocumentKind.FRONT), SumsubVerdict.of("RED", "RETRY", List.of("UNSATISFACTORY_PHOTOS"), false).documents(),
                "a passport has no back");
        assertEquals(List.of(DocumentKind.BACK), SumsubVerdict.of("RED", "RETRY", List.of("BACK_SIDE_MISSING"), true).documents());
    }

    @Test
    void aRetryThatNamesNothingWeStoreAsksForEveryPicture() {
        assertEquals(List.of(DocumentKind.FRONT, DocumentKind.BACK, DocumentKind.SELFIE),
                SumsubVerdict.of("RED", "RETRY", List.of("CHECK_UNAVAILABLE"), true).documents());
    }

    @Test
    void resultsWeDoNotKnowAreLeftToPeople() {
        assertNull(SumsubVerdict.of("YELLOW", null, List.of(), true));
        assertNull(SumsubVerdict.of(null, null, List.of(), true));
        assertNull(SumsubVerdict.of("RED", null, List.of("FORGERY"), true));
        assertNull(SumsubVerdict.of("RED", "EXTERNAL", List.of(), true));
    }
}
