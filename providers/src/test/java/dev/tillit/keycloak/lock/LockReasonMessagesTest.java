package dev.tillit.keycloak.lock;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every lock reason names itself in the notice mail (email theme) and the notice SMS (login theme), in en and sv. */
class LockReasonMessagesTest {

    private static final Path THEMES = Path.of(System.getProperty("tillit.themes", "../themes"), "tillit");

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void everyReasonHasAMailSentenceAndAnSms(String language) throws IOException {
        Properties mail = load("email", language);
        Properties sms = load("login", language);
        for (LockReason reason : LockReason.values()) {
            assertTrue(mail.containsKey(reason.mailKey()), language + " email bundle lacks " + reason.mailKey());
            assertTrue(sms.containsKey(reason.smsKey()), language + " login bundle lacks " + reason.smsKey());
            assertTrue(sms.getProperty(reason.smsKey()).contains("{0}"), reason.smsKey() + " must state the lock's end");
        }
    }

    private static Properties load(String type, String language) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(THEMES.resolve(type).resolve("messages/messages_" + language + ".properties"),
                StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
