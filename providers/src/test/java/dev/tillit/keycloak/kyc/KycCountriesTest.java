package dev.tillit.keycloak.kyc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.tillit.keycloak.settings.TillitSetting;

class KycCountriesTest {

    private static Set<String> defaults() {
        return Set.of(TillitSetting.KYC_RESTRICTED_COUNTRIES.defaultValue().split(","));
    }

    private final KycCountries countries = new KycCountries(defaults(), TillitSetting.KYC_DOCUMENT_TYPES.defaultValue());

    @Test
    void theDefaultListRefusesWhatTheIssueNames() {
        for (String code : List.of("CU", "HK", "IR", "KP", "SG", "SD", "SY", "US")) {
            assertFalse(countries.offered(code), code);
            assertFalse(countries.serves(code, null), code);
        }
        assertTrue(countries.serves("SE", null));
        assertTrue(countries.offered("SE"));
    }

    @Test
    void ontarioAndCrimeaAreAskedForAndRefused() {
        assertTrue(countries.offered("CA"));
        assertTrue(countries.needsRegion("CA"));
        assertFalse(countries.serves("CA", null), "Canada without a province");
        assertFalse(countries.serves("CA", "CA-ON"));
        assertTrue(countries.serves("CA", "CA-QC"));
        assertFalse(countries.serves("CA", "UA-43"), "a region of another country");
        assertTrue(countries.needsRegion("UA"));
        assertFalse(countries.serves("UA", "UA-43"));
        assertTrue(countries.serves("UA", "UA-46"));
        assertFalse(countries.offeredRegions("CA").stream().anyMatch(r -> r.get("code").equals("CA-ON")));
        assertEquals(12, countries.offeredRegions("CA").size());
    }

    @Test
    void aRegionOfACountryWithoutKnownSubdivisionsClosesTheWholeCountry() {
        KycCountries c = new KycCountries(Set.of("FR-75"), "*:passport");
        assertFalse(c.offered("FR"));
        assertFalse(c.serves("FR", null));
        assertTrue(c.serves("DE", null));
    }

    @Test
    void unknownCodesAreRefused() {
        assertFalse(countries.serves("XX", null));
        assertFalse(countries.serves(null, null));
        assertFalse(countries.offered("ZZ"));
    }

    @Test
    void documentTypesPerCountry() {
        assertEquals(List.of(DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.DRIVING_LICENCE,
                DocumentType.RESIDENCE_PERMIT), countries.documentTypes("SE"));
        assertFalse(countries.documentTypes("GB").contains(DocumentType.ID_CARD));
        assertFalse(DocumentType.PASSPORT.hasBack());
        assertTrue(DocumentType.ID_CARD.hasBack());
    }

    @Test
    void countriesAreNamedInTheUsersLanguage() {
        List<Map<String, String>> sv = countries.offeredCountries(Locale.forLanguageTag("sv"));
        assertTrue(sv.stream().anyMatch(m -> m.get("code").equals("SE") && m.get("name").equals("Sverige")), sv.toString());
        assertFalse(sv.stream().anyMatch(m -> m.get("code").equals("US")));
    }
}
