package dev.tillit.keycloak.kyc;

import dev.tillit.keycloak.settings.DocumentType;
import java.time.LocalDate;
import java.time.Period;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.tillit.keycloak.settings.TillitSettings;

/** Who may verify with what, from the realm's Tillit settings. */
public final class KycPolicy {

    private KycPolicy() {
    }

    /** Countries offered for residence: every ISO country but the ones not served as a whole. */
    public static List<String> servedCountries(TillitSettings settings) {
        Set<String> restricted = settings.kycRestricted();
        return java.util.Arrays.stream(Locale.getISOCountries()).filter(c -> !restricted.contains(c)).toList();
    }

    /** Every ISO country, for the ID's issuing country. */
    public static List<String> allCountries() {
        return List.of(Locale.getISOCountries());
    }

    public static boolean countryServed(TillitSettings settings, String country) {
        return country != null && country.matches("[A-Z]{2}") && List.of(Locale.getISOCountries()).contains(country)
                && !settings.kycRestricted().contains(country);
    }

    /** Regions of this country that are not served (e.g. CA-ON for CA): the user is asked about each. */
    public static List<String> regionsAsked(TillitSettings settings, String country) {
        return settings.kycRestricted().stream().filter(r -> r.startsWith(country + "-"))
                .sorted(Comparator.naturalOrder()).toList();
    }

    public static List<DocumentType> documentTypes(TillitSettings settings, String issuingCountry) {
        return DocumentType.forCountry(settings.kycDocumentTypes(), issuingCountry);
    }

    public static boolean twoSided(TillitSettings settings, String documentType) {
        return DocumentType.of(documentType).map(DocumentType.parseList(settings.kycTwoSidedDocuments())::contains).orElse(false);
    }

    /**
     * A national ID card, driving licence or residence permit shows where its holder lives, so it
     * must come from the country of residence; a passport may be from anywhere.
     */
    public static boolean issuerMatchesResidence(DocumentType type, String issuingCountry, String residence) {
        return type == DocumentType.PASSPORT || issuingCountry.equals(residence);
    }

    public static boolean oldEnough(LocalDate birthDate, int minimumAge, LocalDate today) {
        return Period.between(birthDate, today).getYears() >= minimumAge;
    }
}
