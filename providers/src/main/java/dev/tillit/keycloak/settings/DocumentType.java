package dev.tillit.keycloak.settings;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kinds of ID a user may verify with; the id is what the settings, the case and the forms carry.
 * Declared here, beside the KYC settings whose values name these ids (so {@code settings} can check
 * them and imports nothing above it); {@code kyc} uses it.
 */
public enum DocumentType {
    PASSPORT("passport", "tillitKycDocPassport"),
    ID_CARD("id_card", "tillitKycDocIdCard"),
    DRIVING_LICENCE("driving_licence", "tillitKycDocDrivingLicence"),
    RESIDENCE_PERMIT("residence_permit", "tillitKycDocResidencePermit");

    private final String id;
    private final String messageKey;

    DocumentType(String id, String messageKey) {
        this.id = id;
        this.messageKey = messageKey;
    }

    public String id() {
        return id;
    }

    public String messageKey() {
        return messageKey;
    }

    public static Optional<DocumentType> of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(DocumentType::id).toList();
    }

    /** True when every type named in a settings value (rules or plain list) is one of ours. */
    public static boolean allKnown(String rules) {
        return Arrays.stream(rules.split("[;,=\\s]+"))
                .filter(s -> !s.isBlank() && !s.equals("*") && !s.matches("[A-Za-z]{2}"))
                .allMatch(s -> of(s).isPresent());
    }

    /** A plain comma-separated list of type ids, unknown ids dropped. */
    public static Set<DocumentType> parseList(String list) {
        return Arrays.stream(list.split("[,\\s]+")).map(DocumentType::of).flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The types an issuing country has, from rules such as {@code *=passport,id_card;US=passport}:
     * the country's own rule, else the {@code *} rule, else every type. In our declared order.
     */
    public static List<DocumentType> forCountry(String rules, String country) {
        Map<String, String> byCountry = new LinkedHashMap<>();
        for (String rule : rules.split(";")) {
            if (rule.isBlank()) {
                continue;
            }
            int eq = rule.indexOf('=');
            String key = eq < 0 ? "*" : rule.substring(0, eq).trim().toUpperCase(Locale.ROOT);
            byCountry.put(key, eq < 0 ? rule : rule.substring(eq + 1));
        }
        String list = byCountry.getOrDefault(country.toUpperCase(Locale.ROOT), byCountry.get("*"));
        if (list == null) {
            return List.of(values());
        }
        Set<DocumentType> allowed = parseList(list);
        return Arrays.stream(values()).filter(allowed::contains).toList();
    }
}
