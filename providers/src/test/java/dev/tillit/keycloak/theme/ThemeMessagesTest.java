package dev.tillit.keycloak.theme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Swedish is first-class: every message key of the Tillit themes must exist, non-blank, in
 * both English and Swedish, and every {@code tillit*} key a template asks for must exist.
 */
class ThemeMessagesTest {

    private static final Path THEMES = Path.of(System.getProperty("tillit.themes", "../themes"), "tillit");
    private static final Pattern MSG_CALL = Pattern.compile("msg\\(\\s*\"(tillit[A-Za-z0-9]*)\"");

    @ParameterizedTest
    @ValueSource(strings = {"login", "email", "account", "admin"})
    void everyKeyExistsInEnglishAndSwedish(String type) throws IOException {
        Properties en = load(type, "en");
        Properties sv = load(type, "sv");

        assertEquals(new TreeSet<>(en.stringPropertyNames()), new TreeSet<>(sv.stringPropertyNames()),
                type + ": the en and sv bundles must declare the same keys");
        for (Properties bundle : List.of(en, sv)) {
            for (String key : bundle.stringPropertyNames()) {
                assertTrue(!bundle.getProperty(key).isBlank(), type + ": blank message " + key);
            }
        }
    }

    /**
     * Keycloak formats every message with MessageFormat, which treats a lone ASCII apostrophe as
     * quoting and drops it ("phone's" shows as "phones"): write ’ or a doubled ''.
     */
    @ParameterizedTest
    @ValueSource(strings = {"login", "email", "account", "admin"})
    void noMessageHasALoneApostrophe(String type) throws IOException {
        for (String language : List.of("en", "sv")) {
            Properties bundle = load(type, language);
            for (String key : bundle.stringPropertyNames()) {
                String value = bundle.getProperty(key);
                assertTrue(!value.replace("''", "").contains("'"),
                        type + "/" + language + ": " + key + " has a lone ' that MessageFormat would drop: " + value);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void everyKeyJavaCodeUsesIsDefined(String language) throws Exception {
        Set<String> defined = new TreeSet<>(load("login", language).stringPropertyNames());
        defined.addAll(load("email", language).stringPropertyNames());
        List<String> missing = new ArrayList<>();
        for (java.lang.reflect.Field field : dev.tillit.keycloak.TillitMessages.class.getFields()) {
            String key = (String) field.get(null);
            if (!defined.contains(key)) {
                missing.add(field.getName() + " = " + key);
            }
        }
        assertEquals(List.of(), missing, "TillitMessages keys missing from the " + language + " bundles");
    }

    @ParameterizedTest
    @ValueSource(strings = {"login", "email"})
    void everyTillitKeyUsedByATemplateIsDefined(String type) throws IOException {
        Set<String> defined = load(type, "en").stringPropertyNames();
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(THEMES.resolve(type))) {
            for (Path ftl : files.filter(p -> p.toString().endsWith(".ftl")).toList()) {
                Matcher m = MSG_CALL.matcher(Files.readString(ftl));
                while (m.find()) {
                    if (!defined.contains(m.group(1))) {
                        missing.add(THEMES.relativize(ftl) + ": " + m.group(1));
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            fail("message keys used but not defined: " + missing);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"login", "email", "account", "admin"})
    void swedishBundleIsActuallySwedish(String type) throws IOException {
        // A copy of the English file renamed to _sv would pass the key check; catch that.
        Properties en = load(type, "en");
        Properties sv = load(type, "sv");
        long same = en.stringPropertyNames().stream()
                .filter(k -> en.getProperty(k).length() > 12 && en.getProperty(k).equals(sv.getProperty(k)))
                .count();
        assertEquals(0, same, type + ": sv messages identical to en");
    }

    /**
     * The account and admin consoles show our user-profile attributes with the realm's account
     * and admin themes: every {@code ${tillit...}} the user profile names (display names, group
     * headers and descriptions, annotations) must be in those bundles and the login bundle (the
     * login pages render the same profile), in both languages, with the same text everywhere.
     */
    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void everyUserProfileTextIsInEveryConsole(String locale) throws IOException {
        Path realmConfig = THEMES.getParent().getParent().resolve("realm-config");
        Set<String> keys = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{(tillit[A-Za-z0-9]*)\\}").matcher(Files.readString(realmConfig.resolve("user-profile.json")));
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertTrue(keys.size() > 10, "user-profile.json names our texts: " + keys);
        // The realm file embeds the same profile (as a JSON string): it must name the same texts.
        Set<String> embedded = new TreeSet<>();
        Matcher e = Pattern.compile("\\$\\{(tillit[A-Za-z0-9]*)\\}").matcher(Files.readString(realmConfig.resolve("tillit-realm.json")));
        while (e.find()) {
            embedded.add(e.group(1));
        }
        assertTrue(embedded.containsAll(keys) && keys.containsAll(embedded),
                "tillit-realm.json's user profile and user-profile.json differ: " + keys + " vs " + embedded);

        Properties login = load("login", locale);
        for (String type : List.of("login", "account", "admin")) {
            Properties bundle = load(type, locale);
            for (String key : keys) {
                assertTrue(bundle.containsKey(key), type + "/" + locale + ": missing " + key);
                assertEquals(login.getProperty(key), bundle.getProperty(key), type + "/" + locale + ": " + key + " differs from login");
            }
            for (String key : bundle.stringPropertyNames()) {
                assertEquals(login.getProperty(key), bundle.getProperty(key), type + "/" + locale + ": " + key + " differs from login");
            }
        }
    }

    private static Properties load(String type, String locale) throws IOException {
        Path file = THEMES.resolve(type).resolve("messages").resolve("messages_" + locale + ".properties");
        assertTrue(Files.isRegularFile(file), "missing " + file);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
