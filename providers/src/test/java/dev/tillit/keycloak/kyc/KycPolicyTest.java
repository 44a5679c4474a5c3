package dev.tillit.keycloak.kyc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tillit.keycloak.settings.DocumentType;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class KycPolicyTest {

    @Test
    void documentTypesFollowTheCountryRuleElseTheStarRule() {
        String rules = "*=passport,id_card,driving_licence;US=passport,driving_licence";
        assertEquals(List.of(DocumentType.PASSPORT, DocumentType.DRIVING_LICENCE), DocumentType.forCountry(rules, "us"));
        assertEquals(List.of(DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.DRIVING_LICENCE),
                DocumentType.forCountry(rules, "SE"));
        assertEquals(List.of(DocumentType.values()), DocumentType.forCountry("SE=passport", "NO"));
    }

    @Test
    void unknownDocumentTypesAreNotAccepted() {
        assertTrue(DocumentType.allKnown("*=passport,id_card;US=passport"));
        assertFalse(DocumentType.allKnown("*=passport,library_card"));
    }

    @Test
    void onlyAPassportMayComeFromAnotherCountry() {
        assertTrue(KycPolicy.issuerMatchesResidence(DocumentType.PASSPORT, "DE", "SE"));
        assertFalse(KycPolicy.issuerMatchesResidence(DocumentType.ID_CARD, "DE", "SE"));
        assertTrue(KycPolicy.issuerMatchesResidence(DocumentType.ID_CARD, "SE", "SE"));
    }

    @Test
    void ageIsCountedToTheDay() {
        LocalDate today = LocalDate.of(2026, 11, 26);
        assertTrue(KycPolicy.oldEnough(LocalDate.of(2008, 11, 26), 18, today));
        assertFalse(KycPolicy.oldEnough(LocalDate.of(2008, 11, 27), 18, today));
    }

    @Test
    void controlCharactersCannotForgeLines() {
        assertEquals("Anna Svensson x", KycRequiredAction.clean(" Anna\r\nSvensson\u0000x "));
    }
}
