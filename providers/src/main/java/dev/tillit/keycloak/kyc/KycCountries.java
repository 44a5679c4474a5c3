package dev.tillit.keycloak.kyc;

import java.text.Collator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which countries and regions the realm serves, and which ID types each country issues, from the
 * realm's Tillit settings. A restricted country ({@code US}) is never offered. A restricted region
 * ({@code CA-ON}) makes its country ask for the region; the subdivisions are known here for the
 * countries where the default list needs them (Canada, Ukraine). A region of any other country is
 * treated as the whole country, the safe side.
 */
public final class KycCountries {

    /** ISO 3166-2 subdivisions of the countries whose regions may be restricted, with their names. */
    static final Map<String, Map<String, String>> SUBDIVISIONS = Map.of(
            "CA", ordered("CA-AB", "Alberta", "CA-BC", "British Columbia", "CA-MB", "Manitoba", "CA-NB", "New Brunswick",
                    "CA-NL", "Newfoundland and Labrador", "CA-NS", "Nova Scotia", "CA-NT", "Northwest Territories",
                    "CA-NU", "Nunavut", "CA-ON", "Ontario", "CA-PE", "Prince Edward Island", "CA-QC", "Québec",
                    "CA-SK", "Saskatchewan", "CA-YT", "Yukon"),
            "UA", ordered("UA-71", "Cherkasy", "UA-74", "Chernihiv", "UA-77", "Chernivtsi", "UA-43", "Crimea",
                    "UA-12", "Dnipropetrovsk", "UA-14", "Donetsk", "UA-26", "Ivano-Frankivsk", "UA-63", "Kharkiv",
                    "UA-65", "Kherson", "UA-68", "Khmelnytskyi", "UA-35", "Kirovohrad", "UA-30", "Kyiv (city)",
                    "UA-32", "Kyiv (region)", "UA-09", "Luhansk", "UA-46", "Lviv", "UA-48", "Mykolaiv", "UA-51", "Odesa",
                    "UA-53", "Poltava", "UA-56", "Rivne", "UA-40", "Sevastopol", "UA-59", "Sumy", "UA-61", "Ternopil",
                    "UA-05", "Vinnytsia", "UA-07", "Volyn", "UA-21", "Zakarpattia", "UA-23", "Zaporizhzhia",
                    "UA-18", "Zhytomyr"));

    private final Set<String> restricted;
    private final Map<String, List<DocumentType>> typesByCountry;

    public KycCountries(Set<String> restricted, String documentTypes) {
        this.restricted = restricted;
        this.typesByCountry = parseTypes(documentTypes);
    }

    /** Whether anyone living in {@code country} (and {@code region}, where asked) may be verified. */
    public boolean serves(String country, String region) {
        if (country == null || !isCountry(country) || restricted.contains(country)) {
            return false;
        }
        if (!needsRegion(country)) {
            return !hasRestrictedRegion(country);
        }
        return region != null && SUBDIVISIONS.get(country).containsKey(region) && !restricted.contains(region);
    }

    /** The country is offered, but only with a region (Canada while Ontario is restricted). */
    public boolean needsRegion(String country) {
        return SUBDIVISIONS.containsKey(country) && hasRestrictedRegion(country);
    }

    /** Countries offered on the residence screen: served ones, and those served except for some regions. */
    public boolean offered(String country) {
        return isCountry(country) && !restricted.contains(country) && (needsRegion(country) || !hasRestrictedRegion(country));
    }

    private boolean hasRestrictedRegion(String country) {
        return restricted.stream().anyMatch(r -> r.startsWith(country + "-"));
    }

    /** Offered countries, named and sorted in the user's language. */
    public List<Map<String, String>> offeredCountries(Locale locale) {
        Collator collator = Collator.getInstance(locale);
        return Arrays.stream(Locale.getISOCountries())
                .filter(this::offered)
                .map(code -> Map.of("code", code, "name", name(code, locale)))
                .sorted(Comparator.comparing((Map<String, String> m) -> m.get("name"), collator))
                .collect(Collectors.toList());
    }

    /** The regions of a country that asks for one, the restricted ones left out. */
    public List<Map<String, String>> offeredRegions(String country) {
        List<Map<String, String>> regions = new ArrayList<>();
        SUBDIVISIONS.getOrDefault(country, Map.of()).forEach((code, name) -> {
            if (!restricted.contains(code)) {
                regions.add(Map.of("code", code, "name", name));
            }
        });
        return regions;
    }

    /** ID types the country issues ({@code *} entry for countries without their own). */
    public List<DocumentType> documentTypes(String country) {
        return typesByCountry.getOrDefault(country, typesByCountry.getOrDefault("*", List.of(DocumentType.PASSPORT)));
    }

    public static String name(String country, Locale locale) {
        return new Locale("", country).getDisplayCountry(locale);
    }

    public static boolean isCountry(String code) {
        return code != null && code.length() == 2 && Set.of(Locale.getISOCountries()).contains(code);
    }

    static Map<String, List<DocumentType>> parseTypes(String value) {
        Map<String, List<DocumentType>> map = new LinkedHashMap<>();
        if (value == null) {
            return map;
        }
        for (String entry : value.split(";")) {
            String[] parts = entry.split(":", 2);
            if (parts.length != 2) {
                continue;
            }
            Set<DocumentType> types = new LinkedHashSet<>();
            for (String type : parts[1].split(",")) {
                DocumentType.of(type.trim()).ifPresent(types::add);
            }
            if (!types.isEmpty()) {
                map.put(parts[0].trim().toUpperCase(Locale.ROOT), List.copyOf(types));
            }
        }
        return map;
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
