package dev.tillit.keycloak.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The names each contact factor is known by, and the texts its screens and Keycloak's consoles ask for. */
class ContactFactorTest {

    private static final Path THEMES = Path.of(System.getProperty("tillit.themes", "../themes"), "tillit");

    @Test
    void namesAreTheOnesTheRestOfThePackUses() {
        // The withdrawal-lock listener and the realm file name these.
        assertEquals("tillit-sms-otp", ContactFactor.SMS.credentialType());
        assertEquals("tillit-email-otp", ContactFactor.EMAIL.credentialType());
        assertEquals("tillit-sms-otp-form", ContactFactor.SMS.authenticatorId());
        assertEquals("tillit-configure-email-otp", ContactFactor.EMAIL.setupActionId());
    }

    @Test
    void everyFactorAndStepHasCodesOfItsOwn() {
        Set<String> purposes = new HashSet<>(Set.of("register", "reset"));
        for (ContactFactor factor : ContactFactor.values()) {
            assertTrue(purposes.add(factor.signInPurpose()), factor.signInPurpose());
            assertTrue(purposes.add(factor.setupPurpose()), factor.setupPurpose());
        }
    }

    @ParameterizedTest
    @EnumSource(ContactFactor.class)
    void everyTextTheFactorAsksForExistsInEnglishAndSwedish(ContactFactor factor) throws IOException {
        for (String lang : new String[] {"en", "sv"}) {
            Properties bundle = new Properties();
            try (Reader reader = Files.newBufferedReader(
                    THEMES.resolve("login/messages/messages_" + lang + ".properties"), StandardCharsets.UTF_8)) {
                bundle.load(reader);
            }
            for (String suffix : new String[] {"DisplayName", "HelpText", "CodeSent", "Unavailable", "SetupTitle",
                    "SetupLead", "SetupCodeSent", "SetupStartOver"}) {
                assertTrue(bundle.containsKey(factor.message(suffix)), lang + ": " + factor.message(suffix));
            }
            Properties theme = new Properties();
            try (Reader reader = Files.newBufferedReader(THEMES.resolve("login/theme.properties"), StandardCharsets.UTF_8)) {
                theme.load(reader);
            }
            assertTrue(theme.containsKey(factor.iconCssClass()), factor.iconCssClass());
        }
    }
}
