package dev.tillit.keycloak.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * The README's settings table is the operator's reference: every setting declared in
 * {@link TillitSetting} has its row (group, label, key, default), and the table names no key that
 * does not exist. A failure prints the rows to paste, made from the declarations.
 */
class ReadmeSettingsTableTest {

    private static final String SECTION = "## The Tillit tab";

    @Test
    void everySettingHasItsRowAndEveryRowASetting() throws Exception {
        String table = section();
        List<String> missing = new ArrayList<>();
        for (TillitSetting setting : TillitSetting.values()) {
            String row = rowOf(table, setting.key());
            if (row == null
                    || !row.startsWith("| " + setting.group().title() + " | " + setting.label() + " (`" + setting.key() + "`) |")
                    || (setting.defaultValue() != null && !setting.defaultValue().isEmpty()
                        && !row.contains(setting.defaultValue()) && !row.contains(setting.defaultValue().replace(",", ", ")))) {
                missing.add(expectedRow(setting));
            }
        }
        assertEquals(List.of(), missing, "README rows missing or out of date; paste these:\n" + String.join("\n", missing));

        List<String> unknown = new ArrayList<>();
        for (String line : table.split("\n")) {
            int open = line.indexOf("(`");
            if (line.startsWith("| ") && open > 0) {
                String key = line.substring(open + 2, line.indexOf("`)", open));
                if (java.util.Arrays.stream(TillitSetting.values()).noneMatch(s -> s.key().equals(key)) && !key.contains(".")) {
                    unknown.add(key);
                }
            }
        }
        assertEquals(List.of(), unknown, "the README documents settings that do not exist");
    }

    private static String section() throws Exception {
        Path readme = Path.of(System.getProperty("basedir", "."), "..", "README.md");
        String text = Files.readString(readme);
        int start = text.indexOf(SECTION);
        assertTrue(start >= 0, "no section '" + SECTION + "' in " + readme);
        int end = text.indexOf("\n## ", start + SECTION.length());
        return end < 0 ? text.substring(start) : text.substring(start, end);
    }

    private static String rowOf(String table, String key) {
        for (String line : table.split("\n")) {
            if (line.startsWith("| ") && line.contains("(`" + key + "`)")) {
                return line;
            }
        }
        return null;
    }

    private static String expectedRow(TillitSetting s) {
        String dflt = s.defaultValue() == null || s.defaultValue().isEmpty() ? "—"
                : s.kind() == TillitSetting.Kind.INTEGER ? s.defaultValue() : "`" + s.defaultValue() + "`";
        String allowed = switch (s.kind()) {
            case INTEGER -> s.min() + " – " + s.max();
            case SECRET -> "`${vault.<key>}` (a plain value only in start-dev)";
            case GATEWAY_URL -> "`https://` URL (`http://` only in start-dev)";
            case URL -> "http(s) URL";
            default -> s.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
        return "| " + s.group().title() + " | " + s.label() + " (`" + s.key() + "`) | " + dflt + " | " + allowed + " |";
    }
}
