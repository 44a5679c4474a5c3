package dev.tillit.keycloak.kyc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KycClaimsMapperTest {

    @Test
    void levelsAndStatusesOutsideTheVocabularyCountAsNone() {
        assertEquals(0, KycClaimsMapper.level(null));
        assertEquals(1, KycClaimsMapper.level("1"));
        assertEquals(2, KycClaimsMapper.level(" 2 "));
        assertEquals(0, KycClaimsMapper.level("3"));
        assertEquals(0, KycClaimsMapper.level("one"));
        assertEquals("none", KycClaimsMapper.status(null));
        assertEquals("pending", KycClaimsMapper.status("pending"));
        assertEquals("resubmission_required", KycClaimsMapper.status("resubmission_required"));
        assertEquals("none", KycClaimsMapper.status("draft"), "a draft is not a status users or services see");
        assertEquals("none", KycClaimsMapper.status("APPROVED"));
    }
}
